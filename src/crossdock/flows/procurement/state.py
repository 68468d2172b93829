"""The procurement flow's state: one row per purchase order in `procurement_orders`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select

from crossdock.store.dialect import upsert
from crossdock.store.schema import procurement_orders as table

ORDERED = "ordered"
ACKNOWLEDGED = "acknowledged"
SHIPPED = "shipped"
RECEIVED = "received"
BILLED = "billed"
INVOICE_HELD = "invoice_held"


@dataclass
class OrderState:
    po_number: str
    purchase_order: dict[str, Any]
    state: str = ORDERED
    supplier: str | None = None
    progress: dict[str, Any] = field(default_factory=dict)
    exceptions: list[dict[str, Any]] = field(default_factory=list)
    created_at: datetime | None = None

    def handled(self, event_id: str) -> bool:
        return event_id in self.progress.get("events", [])

    def mark_handled(self, event_id: str) -> None:
        self.progress.setdefault("events", []).append(event_id)


def get(conn: Connection, po_number: str) -> OrderState | None:
    row = conn.execute(select(table).where(table.c.po_number == po_number)).first()
    if row is None:
        return None
    return OrderState(
        po_number=row.po_number,
        purchase_order=row.purchase_order,
        state=row.state,
        supplier=row.supplier,
        progress=row.progress,
        exceptions=row.exceptions,
        created_at=row.created_at,
    )


def save(conn: Connection, order: OrderState, now: datetime) -> None:
    conn.execute(
        upsert(
            conn.dialect.name,
            table,
            ["po_number"],
            {
                "po_number": order.po_number,
                "supplier": order.supplier,
                "state": order.state,
                "purchase_order": order.purchase_order,
                "progress": order.progress,
                "exceptions": order.exceptions,
                "created_at": order.created_at or now,
                "updated_at": now,
            },
        )
    )
