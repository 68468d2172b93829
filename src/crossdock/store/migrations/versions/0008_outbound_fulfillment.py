"""outbound fulfillment: flow state, exceptions, ownership conflicts, shipping labels

Revision ID: 0008
Revises: 0005
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import crossdock.store.types

revision = "0008"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    when = crossdock.store.types.UTCDateTime(timezone=True)
    big_id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
    json = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
    op.create_table(
        "fulfillments",
        sa.Column("fulfillment_id", sa.String(length=255), nullable=False),
        sa.Column("correlation_id", sa.String(length=255), nullable=True),
        sa.Column("odoo_partner", sa.String(length=64), nullable=True),
        sa.Column("wms_partner", sa.String(length=64), nullable=True),
        sa.Column("picking_id", sa.Integer(), nullable=True),
        sa.Column("warehouse", sa.String(length=64), nullable=True),
        sa.Column("customer", sa.String(length=255), nullable=True),
        sa.Column("state", sa.String(length=32), nullable=False),
        sa.Column("hold_reason", sa.Text(), nullable=True),
        sa.Column("wms_order_id", sa.String(length=255), nullable=True),
        sa.Column("request", json, nullable=False),
        sa.Column("shipped", json, nullable=False),
        sa.Column("confirmations", json, nullable=False),
        sa.Column("tracking_numbers", json, nullable=False),
        sa.Column("packages", json, nullable=False),
        sa.Column("carrier_code", sa.String(length=64), nullable=True),
        sa.Column("service_level", sa.String(length=255), nullable=True),
        sa.Column("backorder_id", sa.Integer(), nullable=True),
        sa.Column("delivered_at", when, nullable=True),
        sa.Column("proof_of_delivery", sa.SmallInteger(), nullable=False),
        sa.Column("invoice_ids", json, nullable=False),
        sa.Column("invoiced_at", when, nullable=True),
        sa.Column("created_at", when, nullable=False),
        sa.Column("updated_at", when, nullable=False),
        sa.PrimaryKeyConstraint("fulfillment_id", name=op.f("pk_fulfillments")),
    )
    op.create_index(
        op.f("ix_fulfillments_state_updated_at"), "fulfillments", ["state", "updated_at"]
    )
    op.create_index(op.f("ix_fulfillments_correlation_id"), "fulfillments", ["correlation_id"])
    op.create_table(
        "fulfillment_exceptions",
        sa.Column("id", big_id, autoincrement=True, nullable=False),
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.Column("fulfillment_id", sa.String(length=255), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("created_at", when, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fulfillment_exceptions")),
        sa.UniqueConstraint("event_id", name=op.f("uq_fulfillment_exceptions_event_id")),
    )
    op.create_index(
        op.f("ix_fulfillment_exceptions_fulfillment_id"),
        "fulfillment_exceptions",
        ["fulfillment_id"],
    )
    op.create_table(
        "ownership_conflicts",
        sa.Column("id", big_id, autoincrement=True, nullable=False),
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.Column("entity", sa.String(length=255), nullable=False),
        sa.Column("field", sa.String(length=64), nullable=False),
        sa.Column("owner", sa.String(length=64), nullable=False),
        sa.Column("reported_by", sa.String(length=64), nullable=False),
        sa.Column("owner_value", sa.Text(), nullable=True),
        sa.Column("reported_value", sa.Text(), nullable=True),
        sa.Column("created_at", when, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ownership_conflicts")),
        sa.UniqueConstraint("event_id", name=op.f("uq_ownership_conflicts_event_id")),
    )
    op.create_index(op.f("ix_ownership_conflicts_entity"), "ownership_conflicts", ["entity"])
    op.create_table(
        "shipping_labels",
        sa.Column("tracking_number", sa.String(length=255), nullable=False),
        sa.Column("fulfillment_id", sa.String(length=255), nullable=False),
        sa.Column("carrier_partner", sa.String(length=64), nullable=False),
        sa.Column("carrier_code", sa.String(length=64), nullable=False),
        sa.Column("service_level", sa.String(length=255), nullable=True),
        sa.Column("label_format", sa.String(length=16), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("created_at", when, nullable=False),
        sa.PrimaryKeyConstraint("tracking_number", name=op.f("pk_shipping_labels")),
    )
    op.create_index(
        op.f("ix_shipping_labels_fulfillment_id"), "shipping_labels", ["fulfillment_id"]
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_shipping_labels_fulfillment_id"), table_name="shipping_labels")
    op.drop_table("shipping_labels")
    op.drop_index(op.f("ix_ownership_conflicts_entity"), table_name="ownership_conflicts")
    op.drop_table("ownership_conflicts")
    op.drop_index(
        op.f("ix_fulfillment_exceptions_fulfillment_id"), table_name="fulfillment_exceptions"
    )
    op.drop_table("fulfillment_exceptions")
    op.drop_index(op.f("ix_fulfillments_correlation_id"), table_name="fulfillments")
    op.drop_index(op.f("ix_fulfillments_state_updated_at"), table_name="fulfillments")
    op.drop_table("fulfillments")
