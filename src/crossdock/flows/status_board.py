"""The status board: where every order, shipment and stock position stands right now.

It applies routed events per entity lane, in order. An older event that arrives late is
counted but never moves the status backward: the board shows the latest known state.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, insert, select, update

from crossdock.canonical.envelope import Envelope
from crossdock.canonical.event_types import SHIPMENT_CREATED_V1, parse_event_type
from crossdock.pipeline.registry import JobContext, JobRegistry
from crossdock.pipeline.route import Router
from crossdock.store import audit
from crossdock.store.schema import entity_states

JOB_TYPE = "flows.status_board"
SUBSCRIPTIONS = (
    "crossdock.order.*",
    "crossdock.fulfillment.*",
    # Not a parcel's raw scans (`milestone_recorded`): they arrive late, twice and out of
    # order. The tracking flow applies its verdict (`status_changed`) to the board itself,
    # in the transaction that decides it, so a parcel never goes back.
    SHIPMENT_CREATED_V1,
    "crossdock.purchase_order.*",
    "crossdock.receipt.*",
    "crossdock.invoice.*",
    "crossdock.inventory.*",
)
# Entities whose every status change is written to the audit trail, with before and after.
AUDITED_DOMAINS = frozenset({"order", "shipment", "purchase_order"})
AUDIT_ACTOR = "flow:status_board"


def status_of(envelope: Envelope) -> str:
    """The status an event puts its entity in: a milestone's value, else the event's name."""
    milestone = envelope.data.get("milestone")
    if isinstance(milestone, str):
        return milestone
    return parse_event_type(envelope.type).event


def entity_key(envelope: Envelope) -> str:
    if envelope.lanekey:
        return envelope.lanekey
    return f"{parse_event_type(envelope.type).domain}:{envelope.subject or envelope.id}"


def apply(conn: Connection, envelope: Envelope, now: datetime) -> None:
    key = entity_key(envelope)
    current = conn.execute(
        select(
            entity_states.c.last_event_time,
            entity_states.c.events_applied,
            entity_states.c.status,
        ).where(entity_states.c.entity_key == key)
    ).first()
    if current is None:
        _audit_change(conn, envelope, key, None, now)
        conn.execute(
            insert(entity_states).values(
                entity_key=key,
                entity_type=parse_event_type(envelope.type).domain,
                status=status_of(envelope),
                last_event_id=envelope.id,
                last_event_type=envelope.type,
                last_event_time=envelope.time,
                correlation_id=envelope.correlationid,
                events_applied=1,
                updated_at=now,
            )
        )
        return
    values: dict[str, object] = {"events_applied": current.events_applied + 1, "updated_at": now}
    if envelope.time >= current.last_event_time:
        values.update(
            status=status_of(envelope),
            last_event_id=envelope.id,
            last_event_type=envelope.type,
            last_event_time=envelope.time,
        )
        if values["status"] != current.status:
            _audit_change(conn, envelope, key, current.status, now)
    conn.execute(update(entity_states).where(entity_states.c.entity_key == key).values(**values))


def _audit_change(
    conn: Connection, envelope: Envelope, key: str, before: str | None, now: datetime
) -> None:
    """An order's, shipment's or purchase order's status moved: append it, in this transaction."""
    if parse_event_type(envelope.type).domain not in AUDITED_DOMAINS:
        return
    audit.append(
        conn,
        at=now,
        actor=AUDIT_ACTOR,
        action="status.changed",
        target=key,
        details={
            "event_id": envelope.id,
            "event_type": envelope.type,
            "partner": envelope.partner,
            "event_time": envelope.time.isoformat(),
        },
        before={"status": before} if before is not None else None,
        after={"status": status_of(envelope)},
    )


async def handle(ctx: JobContext) -> None:
    envelope = Envelope.from_cloudevent(ctx.payload["event"])
    now = ctx.clock.now()
    ctx.write(lambda conn: apply(conn, envelope, now))


def register(registry: JobRegistry, router: Router) -> None:
    registry.register(JOB_TYPE, handle)
    router.subscribe(JOB_TYPE, SUBSCRIPTIONS)
