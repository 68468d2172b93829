"""The tracking flow: each parcel's milestones applied in order, and a status event when the
current milestone moves.

`flows.tracking` runs on the parcel's lane (`shipment:<tracking number>`) for every
`milestone_recorded` event: it applies the rules of `tracking_rules` to the parcel's row in
`shipment_tracking` and, only when the current milestone moved, records and routes a
`crossdock.shipment.status_changed.v1` event, and moves the status board's row for the
parcel in the same transaction. Consumers of that event (subscribers' notifications) and of
the row (Odoo's delivered date and exception activities, read at flush time) so never see a
parcel go backwards. `flows.tracking_register` learns tracking numbers from `shipment.created`
events, so parcels that no carrier webhook reports get polled.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Connection

from crossdock.canonical.envelope import Envelope
from crossdock.canonical.event_types import (
    SHIPMENT_CREATED_V1,
    SHIPMENT_MILESTONE_RECORDED_V1,
    SHIPMENT_STATUS_CHANGED_V1,
)
from crossdock.canonical.milestones import Milestone, ShipmentStatus, TrackingMilestone
from crossdock.canonical.registry import build_event
from crossdock.canonical.shipment import Shipment
from crossdock.config import TrackingConfig
from crossdock.flows import status_board
from crossdock.flows.tracking_rules import Current, Outcome, decide, is_terminal
from crossdock.flows.tracking_sinks import TrackingSink
from crossdock.ids import derived_id
from crossdock.pipeline.registry import Handler, JobContext, JobRegistry
from crossdock.pipeline.route import Router
from crossdock.store import events, tracking
from crossdock.store.tracking import TrackingRow

JOB_TYPE = "flows.tracking"
REGISTER_JOB_TYPE = "flows.tracking_register"
SOURCE = "/flows/tracking"


def _current(row: TrackingRow | None) -> Current | None:
    if row is None or row.milestone is None or row.milestone_at is None:
        return None
    return Current(Milestone(row.milestone), row.milestone_at)


def apply_milestone(
    row: TrackingRow | None,
    milestone: TrackingMilestone,
    event_id: str,
    partner: str | None,
    now: datetime,
    config: TrackingConfig,
) -> tuple[TrackingRow, Outcome, Milestone | None]:
    """The parcel's row after `milestone`, what happened, and the milestone it replaced."""
    if row is None:
        row = TrackingRow(
            tracking_number=milestone.tracking_number,
            carrier_code=milestone.carrier_code,
            registered_at=now,
            updated_at=now,
            shipment_id=milestone.shipment_id,
        )
    previous = _current(row)
    outcome = decide(previous, milestone.milestone, milestone.occurred_at)
    values: dict[str, object] = {
        "events_applied": row.events_applied + 1,
        "last_heard_at": now,
        "partner": partner or row.partner,
        "updated_at": now,
        "shipment_id": row.shipment_id or milestone.shipment_id,
    }
    if outcome is Outcome.LATE:
        values["late_events"] = row.late_events + 1
    if outcome is Outcome.ADVANCED:
        values.update(
            milestone=milestone.milestone.value,
            milestone_at=milestone.occurred_at,
            exception_reason=(
                milestone.exception_reason.value if milestone.exception_reason else None
            ),
            last_event_id=event_id,
            carrier_code=milestone.carrier_code,
        )
        if milestone.milestone is Milestone.DELIVERED:
            values["delivered_at"] = milestone.occurred_at
    current = Milestone(str(values.get("milestone", row.milestone or "unknown")))
    # Polling is the fallback for a carrier gone quiet; a settled parcel is never polled.
    values["next_poll_at"] = None if is_terminal(current) else now + config.poll_after_silence
    return row.changed(**values), outcome, previous.milestone if previous else None


