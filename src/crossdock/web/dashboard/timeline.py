"""One entity's story across systems: find what a search term names, then every message,
event, job, delivery attempt and audit entry that touches it, in time order.

A term may be an order number, a picking, a tracking number, a PO number or any external
id in the cross-reference table. It is widened once: to the correlation ids (the order or
PO) and lane keys (`picking:…`, `shipment:…`) its events carry, so the order's pickings,
parcels and invoices come along with it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, or_, select

from crossdock.store.schema import (
    audit_log,
    entity_states,
    events,
    jobs,
    messages,
    notification_deliveries,
    shipment_tracking,
    subscriptions,
    xrefs,
)

LIMIT = 500


@dataclass(frozen=True)
class Entry:
    """One line of the timeline."""

    at: datetime
    kind: str  # message, event, job, delivery, audit
    system: str  # who spoke or acted: a partner, crossdock, an endpoint, an operator
    title: str
    detail: str = ""
    status: str = ""
    link: str | None = None
    payload: Any = None


@dataclass
class Timeline:
    term: str
    correlations: set[str] = field(default_factory=set)
    lanes: set[str] = field(default_factory=set)
    states: list[dict[str, Any]] = field(default_factory=list)
    parcels: list[dict[str, Any]] = field(default_factory=list)
    entries: list[Entry] = field(default_factory=list)

    @property
    def found(self) -> bool:
        return bool(self.entries or self.states or self.parcels)


def _keys(conn: Connection, term: str) -> tuple[set[str], set[str], set[str]]:
    """(correlation ids, lane keys, subjects) that the term names."""
    subjects = {term}
    for row in conn.execute(select(xrefs.c.internal_key).where(xrefs.c.external_id == term)):
        key = str(row.internal_key)
        subjects.add(key.split(":", 1)[-1])
    for row in conn.execute(
        select(shipment_tracking.c.shipment_id).where(
            shipment_tracking.c.tracking_number == term,
            shipment_tracking.c.shipment_id.is_not(None),
        )
    ):
        subjects.add(row.shipment_id)
    correlations: set[str] = set()
    lanes: set[str] = set()
    query = (
        select(events.c.correlation_id, events.c.lane_key)
        .where(
            or_(
                events.c.subject.in_(subjects),
                events.c.correlation_id.in_(subjects),
            )
        )
        .limit(LIMIT)
    )
    for row in conn.execute(query):
        if row.correlation_id:
            correlations.add(row.correlation_id)
        if row.lane_key:
            lanes.add(row.lane_key)
    for row in conn.execute(
        select(entity_states.c.entity_key, entity_states.c.correlation_id).where(
            or_(
                entity_states.c.correlation_id.in_(subjects),
                entity_states.c.entity_key.in_(
                    [f"{kind}:{s}" for s in subjects for kind in _LANE_KINDS]
                ),
            )
        )
    ):
        lanes.add(row.entity_key)
        if row.correlation_id:
            correlations.add(row.correlation_id)
    return correlations, lanes, subjects


_LANE_KINDS = ("sale_order", "picking", "shipment", "purchase_order", "invoice", "order")


def _event_filter(correlations: set[str], lanes: set[str], subjects: set[str]) -> Any:
    return or_(
        events.c.correlation_id.in_(correlations),
        events.c.lane_key.in_(lanes),
        events.c.subject.in_(subjects),
    )


def search(conn: Connection, term: str) -> Timeline:
    term = term.strip()
    timeline = Timeline(term=term)
    if not term:
        return timeline
    correlations, lanes, subjects = _keys(conn, term)
    timeline.correlations, timeline.lanes = correlations, lanes
    event_rows = list(
        conn.execute(
            select(events)
            .where(_event_filter(correlations, lanes, subjects))
            .order_by(events.c.time)
            .limit(LIMIT)
        )
    )
    event_ids = [row.id for row in event_rows]
    message_ids = {row.message_id for row in event_rows if row.message_id}
    tracking_numbers = {
        str(row.subject)
        for row in event_rows
        if row.lane_key and row.lane_key.startswith("shipment:")
    }
    job_rows = list(
        conn.execute(
            select(jobs)
            .where(
                or_(
                    jobs.c.correlation_id.in_(correlations | {term}),
                    jobs.c.lane_key.in_(lanes),
                    jobs.c.message_id.in_(message_ids),
                )
            )
            .order_by(jobs.c.id)
            .limit(LIMIT)
        )
    )
    message_ids |= {row.message_id for row in job_rows if row.message_id}
    message_rows = list(
        conn.execute(
            select(
                messages.c.id,
                messages.c.partner,
                messages.c.received_at,
                messages.c.status,
                messages.c.error,
                messages.c.content_type,
            )
            .where(or_(messages.c.id.in_(message_ids), messages.c.correlation_id.in_(correlations)))
            .limit(LIMIT)
        )
    )
    delivery_rows = list(
        conn.execute(
            select(notification_deliveries, subscriptions.c.name)
            .join(subscriptions, subscriptions.c.id == notification_deliveries.c.subscription_id)
            .where(notification_deliveries.c.event_id.in_(event_ids))
            .order_by(notification_deliveries.c.id)
            .limit(LIMIT)
        )
    )
    audit_rows = list(
        conn.execute(
            select(audit_log)
            .where(audit_log.c.target.in_([f"job:{row.id}" for row in job_rows]))
            .order_by(audit_log.c.id)
            .limit(LIMIT)
        )
    )
    timeline.states = [
        dict(row._mapping)
        for row in conn.execute(
            select(entity_states)
            .where(
                or_(
                    entity_states.c.entity_key.in_(lanes),
                    entity_states.c.correlation_id.in_(correlations),
                )
            )
            .order_by(entity_states.c.entity_key)
        )
    ]
    timeline.parcels = [
        dict(row._mapping)
        for row in conn.execute(
            select(shipment_tracking).where(
                or_(
                    shipment_tracking.c.tracking_number.in_(tracking_numbers | {term}),
                    shipment_tracking.c.shipment_id.in_(subjects),
                )
            )
        )
    ]
    timeline.entries = sorted(
        [
            *_message_entries(message_rows),
            *_event_entries(event_rows),
            *_job_entries(job_rows),
            *_delivery_entries(delivery_rows),
            *_audit_entries(audit_rows),
        ],
        key=lambda entry: (entry.at, _ORDER[entry.kind]),
    )
    return timeline


_ORDER = {"message": 0, "event": 1, "job": 2, "delivery": 3, "audit": 4}


def _message_entries(rows: Iterable[Any]) -> list[Entry]:
    return [
        Entry(
            at=row.received_at,
            kind="message",
            system=row.partner,
            title=f"message received from {row.partner}",
            detail=row.error or row.content_type or "",
            status=row.status,
            link=f"/dashboard/messages/{row.id}",
        )
        for row in rows
    ]


def _event_entries(rows: Iterable[Any]) -> list[Entry]:
    return [
        Entry(
            at=row.time,
            kind="event",
            system=row.partner or row.source,
            title=row.type,
            detail=f"{row.subject or ''} · lane {row.lane_key or '—'} · source {row.source}",
            status="recorded",
            link=f"/dashboard/messages/{row.message_id}" if row.message_id else None,
            payload=row.envelope,
        )
        for row in rows
    ]


def _job_entries(rows: Iterable[Any]) -> list[Entry]:
    entries = []
    for row in rows:
        attempts = f"{row.attempts} attempt{'s' if row.attempts != 1 else ''}"
        entries.append(
            Entry(
                at=row.created_at,
                kind="job",
                system=row.partner or "crossdock",
                title=f"job {row.id} {row.job_type}",
                detail=f"{attempts} · lane {row.lane_key or '—'}"
                + (f" · last error: {row.last_error}" if row.last_error else ""),
                status=row.status,
                link="/dashboard/dead-letters" if row.status == "dead" else None,
                payload=row.payload,
            )
        )
    return entries


def _delivery_entries(rows: Iterable[Any]) -> list[Entry]:
    return [
        Entry(
            at=row.at,
            kind="delivery",
            system=f"endpoint {row.name}",
            title=f"notification attempt {row.attempt}: {row.event_type}",
            detail=(f"HTTP {row.status_code}" if row.status_code else "")
            + (f" · {row.error}" if row.error else "")
            + (f" · {row.duration_ms} ms" if row.duration_ms is not None else ""),
            status=row.outcome,
        )
        for row in rows
    ]


def _audit_entries(rows: Iterable[Any]) -> list[Entry]:
    return [
        Entry(
            at=row.at,
            kind="audit",
            system=row.actor,
            title=f"{row.action} {row.target}",
            detail=", ".join(
                f"{k}={v}" for k, v in sorted(row.details.items()) if k != "last_error"
            ),
            status="audited",
        )
        for row in rows
    ]
