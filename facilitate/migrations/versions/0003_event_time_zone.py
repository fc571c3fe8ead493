"""event time zone: the report's times in the event's own zone

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02

A column added in place, with a default that every existing event takes.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column(
        "events",
        sa.Column("time_zone", sa.String(64), nullable=False, server_default="Europe/London"),
    )


def downgrade():
    with op.batch_alter_table("events") as batch:
        batch.drop_column("time_zone")
