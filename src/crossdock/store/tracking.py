"""Rows of `shipment_tracking`: read one parcel's state, register it, save what changed."""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from datetime import datetime

from sqlalchemy import Connection, func, select, update

from crossdock.store.dialect import insert_ignoring_conflicts
from crossdock.store.schema import shipment_tracking


@dataclass(frozen=True)
class TrackingRow:
    """One parcel as `shipment_tracking` holds it (see the table's comment in schema.py)."""

    tracking_number: str
    carrier_code: str
    registered_at: datetime
    updated_at: datetime
    shipment_id: str | None = None
    partner: str | None = None
    milestone: str | None = None
    milestone_at: datetime | None = None
    exception_reason: str | None = None
    delivered_at: datetime | None = None
    last_event_id: str | None = None
    events_applied: int = 0
    late_events: int = 0
    last_heard_at: datetime | None = None
    next_poll_at: datetime | None = None
    polls: int = 0

    def changed(self, **values: object) -> TrackingRow:
        return replace(self, **values)  # type: ignore[arg-type]


def get(conn: Connection, tracking_number: str) -> TrackingRow | None:
    row = conn.execute(
        select(shipment_tracking).where(shipment_tracking.c.tracking_number == tracking_number)
    ).first()
    return TrackingRow(**row._asdict()) if row is not None else None


def register(conn: Connection, row: TrackingRow) -> bool:
    """Insert the parcel unless it is already known; returns whether it was new.

    Registration may race with the parcel's first carrier event (they run on different
    lanes), so it is an insert that yields to whichever came first.
    """
    result = conn.execute(
        insert_ignoring_conflicts(conn.dialect.name, shipment_tracking, "tracking_number"),
        [asdict(row)],
    )
    return bool(result.rowcount)


def save(conn: Connection, row: TrackingRow) -> None:
    """Write a row read by `get` (or registered) back; callers run on the parcel's lane."""
    values: dict[str, object] = asdict(row)
    del values["tracking_number"]
    # A shipment link made meanwhile by registration (another lane) is never undone.
    values["shipment_id"] = func.coalesce(shipment_tracking.c.shipment_id, row.shipment_id)
    conn.execute(
        update(shipment_tracking)
        .where(shipment_tracking.c.tracking_number == row.tracking_number)
        .values(**values)
    )


def attach_shipment(conn: Connection, tracking_number: str, shipment_id: str) -> None:
    """Link a parcel first heard of from its carrier to the shipment it belongs to."""
    conn.execute(
        update(shipment_tracking)
        .where(
            shipment_tracking.c.tracking_number == tracking_number,
            shipment_tracking.c.shipment_id.is_(None),
        )
        .values(shipment_id=shipment_id)
    )


def get_many(conn: Connection, tracking_numbers: list[str]) -> dict[str, TrackingRow]:
    if not tracking_numbers:
        return {}
    query = select(shipment_tracking).where(
        shipment_tracking.c.tracking_number.in_(tracking_numbers)
    )
    return {row.tracking_number: TrackingRow(**row._asdict()) for row in conn.execute(query)}
