"""EDI interchange bookkeeping and the procurement flow's state

Revision ID: 0009
Revises: 0005
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import crossdock.store.types

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    when = crossdock.store.types.UTCDateTime(timezone=True)
    big_id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
    json = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
    op.create_table(
        "edi_interchanges",
        sa.Column("id", big_id, autoincrement=True, nullable=False),
        sa.Column("partner", sa.String(length=64), nullable=False),
        sa.Column("direction", sa.String(length=3), nullable=False),
        sa.Column("standard", sa.String(length=8), nullable=False),
        sa.Column("sender", sa.String(length=64), nullable=False),
        sa.Column("receiver", sa.String(length=64), nullable=False),
        sa.Column("control_number", sa.String(length=32), nullable=False),
        sa.Column("document", sa.String(length=128), nullable=True),
        sa.Column("message_id", sa.String(length=36), nullable=True),
        sa.Column("file_name", sa.String(length=255), nullable=True),
        sa.Column("created_at", when, nullable=False),
        sa.Column("ack_status", sa.String(length=16), nullable=False),
        sa.Column("ack_due_at", when, nullable=True),
        sa.Column("ack_received_at", when, nullable=True),
        sa.Column("ack_detail", json, nullable=True),
        sa.Column("reply_file", sa.String(length=255), nullable=True),
        sa.Column("reply_body", sa.LargeBinary(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_edi_interchanges")),
        sa.UniqueConstraint(
            "partner",
            "direction",
            "sender",
            "control_number",
            name=op.f("uq_edi_interchanges_partner_direction_sender_control_number"),
        ),
    )
    op.create_index(
        op.f("ix_edi_interchanges_ack_status_ack_due_at"),
        "edi_interchanges",
        ["ack_status", "ack_due_at"],
        unique=False,
    )
    op.create_index(
        op.f("ix_edi_interchanges_partner_direction_document"),
        "edi_interchanges",
        ["partner", "direction", "document"],
        unique=False,
    )
    op.create_table(
        "procurement_orders",
        sa.Column("po_number", sa.String(length=64), nullable=False),
        sa.Column("supplier", sa.String(length=64), nullable=True),
        sa.Column("state", sa.String(length=32), nullable=False),
        sa.Column("purchase_order", json, nullable=False),
        sa.Column("progress", json, nullable=False),
        sa.Column("exceptions", json, nullable=False),
        sa.Column("created_at", when, nullable=False),
        sa.Column("updated_at", when, nullable=False),
        sa.PrimaryKeyConstraint("po_number", name=op.f("pk_procurement_orders")),
    )
    op.create_index(
        op.f("ix_procurement_orders_state_updated_at"),
        "procurement_orders",
        ["state", "updated_at"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_procurement_orders_state_updated_at"), table_name="procurement_orders")
    op.drop_table("procurement_orders")
    op.drop_index(
        op.f("ix_edi_interchanges_partner_direction_document"), table_name="edi_interchanges"
    )
    op.drop_index(op.f("ix_edi_interchanges_ack_status_ack_due_at"), table_name="edi_interchanges")
    op.drop_table("edi_interchanges")
