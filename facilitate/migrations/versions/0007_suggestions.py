"""suggestions: what the facilitator set aside of the suggestions (duplicates, keywords)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column(
        "themes", sa.Column("suggestions", sa.JSON(), nullable=False, server_default="{}")
    )


def downgrade():
    with op.batch_alter_table("themes") as batch:
        batch.drop_column("suggestions")