def status_event(
    envelope: Envelope,
    milestone: TrackingMilestone,
    row: TrackingRow,
    previous: Milestone | None,
) -> Envelope:
    status = ShipmentStatus(
        tracking_number=milestone.tracking_number,
        carrier_code=milestone.carrier_code,
        milestone=milestone.milestone,
        previous_milestone=previous,
        exception_reason=milestone.exception_reason,
        occurred_at=milestone.occurred_at,
        delivered_at=row.delivered_at,
        location=milestone.location,
        raw_code=milestone.raw_code,
        raw_text=milestone.raw_text,
        shipment_id=row.shipment_id,
        proof_of_delivery=milestone.proof_of_delivery,
        milestone_event_id=envelope.id,
    )
    return build_event(
        SHIPMENT_STATUS_CHANGED_V1,
        status,
        source=SOURCE,
        subject=milestone.tracking_number,
        correlationid=envelope.correlationid,
        partner=envelope.partner,
        lanekey=envelope.lanekey,
        # Derived from the milestone event: a replayed job records and routes the same event.
        event_id=derived_id(SHIPMENT_STATUS_CHANGED_V1, envelope.id),
        time=milestone.occurred_at,
    )


def make_handler(
    router: Router, config: TrackingConfig, sinks: Sequence[TrackingSink] = ()
) -> Handler:
    async def handle(ctx: JobContext) -> None:
        envelope = Envelope.from_cloudevent(ctx.payload["event"])
        milestone = TrackingMilestone.model_validate(envelope.data)
        row = await ctx.store.run(_read, ctx, milestone.tracking_number)
        if row is not None and row.last_event_id == envelope.id:
            ctx.log.debug("duplicate milestone", tracking=milestone.tracking_number)
            return
        now = ctx.clock.now()
        new_row, outcome, previous = apply_milestone(
            row, milestone, envelope.id, envelope.partner, now, config
        )

        def save(conn: Connection) -> None:
            if row is None and tracking.register(conn, new_row):
                return
            tracking.save(conn, new_row)

        ctx.write(save)
        for sink in sinks:
            sink(ctx, milestone, envelope)
        ctx.log.debug(
            "milestone applied",
            tracking=milestone.tracking_number,
            milestone=milestone.milestone.value,
            outcome=outcome.value,
        )
        if outcome is not Outcome.ADVANCED:
            return
        changed = status_event(envelope, milestone, new_row, previous)
        message_id = ctx.job.message_id
        ctx.write(lambda conn: events.record(conn, [changed], message_id, now))
        # The board's shipment row moves in this same transaction (one job less per scan,
        # and on the parcel's lane like the board's own jobs would be).
        ctx.write(lambda conn: status_board.apply(conn, changed, now))
        for spec in router.route(changed, message_id):
            ctx.enqueue(spec)

    return handle


def make_register_handler() -> Handler:
    async def register(ctx: JobContext) -> None:
        envelope = Envelope.from_cloudevent(ctx.payload["event"])
        shipment = Shipment.model_validate(envelope.data)
        now = ctx.clock.now()
        rows = [
            TrackingRow(
                tracking_number=package.tracking_number,
                carrier_code=shipment.carrier_code,
                registered_at=now,
                updated_at=now,
                shipment_id=shipment.shipment_id,
                partner=envelope.partner,
                # Due at once: nothing has been heard of the parcel yet.
                next_poll_at=now,
            )
            for package in shipment.packages
            if package.tracking_number
        ]

        def store(conn: Connection) -> None:
            for row in rows:
                if not tracking.register(conn, row):
                    tracking.attach_shipment(conn, row.tracking_number, shipment.shipment_id)

        ctx.write(store)

    return register


def _read(ctx: JobContext, tracking_number: str) -> TrackingRow | None:
    with ctx.store.engine.connect() as conn:
        return tracking.get(conn, tracking_number)


def register(
    registry: JobRegistry,
    router: Router,
    config: TrackingConfig,
    sinks: Sequence[TrackingSink] = (),
) -> None:
    """`sinks` is read when each job runs, so connectors may add theirs after this call."""
    registry.register(JOB_TYPE, make_handler(router, config, sinks))
    router.subscribe(JOB_TYPE, [SHIPMENT_MILESTONE_RECORDED_V1])
    registry.register(REGISTER_JOB_TYPE, make_register_handler())
    router.subscribe(REGISTER_JOB_TYPE, [SHIPMENT_CREATED_V1])
