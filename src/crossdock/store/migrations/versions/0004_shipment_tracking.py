"""shipment tracking state

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import crossdock.store.types

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    when = crossdock.store.types.UTCDateTime(timezone=True)
    op.create_table(
        "shipment_tracking",
        sa.Column("tracking_number", sa.String(length=128), nullable=False),
        sa.Column("carrier_code", sa.String(length=64), nullable=False),
        sa.Column("shipment_id", sa.String(length=255), nullable=True),
        sa.Column("partner", sa.String(length=64), nullable=True),
        sa.Column("milestone", sa.String(length=32), nullable=True),
        sa.Column("milestone_at", when, nullable=True),
        sa.Column("exception_reason", sa.String(length=32), nullable=True),
        sa.Column("delivered_at", when, nullable=True),
        sa.Column("last_event_id", sa.String(length=36), nullable=True),
        sa.Column("events_applied", sa.Integer(), nullable=False),
        sa.Column("late_events", sa.Integer(), nullable=False),
        sa.Column("registered_at", when, nullable=False),
        sa.Column("last_heard_at", when, nullable=True),
        sa.Column("next_poll_at", when, nullable=True),
        sa.Column("polls", sa.Integer(), nullable=False),
        sa.Column("updated_at", when, nullable=False),
        sa.PrimaryKeyConstraint("tracking_number", name=op.f("pk_shipment_tracking")),
    )
    op.create_index(
        op.f("ix_shipment_tracking_carrier_code_next_poll_at"),
        "shipment_tracking",
        ["carrier_code", "next_poll_at"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(
        op.f("ix_shipment_tracking_carrier_code_next_poll_at"), table_name="shipment_tracking"
    )
    op.drop_table("shipment_tracking")
