"""partner resilience: resource key on jobs, breaker and rate-limit state per resource

Revision ID: 0011
Revises: 0009
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import crossdock.store.types

revision = "0011"
down_revision = "0009"
branch_labels = None
depends_on = None

OPEN = "status IN ('queued', 'running', 'waiting')"


def upgrade() -> None:
    when = crossdock.store.types.UTCDateTime(timezone=True)
    op.add_column("jobs", sa.Column("resource", sa.String(length=128), nullable=True))
    op.add_column(
        "jobs",
        sa.Column("endpoint_failures", sa.Integer(), server_default=sa.text("0"), nullable=False),
    )
    op.create_index(
        "ix_jobs_resource_open",
        "jobs",
        ["resource", "status"],
        unique=False,
        postgresql_where=sa.text(OPEN),
        sqlite_where=sa.text(OPEN),
    )
    op.create_index(
        "ix_jobs_partner_open",
        "jobs",
        ["partner"],
        unique=False,
        postgresql_where=sa.text(OPEN),
        sqlite_where=sa.text(OPEN),
    )
    op.create_table(
        "resource_states",
        sa.Column("resource", sa.String(length=128), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("consecutive_failures", sa.Integer(), nullable=False),
        sa.Column("window_started_at", when, nullable=True),
        sa.Column("window_calls", sa.Integer(), nullable=False),
        sa.Column("window_failures", sa.Integer(), nullable=False),
        sa.Column("opened_at", when, nullable=True),
        sa.Column("retry_at", when, nullable=True),
        sa.Column("probe_successes", sa.Integer(), nullable=False),
        sa.Column("times_opened", sa.Integer(), nullable=False),
        sa.Column("tokens", sa.Float(), nullable=True),
        sa.Column("tokens_at", when, nullable=True),
        sa.Column("paused_until", when, nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("updated_at", when, nullable=False),
        sa.PrimaryKeyConstraint("resource", name=op.f("pk_resource_states")),
    )


def downgrade() -> None:
    op.drop_table("resource_states")
    op.drop_index("ix_jobs_partner_open", table_name="jobs")
    op.drop_index("ix_jobs_resource_open", table_name="jobs")
    op.drop_column("jobs", "endpoint_failures")
    op.drop_column("jobs", "resource")
