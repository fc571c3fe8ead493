"""vote reveal, silent writing and the facilitation sequence's step

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade():
    for name in ("votes_hidden", "notes_private", "timer_advances"):
        op.add_column(
            "themes", sa.Column(name, sa.Boolean(), nullable=False, server_default=sa.false())
        )
    op.add_column("themes", sa.Column("step", sa.String(length=16), nullable=True))


def downgrade():
    with op.batch_alter_table("themes") as batch:
        for name in ("step", "timer_advances", "notes_private", "votes_hidden"):
            batch.drop_column(name)
