"""The tracking flow on a real store: order, late events, duplicates, terminal states, status
events, and parcels registered from shipments for polling."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select

from crossdock.canonical.common import Party
from crossdock.canonical.envelope import Envelope
from crossdock.canonical.event_types import (
    SHIPMENT_CREATED_V1,
    SHIPMENT_STATUS_CHANGED_V1,
)
from crossdock.canonical.milestones import ProofOfDelivery
from crossdock.canonical.registry import build_event
from crossdock.canonical.shipment import Package, Shipment
from crossdock.clock import FrozenClock
from crossdock.runtime import Runtime
from crossdock.store import tracking
from crossdock.store.schema import entity_states, events
from tests.support.factories import make_config, make_runtime
from tests.support.tracking import scan

T0 = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
TRACKING = "1Z999AA10123456784"


def milestone(step: str, hours: float, **extra: Any) -> Envelope:
    return scan(TRACKING, step, T0, hours, **extra)


async def deliver(runtime: Runtime, *envelopes: Envelope) -> None:
    for envelope in envelopes:
        runtime.queue.enqueue(runtime.router.route(envelope, None), runtime.clock.now())
        await runtime.worker().run_until_idle()


def statuses(runtime: Runtime) -> list[tuple[str, str | None]]:
    query = (
        select(events.c.envelope)
        .where(events.c.type == SHIPMENT_STATUS_CHANGED_V1)
        .order_by(events.c.time)
    )
    with runtime.store.engine.connect() as conn:
        rows = [row.envelope["data"] for row in conn.execute(query)]
    return [(row["milestone"], row["previous_milestone"]) for row in rows]


def row(runtime: Runtime) -> tracking.TrackingRow:
    with runtime.store.engine.connect() as conn:
        found = tracking.get(conn, TRACKING)
    assert found is not None
    return found


async def test_late_duplicate_and_terminal_events(db_url: str) -> None:
    runtime = make_runtime(make_config(db_url, []), clock=FrozenClock(NOW))
    await deliver(
        runtime,
        milestone("picked_up", 0),
        milestone("out_for_delivery", 20),
        milestone("in_transit", 5),  # late: history only
        milestone("out_for_delivery", 20),  # duplicate: nothing
        milestone("delivered", 22, proof_of_delivery=ProofOfDelivery(signed_by="J. DOE")),
        milestone("in_transit", 23),  # after delivery: held
        milestone("unknown", 24),  # unknown code never replaces a known milestone
    )
    state = row(runtime)
    assert state.milestone == "delivered"
    assert state.delivered_at == T0 + timedelta(hours=22)
    assert state.events_applied == 6
    assert state.late_events == 1
    assert state.next_poll_at is None, "a delivered parcel is not polled"
    assert statuses(runtime) == [
        ("picked_up", None),
        ("out_for_delivery", "picked_up"),
        ("delivered", "out_for_delivery"),
    ]
    with runtime.store.engine.connect() as conn:
        board = conn.execute(
            select(entity_states.c.status, entity_states.c.events_applied).where(
                entity_states.c.entity_key == f"shipment:{TRACKING}"
            )
        ).one()
    assert (board.status, board.events_applied) == ("delivered", 3)

    await deliver(runtime, milestone("returned_to_sender", 30))
    assert row(runtime).milestone == "returned_to_sender"
    assert statuses(runtime)[-1] == ("returned_to_sender", "delivered")
    assert runtime.queue.dead_jobs() == []
    runtime.store.dispose()


async def test_exception_then_recovery_and_poll_schedule(db_url: str) -> None:
    clock = FrozenClock(NOW)
    runtime = make_runtime(make_config(db_url, []), clock=clock)
    await deliver(runtime, milestone("exception", 3, exception_reason="address"))
    state = row(runtime)
    assert (state.milestone, state.exception_reason) == ("exception", "address")
    assert state.next_poll_at == NOW + runtime.config.tracking.poll_after_silence
    await deliver(runtime, milestone("in_transit", 4))
    state = row(runtime)
    assert (state.milestone, state.exception_reason) == ("in_transit", None)
    runtime.store.dispose()


async def test_shipments_register_their_parcels_for_polling(db_url: str) -> None:
    clock = FrozenClock(NOW)
    runtime = make_runtime(make_config(db_url, []), clock=clock)
    party = Party(
        name="Warehouse", address={"line1": "1 Dock Road", "city": "Antwerp", "country_code": "BE"}
    )
    shipment = Shipment(
        shipment_id="WH/OUT/00042",
        carrier_code="ups",
        service_level="ground",
        ship_from=party,
        ship_to=party,
        packages=[
            Package(tracking_number=TRACKING, weight={"value": "1.2", "unit": "kg"}),
            Package(tracking_number="1Z999AA10123456785", weight={"value": "2", "unit": "kg"}),
            Package(weight={"value": "2", "unit": "kg"}),
        ],
    )
    created = build_event(
        SHIPMENT_CREATED_V1, shipment, source="/test", subject="WH/OUT/00042", partner="wms"
    )
    await deliver(runtime, created)
    state = row(runtime)
    assert (state.shipment_id, state.carrier_code, state.next_poll_at) == (
        "WH/OUT/00042",
        "ups",
        NOW,
    )
    assert state.milestone is None
    await deliver(runtime, milestone("in_transit", 1))
    state = row(runtime)
    assert (state.shipment_id, state.milestone) == ("WH/OUT/00042", "in_transit")
    await deliver(runtime, created)  # registered again: nothing changes
    assert row(runtime).milestone == "in_transit"
    runtime.store.dispose()
