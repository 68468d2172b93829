"""Put the store in the states the monitors read, through the same functions the flows use."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from crossdock.canonical.envelope import Envelope
from crossdock.canonical.event_types import (
    FULFILLMENT_REQUESTED_V1,
    INVOICE_POSTED_V1,
    ORDER_CONFIRMED_V1,
    SHIPMENT_CREATED_V1,
)
from crossdock.clock import FrozenClock
from crossdock.flows import status_board
from crossdock.ids import new_id
from crossdock.observe.monitors.job import JOB_TYPE
from crossdock.pipeline.translate import translate_job_factory
from crossdock.runtime import Runtime
from crossdock.sandbox import generic_partner as sim
from crossdock.store import events, tracking
from crossdock.store.alerts import AlertRow, all_rows
from crossdock.store.inbox import IncomingMessage
from crossdock.store.schema import events as events_table
from crossdock.store.tracking import TrackingRow


def envelope(
    event_type: str,
    *,
    subject: str,
    lanekey: str,
    correlation: str,
    time: datetime,
    data: dict[str, Any] | None = None,
) -> Envelope:
    return Envelope(
        id=new_id(),
        source="/test/monitors",
        type=event_type,
        subject=subject,
        time=time,
        data=data or {},
        correlationid=correlation,
        partner="odoo",
        lanekey=lanekey,
        schemaversion=1,
    )


def record(runtime: Runtime, *envelopes: Envelope) -> None:
    """Record the events and apply them to the status board, as translate and the board do."""
    now = runtime.clock.now()
    with runtime.store.transaction() as conn:
        events.record(conn, envelopes, None, now)
        for item in envelopes:
            status_board.apply(conn, item, now)


def order_confirmed(order: str, time: datetime) -> Envelope:
    return envelope(
        ORDER_CONFIRMED_V1,
        subject=order,
        lanekey=f"sale_order:{order}",
        correlation=order,
        time=time,
    )


def fulfillment_requested(picking: str, order: str, time: datetime) -> Envelope:
    return envelope(
        FULFILLMENT_REQUESTED_V1,
        subject=picking,
        lanekey=f"picking:{picking}",
        correlation=order,
        time=time,
    )


def shipment_created(picking: str, order: str, time: datetime) -> Envelope:
    return envelope(
        SHIPMENT_CREATED_V1,
        subject=picking,
        lanekey=f"picking:{picking}",
        correlation=order,
        time=time,
    )


def invoice_posted(number: str, order: str, time: datetime) -> Envelope:
    return envelope(
        INVOICE_POSTED_V1,
        subject=number,
        lanekey=f"invoice:{number}",
        correlation=order,
        time=time,
    )


def parcel(
    runtime: Runtime, tracking_number: str, shipment_id: str | None = None, **values: Any
) -> None:
    """Register a parcel or change its row, as the tracking flow does."""
    now = runtime.clock.now()
    with runtime.store.transaction() as conn:
        row = tracking.get(conn, tracking_number)
        if row is None:
            tracking.register(
                conn,
                TrackingRow(
                    tracking_number=tracking_number,
                    carrier_code="ups",
                    registered_at=now,
                    updated_at=now,
                    shipment_id=shipment_id,
                    **values,
                ),
            )
        else:
            tracking.save(conn, row.changed(updated_at=now, **values))


def partner_message(runtime: Runtime, partner: str, clock: FrozenClock) -> None:
    body = sim.encode(sim.order_confirmed(1, clock.now()))
    message = IncomingMessage(
        id=new_id(),
        partner=partner,
        dedup_key=f"msg_{new_id()}",
        received_at=clock.now(),
        headers={},
        body=body,
        content_type="application/json",
    )
    runtime.inbox.ingest([message], translate_job_factory(runtime.partners))


async def evaluate(runtime: Runtime, clock: FrozenClock, after: timedelta) -> None:
    """Move time on and run what is due: the monitor chain's next evaluation among it."""
    clock.advance(after)
    await runtime.worker().run_until_idle()


def alert_rows(runtime: Runtime) -> dict[str, AlertRow]:
    with runtime.store.engine.connect() as conn:
        return all_rows(conn)


def alert_events(runtime: Runtime) -> list[Envelope]:
    query = (
        select(events_table.c.envelope)
        .where(events_table.c.type.like("crossdock.alert.%"))
        .order_by(events_table.c.recorded_at, events_table.c.type.desc())
    )
    with runtime.store.engine.connect() as conn:
        return [Envelope.from_cloudevent(row.envelope) for row in conn.execute(query)]


def evaluations(runtime: Runtime) -> int:
    return sum(
        count
        for (job_type, status), count in runtime.queue.counts().items()
        if job_type == JOB_TYPE and status == "done"
    )
