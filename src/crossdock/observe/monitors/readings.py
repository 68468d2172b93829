"""What each monitor reads from the store: entities past their threshold, counted and sampled.

Every monitor is one query over what the store already records: the status board
(`entity_states`), recorded canonical events (`events`), parcel tracking
(`shipment_tracking`), the outbound flow's delivery orders (`fulfillments`), EDI interchange
bookkeeping (`edi_interchanges`) and the inbox (`messages`). docs/operations.md lists the
states and event types each one reads.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Select, and_, exists, func, select, union_all

from crossdock.canonical.event_types import (
    FULFILLMENT_REQUESTED_V1,
    INVOICE_POSTED_V1,
    ORDER_CONFIRMED_V1,
    SHIPMENT_CREATED_V1,
)
from crossdock.canonical.milestones import Milestone
from crossdock.observe.monitors.settings import MonitorsConfig
from crossdock.store.schema import (
    edi_interchanges,
    entity_states,
    events,
    fulfillments,
    messages,
    shipment_tracking,
)

# The outbound flow's states (flows/outbound/flow.py) before the warehouse has the order,
# and while it has it but has not shipped it.
NOT_RELEASED_STATES = ("new", "held", "awaiting_release")
RELEASED_STATES = ("released", "acknowledged", "picked", "packed")


@dataclass(frozen=True)
class Reading:
    """One monitor's finding at one evaluation."""

    monitor: str
    threshold: timedelta
    breaches: int
    oldest_age_seconds: int | None
    sample: list[str]
    summary: str
    subject: str | None = None

    @property
    def key(self) -> str:
        return f"{self.monitor}:{self.subject}" if self.subject else self.monitor


def _age(now: datetime, since: datetime | None) -> int | None:
    return None if since is None else max(int((now - since).total_seconds()), 0)


def _read(
    conn: Connection,
    query: Select[Any],
    *,
    monitor: str,
    threshold: timedelta,
    now: datetime,
    sample_size: int,
    what: str,
) -> Reading:
    """`query` selects (entity, since) for every entity in breach; count, oldest and sample."""
    breach = query.subquery()
    entity, since = breach.c
    count, oldest = conn.execute(select(func.count(), func.min(since))).one()
    sample = list(conn.execute(select(entity).order_by(since, entity).limit(sample_size)).scalars())
    summary = (
        f"{count} {what} for more than {threshold}"
        if count
        else f"no {what} for more than {threshold}"
    )
    return Reading(monitor, threshold, count, _age(now, oldest), sample, summary)


def order_not_released(cutoff: datetime) -> Select[Any]:
    """Orders whose board status is still `confirmed` (last event ORDER_CONFIRMED_V1) with no
    FULFILLMENT_REQUESTED_V1 recorded for the order: correlated by the order's correlation
    id, or by its number (the confirmation's subject) when the sender set none."""
    confirmed = events.alias("confirmed")
    released = events.alias("released")
    order = func.coalesce(entity_states.c.correlation_id, confirmed.c.subject)
    is_released = exists().where(
        released.c.type == FULFILLMENT_REQUESTED_V1, released.c.correlation_id == order
    )
    no_request = (
        select(entity_states.c.entity_key, entity_states.c.last_event_time)
        .select_from(entity_states.join(confirmed, confirmed.c.id == entity_states.c.last_event_id))
        .where(
            entity_states.c.last_event_type == ORDER_CONFIRMED_V1,
            entity_states.c.last_event_time <= cutoff,
            ~is_released,
        )
    )
    # Requested by Odoo but not yet in the warehouse's hands: held, or waiting for its
    # release (a sync window, a WMS outage). Named by the order where the flow knows it.
    not_released = select(
        func.coalesce(fulfillments.c.correlation_id, fulfillments.c.fulfillment_id),
        fulfillments.c.created_at,
    ).where(fulfillments.c.state.in_(NOT_RELEASED_STATES), fulfillments.c.created_at <= cutoff)
    return select(union_all(no_request, not_released).subquery())


def released_not_shipped(cutoff: datetime) -> Select[Any]:
    """Delivery orders the outbound flow released to a warehouse (`fulfillments` in a
    released state) with no progress since the cutoff; and, for pickings no outbound flow
    handles, those whose board status is still `requested` (last event
    FULFILLMENT_REQUESTED_V1): neither shipped nor cancelled since."""
    requested = events.alias("requested")
    handled = exists().where(fulfillments.c.fulfillment_id == requested.c.subject)
    by_board = (
        select(entity_states.c.entity_key, entity_states.c.last_event_time)
        .select_from(entity_states.join(requested, requested.c.id == entity_states.c.last_event_id))
        .where(
            entity_states.c.last_event_type == FULFILLMENT_REQUESTED_V1,
            entity_states.c.last_event_time <= cutoff,
            ~handled,
        )
    )
    by_flow = select(fulfillments.c.fulfillment_id, fulfillments.c.updated_at).where(
        fulfillments.c.state.in_(RELEASED_STATES), fulfillments.c.updated_at <= cutoff
    )
    return select(union_all(by_board, by_flow).subquery())


