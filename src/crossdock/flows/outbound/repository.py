"""The outbound flow's rows: one per delivery order, its exceptions and ownership conflicts.

Reads run on their own connection; writes are functions of a connection that the job
context applies in the transaction that finishes the job, so a step's state change, its
exception rows and its follow-up jobs commit together or not at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update

from crossdock.store.dialect import insert_ignoring_conflicts
from crossdock.store.engine import Store
from crossdock.store.schema import (
    fulfillment_exceptions,
    fulfillments,
    ownership_conflicts,
    shipping_labels,
)


@dataclass(frozen=True)
class FulfillmentRow:
    fulfillment_id: str
    state: str
    request: dict[str, Any]
    created_at: datetime
    updated_at: datetime
    correlation_id: str | None = None
    odoo_partner: str | None = None
    wms_partner: str | None = None
    picking_id: int | None = None
    warehouse: str | None = None
    customer: str | None = None
    hold_reason: str | None = None
    wms_order_id: str | None = None
    shipped: dict[str, str] = field(default_factory=dict)
    confirmations: list[str] = field(default_factory=list)
    tracking_numbers: list[str] = field(default_factory=list)
    packages: list[dict[str, Any]] = field(default_factory=list)
    carrier_code: str | None = None
    service_level: str | None = None
    backorder_id: int | None = None
    delivered_at: datetime | None = None
    proof_of_delivery: int = 0
    invoice_ids: list[int] = field(default_factory=list)
    invoiced_at: datetime | None = None

    def changed(self, **values: Any) -> FulfillmentRow:
        return replace(self, **values)

    def values(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


def get(store: Store, fulfillment_id: str) -> FulfillmentRow | None:
    with store.engine.connect() as conn:
        row = conn.execute(
            select(fulfillments).where(fulfillments.c.fulfillment_id == fulfillment_id)
        ).first()
    return FulfillmentRow(**row._asdict()) if row is not None else None


def save(conn: Connection, row: FulfillmentRow, *, new: bool) -> None:
    if new:
        conn.execute(insert(fulfillments).values(**row.values()))
        return
    values = row.values()
    key = values.pop("fulfillment_id")
    conn.execute(update(fulfillments).where(fulfillments.c.fulfillment_id == key).values(**values))


def in_state(store: Store, state: str, limit: int) -> list[FulfillmentRow]:
    """The oldest rows in `state`, for a micro-batch or scheduled run."""
    with store.engine.connect() as conn:
        rows = conn.execute(
            select(fulfillments)
            .where(fulfillments.c.state == state)
            .order_by(fulfillments.c.updated_at, fulfillments.c.fulfillment_id)
            .limit(limit)
        )
        return [FulfillmentRow(**row._asdict()) for row in rows]


def add_exception(
    conn: Connection, *, event_id: str, fulfillment_id: str, kind: str, detail: str, now: datetime
) -> None:
    stmt = insert_ignoring_conflicts(conn.dialect.name, fulfillment_exceptions, "event_id")
    conn.execute(
        stmt.values(
            event_id=event_id,
            fulfillment_id=fulfillment_id,
            kind=kind,
            detail=detail,
            created_at=now,
        )
    )


def add_conflict(conn: Connection, *, event_id: str, values: dict[str, Any], now: datetime) -> None:
    stmt = insert_ignoring_conflicts(conn.dialect.name, ownership_conflicts, "event_id")
    conn.execute(stmt.values(event_id=event_id, created_at=now, **values))


def exceptions(store: Store, fulfillment_id: str | None = None) -> list[dict[str, Any]]:
    query = select(fulfillment_exceptions).order_by(fulfillment_exceptions.c.id)
    if fulfillment_id is not None:
        query = query.where(fulfillment_exceptions.c.fulfillment_id == fulfillment_id)
    with store.engine.connect() as conn:
        return [row._asdict() for row in conn.execute(query)]


def conflicts(store: Store, entity: str | None = None) -> list[dict[str, Any]]:
    query = select(ownership_conflicts).order_by(ownership_conflicts.c.id)
    if entity is not None:
        query = query.where(ownership_conflicts.c.entity == entity)
    with store.engine.connect() as conn:
        return [row._asdict() for row in conn.execute(query)]


def all_rows(store: Store) -> list[FulfillmentRow]:
    with store.engine.connect() as conn:
        rows = conn.execute(select(fulfillments).order_by(fulfillments.c.fulfillment_id))
        return [FulfillmentRow(**row._asdict()) for row in rows]


def of_order(store: Store, order_name: str) -> list[FulfillmentRow]:
    """Every delivery order of one sale order (the flow's correlation id)."""
    with store.engine.connect() as conn:
        rows = conn.execute(
            select(fulfillments)
            .where(fulfillments.c.correlation_id == order_name)
            .order_by(fulfillments.c.fulfillment_id)
        )
        return [FulfillmentRow(**row._asdict()) for row in rows]


def add_labels(
    conn: Connection,
    fulfillment_id: str,
    carrier_partner: str,
    labels: list[Any],
    now: datetime,
    *,
    rate: dict[str, Any] | None = None,
) -> None:
    """Keep the labels booked (`gateway.Label`s) with the rate shopped for them, if any; a
    label booked twice is kept once."""
    stmt = insert_ignoring_conflicts(conn.dialect.name, shipping_labels, "tracking_number")
    for label in labels:
        conn.execute(
            stmt.values(
                tracking_number=label.tracking_number,
                fulfillment_id=fulfillment_id,
                carrier_partner=carrier_partner,
                carrier_code=label.carrier_code,
                service_level=label.service_level,
                label_format=label.label_format,
                label=label.content,
                created_at=now,
                rate=rate,
            )
        )


def labels(store: Store, fulfillment_id: str) -> list[dict[str, Any]]:
    query = (
        select(shipping_labels)
        .where(shipping_labels.c.fulfillment_id == fulfillment_id)
        .order_by(shipping_labels.c.tracking_number)
    )
    with store.engine.connect() as conn:
        return [row._asdict() for row in conn.execute(query)]
