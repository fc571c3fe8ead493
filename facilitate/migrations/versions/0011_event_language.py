"""event language: the language an event's walls, plenary and report speak

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07

A column added in place: every existing event is in English, as it was.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column(
        "events",
        sa.Column("language", sa.String(8), nullable=False, server_default="en"),
    )


def downgrade():
    with op.batch_alter_table("events") as batch:
        batch.drop_column("language")
