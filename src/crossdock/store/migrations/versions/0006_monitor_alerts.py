"""business monitor readings and alert state

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import crossdock.store.types

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    when = crossdock.store.types.UTCDateTime(timezone=True)
    json = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
    op.create_table(
        "monitor_alerts",
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("monitor", sa.String(length=64), nullable=False),
        sa.Column("subject", sa.String(length=255), nullable=True),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.Column("oldest_age_seconds", sa.Integer(), nullable=True),
        sa.Column("threshold_seconds", sa.Integer(), nullable=False),
        sa.Column("details", json, nullable=False),
        sa.Column("raised_at", when, nullable=True),
        sa.Column("resolved_at", when, nullable=True),
        sa.Column("evaluated_at", when, nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_monitor_alerts")),
    )
    op.create_index(op.f("ix_monitor_alerts_state"), "monitor_alerts", ["state"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_monitor_alerts_state"), table_name="monitor_alerts")
    op.drop_table("monitor_alerts")
