"""plenary report-out: each event gets a secret wall address and the state of its report-out

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03
"""

import secrets

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("events", sa.Column("plenary_token", sa.String(64), nullable=True))
    op.add_column(
        "events", sa.Column("plenary_view", sa.JSON(), nullable=False, server_default="{}")
    )
    events = sa.table("events", sa.column("id", sa.Integer), sa.column("plenary_token"))
    connection = op.get_bind()
    for (event_id,) in connection.execute(sa.select(events.c.id)).fetchall():
        connection.execute(
            events.update()
            .where(events.c.id == event_id)
            .values(plenary_token=secrets.token_urlsafe(24))
        )
    with op.batch_alter_table("events") as batch:
        batch.alter_column("plenary_token", existing_type=sa.String(64), nullable=False)
        batch.create_unique_constraint("uq_events_plenary_token", ["plenary_token"])


def downgrade():
    with op.batch_alter_table("events") as batch:
        batch.drop_constraint("uq_events_plenary_token", type_="unique")
        batch.drop_column("plenary_view")
        batch.drop_column("plenary_token")
