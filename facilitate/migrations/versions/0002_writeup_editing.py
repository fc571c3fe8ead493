"""write-up editing: notes the draft knows, citations switch, published revision, autosave times

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24

Columns are added and dropped in place, never by copying a table: on SQLite a copy of ``writeups``
would drop the old table, and with foreign keys on that deletes every revision with it.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column(
        "writeups", sa.Column("known_note_ids", sa.JSON(), nullable=False, server_default="[]")
    )
    op.add_column(
        "writeups",
        sa.Column("show_citations", sa.Boolean(), nullable=False, server_default=sa.true()),
    )
    op.add_column("writeups", sa.Column("published_revision", sa.Integer(), nullable=True))
    # Filled from created_at straight away; the constant default only lets SQLite add the column.
    op.add_column(
        "writeup_revisions",
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            nullable=False,
            server_default="1970-01-01 00:00:00",
        ),
    )
    op.execute("UPDATE writeup_revisions SET updated_at = created_at")
    op.execute(
        "UPDATE writeups SET published_revision = (SELECT max(number) FROM writeup_revisions "
        "WHERE writeup_revisions.writeup_id = writeups.id) WHERE status = 'published'"
    )


def downgrade():
    op.drop_column("writeup_revisions", "updated_at")
    op.drop_column("writeups", "published_revision")
    op.drop_column("writeups", "show_citations")
    op.drop_column("writeups", "known_note_ids")