def edi_unacknowledged(cutoff: datetime) -> Select[Any]:
    """Interchanges sent to a supplier (`edi_interchanges`, direction `out`) still waiting for
    their 997 or CONTRL (`pending`, or `overdue` once the supplier's own deadline passed)."""
    name = edi_interchanges.c.partner + ":" + edi_interchanges.c.control_number
    return select(name, edi_interchanges.c.created_at).where(
        edi_interchanges.c.direction == "out",
        edi_interchanges.c.ack_status.in_(("pending", "overdue")),
        edi_interchanges.c.created_at <= cutoff,
    )


def shipment_without_tracking(cutoff: datetime) -> Select[Any]:
    """Shipments (SHIPMENT_CREATED_V1, by subject: the shipment id) with no parcel registered
    for them in `shipment_tracking` (none of their packages had a tracking number)."""
    tracked = exists().where(shipment_tracking.c.shipment_id == events.c.subject)
    return (
        select(events.c.subject, func.min(events.c.time))
        .where(events.c.type == SHIPMENT_CREATED_V1, events.c.subject.is_not(None), ~tracked)
        .group_by(events.c.subject)
        .having(func.min(events.c.time) <= cutoff)
    )


def delivered_not_invoiced(cutoff: datetime) -> Select[Any]:
    """Orders with a parcel `delivered` in `shipment_tracking` (linked to the order through
    its SHIPMENT_CREATED_V1's correlation id) and no INVOICE_POSTED_V1 for that order."""
    shipped = events.alias("shipped")
    invoiced = events.alias("invoiced")
    has_invoice = exists().where(
        invoiced.c.type == INVOICE_POSTED_V1,
        invoiced.c.correlation_id == shipped.c.correlation_id,
    )
    joined = shipment_tracking.join(
        shipped,
        and_(
            shipped.c.type == SHIPMENT_CREATED_V1,
            shipped.c.subject == shipment_tracking.c.shipment_id,
        ),
    )
    return (
        select(shipped.c.correlation_id, func.min(shipment_tracking.c.delivered_at))
        .select_from(joined)
        .where(
            shipment_tracking.c.milestone == Milestone.DELIVERED.value,
            shipment_tracking.c.delivered_at <= cutoff,
            shipped.c.correlation_id.is_not(None),
            ~has_invoice,
        )
        .group_by(shipped.c.correlation_id)
    )


def carrier_exception_open(cutoff: datetime) -> Select[Any]:
    """Parcels whose current milestone is `exception` since before the cutoff: no later scan
    (delivered, back in transit, …) has moved them on."""
    return select(shipment_tracking.c.tracking_number, shipment_tracking.c.milestone_at).where(
        shipment_tracking.c.milestone == Milestone.EXCEPTION.value,
        shipment_tracking.c.milestone_at <= cutoff,
    )


QUERIES: dict[str, tuple[Callable[[datetime], Select[Any]], str]] = {
    "order_not_released": (order_not_released, "orders confirmed and not released"),
    "released_not_shipped": (released_not_shipped, "pickings released and not shipped"),
    "shipment_without_tracking": (
        shipment_without_tracking,
        "shipments without a tracking number",
    ),
    "delivered_not_invoiced": (delivered_not_invoiced, "orders delivered and not invoiced"),
    "carrier_exception_open": (carrier_exception_open, "parcels in a carrier exception"),
    "edi_unacknowledged": (edi_unacknowledged, "EDI interchanges sent and not acknowledged"),
}


def partner_silence(conn: Connection, now: datetime, limits: dict[str, timedelta]) -> list[Reading]:
    """One reading per watched partner: silent when its last message (`messages.received_at`)
    is older than its limit, or when it never sent one."""
    if not limits:
        return []
    query = (
        select(messages.c.partner, func.max(messages.c.received_at))
        .where(messages.c.partner.in_(list(limits)))
        .group_by(messages.c.partner)
    )
    last_heard: dict[str, datetime] = {row[0]: row[1] for row in conn.execute(query)}
    readings = []
    for partner, limit in sorted(limits.items()):
        heard = last_heard.get(partner)
        silent = heard is None or heard <= now - limit
        if heard is None:
            summary = f"partner {partner} has never sent a message"
        elif silent:
            summary = f"no message from partner {partner} since {heard.isoformat()}"
        else:
            summary = f"partner {partner} last heard {heard.isoformat()}"
        readings.append(
            Reading(
                monitor="partner_silence",
                threshold=limit,
                breaches=1 if silent else 0,
                oldest_age_seconds=_age(now, heard) if silent else None,
                sample=[partner] if silent else [],
                summary=summary,
                subject=partner,
            )
        )
    return readings


def read_all(conn: Connection, settings: MonitorsConfig, now: datetime) -> Sequence[Reading]:
    readings: list[Reading] = []
    for monitor, (build, what) in QUERIES.items():
        threshold: timedelta | None = getattr(settings, monitor)
        if threshold is None:
            continue
        readings.append(
            _read(
                conn,
                build(now - threshold),
                monitor=monitor,
                threshold=threshold,
                now=now,
                sample_size=settings.sample_size,
                what=what,
            )
        )
    readings.extend(partner_silence(conn, now, settings.partner_silence))
    return readings
