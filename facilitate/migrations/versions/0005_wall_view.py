"""wall view: what the walls show, as the facilitator steers them from the console

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("themes", sa.Column("wall_view", sa.JSON(), nullable=False, server_default="{}"))


def downgrade():
    with op.batch_alter_table("themes") as batch:
        batch.drop_column("wall_view")
