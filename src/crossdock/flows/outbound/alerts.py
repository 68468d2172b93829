"""Making problems visible: an exception or conflict row, a log line and a canonical event.

The event (`crossdock.fulfillment.exception_raised.v1`, `crossdock.ownership.conflict_raised.v1`)
is recorded and routed in the transaction that finishes the step, so the status board and
the notifications connector (subscriptions) hear of it exactly when the row exists. Ids are
derived from what caused the problem, so a replayed step raises nothing new.
"""

from __future__ import annotations

import structlog

from crossdock.canonical.envelope import Envelope
from crossdock.canonical.event_types import (
    FULFILLMENT_EXCEPTION_RAISED_V1,
    OWNERSHIP_CONFLICT_RAISED_V1,
)
from crossdock.canonical.fulfillment import ExceptionKind, FulfillmentException, OwnershipConflict
from crossdock.canonical.registry import build_event
from crossdock.flows.outbound import repository
from crossdock.flows.outbound.ownership import Conflict
from crossdock.flows.outbound.repository import FulfillmentRow
from crossdock.ids import derived_id
from crossdock.pipeline.registry import JobContext
from crossdock.pipeline.route import Router
from crossdock.store import events

SOURCE = "/flows/outbound"
log = structlog.get_logger("crossdock.outbound")


def lane(fulfillment_id: str) -> str:
    return f"picking:{fulfillment_id}"


def _publish(ctx: JobContext, router: Router, envelope: Envelope) -> None:
    now = ctx.clock.now()
    message_id = ctx.job.message_id
    ctx.write(lambda conn: events.record(conn, [envelope], message_id, now))
    for spec in router.route(envelope, message_id):
        ctx.enqueue(spec)


def raise_exception(
    ctx: JobContext,
    router: Router,
    row: FulfillmentRow,
    kind: ExceptionKind,
    detail: str,
    cause: str,
) -> None:
    now = ctx.clock.now()
    event_id = derived_id("outbound.exception", row.fulfillment_id, kind.value, cause)
    data = FulfillmentException(
        fulfillment_id=row.fulfillment_id,
        order_reference=row.correlation_id,
        kind=kind,
        detail=detail,
        occurred_at=now,
    )
    ctx.write(
        lambda conn: repository.add_exception(
            conn,
            event_id=event_id,
            fulfillment_id=row.fulfillment_id,
            kind=kind.value,
            detail=detail,
            now=now,
        )
    )
    _publish(
        ctx,
        router,
        build_event(
            FULFILLMENT_EXCEPTION_RAISED_V1,
            data,
            source=SOURCE,
            subject=row.fulfillment_id,
            correlationid=row.correlation_id,
            lanekey=lane(row.fulfillment_id),
            event_id=event_id,
            time=now,
        ),
    )
    log.warning(
        "fulfillment exception",
        fulfillment=row.fulfillment_id,
        order=row.correlation_id,
        kind=kind.value,
        detail=detail,
    )


def raise_conflict(
    ctx: JobContext, router: Router, row: FulfillmentRow, conflict: Conflict, cause: str
) -> None:
    now = ctx.clock.now()
    entity = lane(row.fulfillment_id)
    event_id = derived_id("outbound.conflict", entity, conflict.field, cause)
    values = {
        "entity": entity,
        "field": conflict.field,
        "owner": conflict.owner,
        "reported_by": conflict.reported_by,
        "owner_value": conflict.owner_value,
        "reported_value": conflict.reported_value,
    }
    ctx.write(lambda conn: repository.add_conflict(conn, event_id=event_id, values=values, now=now))
    _publish(
        ctx,
        router,
        build_event(
            OWNERSHIP_CONFLICT_RAISED_V1,
            OwnershipConflict(occurred_at=now, **values),
            source=SOURCE,
            subject=row.fulfillment_id,
            correlationid=row.correlation_id,
            lanekey=entity,
            event_id=event_id,
            time=now,
        ),
    )
    log.warning("ownership conflict", **values)
