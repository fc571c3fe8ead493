"""bundle identity: ids that survive machines, for participants, headings and revisions

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03

A note is known everywhere by its participant's ``uid`` and its ``client_id``; headings and
write-up revisions get a ``uid`` of their own. Existing rows get a fresh random one each. Notes
get ``sync_hash``: the state last brought in from a bundle, to tell a change made here from one
made elsewhere.
"""

import uuid

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

TABLES = ("participants", "clusters", "writeup_revisions")


def _backfill(table: str) -> None:
    connection = op.get_bind()
    rows = sa.table(table, sa.column("id", sa.Integer), sa.column("uid", sa.String))
    ids = [row[0] for row in connection.execute(sa.select(rows.c.id))]
    for row_id in ids:
        connection.execute(rows.update().where(rows.c.id == row_id).values(uid=uuid.uuid4().hex))


def upgrade():
    for table in TABLES:
        op.add_column(table, sa.Column("uid", sa.String(length=32), nullable=True))
        _backfill(table)
        with op.batch_alter_table(table) as batch:
            batch.alter_column("uid", existing_type=sa.String(length=32), nullable=False)
            batch.create_index(f"ix_{table}_uid", ["uid"], unique=True)
    op.add_column("notes", sa.Column("sync_hash", sa.String(length=64), nullable=True))


def downgrade():
    with op.batch_alter_table("notes") as batch:
        batch.drop_column("sync_hash")
    for table in reversed(TABLES):
        with op.batch_alter_table(table) as batch:
            batch.drop_index(f"ix_{table}_uid")
            batch.drop_column("uid")
