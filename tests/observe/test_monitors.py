"""Each business monitor fires once past its threshold and clears once, on both engines."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from prometheus_client import CollectorRegistry, generate_latest

from crossdock.clock import FrozenClock
from crossdock.config import PartnerConfig
from crossdock.connectors.edi.partner import bookkeeping
from crossdock.flows.outbound import repository as fulfillments
from crossdock.observe.monitors.settings import MonitorsConfig
from crossdock.observe.store_metrics import StoreCollector
from crossdock.runtime import Runtime
from support.factories import make_config, make_runtime, partner_secret
from support.logs import isolated_logging
from tests.observe import monitor_support as ms
from tests.observe.metrics_scrape import parse, value

START = datetime(2026, 3, 2, 9, 0, 30, tzinfo=UTC)
OFF: dict[str, object] = {
    "order_not_released": None,
    "released_not_shipped": None,
    "shipment_without_tracking": None,
    "delivered_not_invoiced": None,
    "carrier_exception_open": None,
    "edi_unacknowledged": None,
}

Step = Callable[[Runtime, FrozenClock], None]


@dataclass(frozen=True)
class Scenario:
    """Make the condition true (`breach`), wait `past` the threshold, then clear it."""

    monitor: str
    settings: dict[str, object]
    breach: Step
    past: timedelta
    clear: Step
    key: str
    sample: list[str]


def _confirm(runtime: Runtime, clock: FrozenClock) -> None:
    ms.record(runtime, ms.order_confirmed("SO001", clock.now()))
    # Released orders never count, however old.
    ms.record(runtime, ms.order_confirmed("SO002", clock.now()))
    ms.record(runtime, ms.fulfillment_requested("WH/OUT/2", "SO002", clock.now()))
    # A sender that sets no correlation id: the order number (subject) links the release.
    uncorrelated = ms.order_confirmed("SO003", clock.now()).model_copy(
        update={"correlationid": None}
    )
    ms.record(runtime, uncorrelated)
    ms.record(runtime, ms.fulfillment_requested("WH/OUT/3", "SO003", clock.now()))


def _release(runtime: Runtime, clock: FrozenClock) -> None:
    ms.record(runtime, ms.fulfillment_requested("WH/OUT/1", "SO001", clock.now()))


def _request(runtime: Runtime, clock: FrozenClock) -> None:
    ms.record(runtime, ms.fulfillment_requested("WH/OUT/1", "SO001", clock.now()))


def _ship(runtime: Runtime, clock: FrozenClock) -> None:
    ms.record(runtime, ms.shipment_created("WH/OUT/1", "SO001", clock.now()))


def _ship_untracked(runtime: Runtime, clock: FrozenClock) -> None:
    ms.record(runtime, ms.shipment_created("WH/OUT/1", "SO001", clock.now()))


def _track(runtime: Runtime, _clock: FrozenClock) -> None:
    ms.parcel(runtime, "1Z0001", shipment_id="WH/OUT/1")


def _deliver(runtime: Runtime, clock: FrozenClock) -> None:
    ms.record(runtime, ms.shipment_created("WH/OUT/1", "SO001", clock.now()))
    ms.parcel(runtime, "1Z0001", "WH/OUT/1", milestone="delivered", delivered_at=clock.now())


def _invoice(runtime: Runtime, clock: FrozenClock) -> None:
    ms.record(runtime, ms.invoice_posted("INV/2026/0001", "SO001", clock.now()))


def _exception(runtime: Runtime, clock: FrozenClock) -> None:
    ms.parcel(runtime, "1Z0001", milestone="exception", milestone_at=clock.now())


def _back_in_transit(runtime: Runtime, clock: FrozenClock) -> None:
    ms.parcel(runtime, "1Z0001", milestone="in_transit", milestone_at=clock.now())


def _fulfillment(runtime: Runtime, clock: FrozenClock, state: str) -> None:
    """The outbound flow's row for WH/OUT/9 of SO009, as the flow saves it."""
    now = clock.now()
    row = fulfillments.get(runtime.store, "WH/OUT/9")
    with runtime.store.engine.begin() as conn:
        if row is None:
            new = fulfillments.FulfillmentRow(
                fulfillment_id="WH/OUT/9",
                state=state,
                request={},
                created_at=now,
                updated_at=now,
                correlation_id="SO009",
            )
            fulfillments.save(conn, new, new=True)
        else:
            fulfillments.save(conn, row.changed(state=state, updated_at=now), new=False)


def _hold(runtime: Runtime, clock: FrozenClock) -> None:
    _fulfillment(runtime, clock, "held")


def _release_to_wms(runtime: Runtime, clock: FrozenClock) -> None:
    _fulfillment(runtime, clock, "released")


def _wms_ships(runtime: Runtime, clock: FrozenClock) -> None:
    _fulfillment(runtime, clock, "shipped")


def _send_850(runtime: Runtime, clock: FrozenClock) -> None:
    with runtime.store.engine.begin() as conn:
        bookkeeping.record(
            conn,
            partner="acme",
            direction=bookkeeping.OUTBOUND,
            standard="x12",
            sender="ZZ/CROSSDOCK",
            receiver="ZZ/ACME",
            control_number="000000042",
            document="850 PO00042",
            created_at=clock.now(),
            ack_status="pending",
            ack_due_at=clock.now() + timedelta(days=2),
        )


def _receive_997(runtime: Runtime, clock: FrozenClock) -> None:
    with runtime.store.engine.begin() as conn:
        moved = bookkeeping.acknowledge(conn, "acme", ["42"], "accepted", {}, clock.now())
    assert len(moved) == 1


def _hear(runtime: Runtime, clock: FrozenClock) -> None:
    ms.partner_message(runtime, "acme", clock)


SCENARIOS = [
    Scenario(
        "order_not_released",
        {"order_not_released": timedelta(minutes=30)},
        _confirm,
        timedelta(minutes=31),
        _release,
        "order_not_released",
        ["sale_order:SO001"],
    ),
    Scenario(
        "released_not_shipped",
        {"released_not_shipped": timedelta(hours=8)},
        _request,
        timedelta(hours=8, minutes=1),
        _ship,
        "released_not_shipped",
        ["picking:WH/OUT/1"],
    ),
    Scenario(
        "shipment_without_tracking",
        {"shipment_without_tracking": timedelta(hours=2)},
        _ship_untracked,
        timedelta(hours=2, minutes=1),
        _track,
        "shipment_without_tracking",
        ["WH/OUT/1"],
    ),
    Scenario(
        "delivered_not_invoiced",
        {"delivered_not_invoiced": timedelta(hours=24)},
        _deliver,
        timedelta(hours=24, minutes=1),
        _invoice,
        "delivered_not_invoiced",
        ["SO001"],
    ),
    Scenario(
        "carrier_exception_open",
        {"carrier_exception_open": timedelta(hours=4)},
        _exception,
        timedelta(hours=4, minutes=1),
        _back_in_transit,
        "carrier_exception_open",
        ["1Z0001"],
    ),
    Scenario(
        "order_not_released",
        {"order_not_released": timedelta(minutes=30)},
        _hold,
        timedelta(minutes=31),
        _release_to_wms,
        "order_not_released",
        ["SO009"],
    ),
    Scenario(
        "released_not_shipped",
        {"released_not_shipped": timedelta(hours=8)},
        _release_to_wms,
        timedelta(hours=8, minutes=1),
        _wms_ships,
        "released_not_shipped",
        ["WH/OUT/9"],
    ),
    Scenario(
        "edi_unacknowledged",
        {"edi_unacknowledged": timedelta(hours=24)},
        _send_850,
        timedelta(hours=24, minutes=1),
        _receive_997,
        "edi_unacknowledged",
        ["acme:000000042"],
    ),
    Scenario(
        "partner_silence",
        {"partner_silence": {"acme": timedelta(hours=1)}},
        _hear,
        timedelta(hours=1, minutes=1),
        _hear,
        "partner_silence:acme",
        ["acme"],
    ),
]


@pytest.fixture(autouse=True)
def _logging(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    with isolated_logging(monkeypatch):
        yield


def build(db_url: str, tmp_path: Path, clock: FrozenClock, settings: dict[str, object]) -> Runtime:
    _, ref = partner_secret(tmp_path)
    monitors = MonitorsConfig.model_validate({"enabled": True, **OFF, **settings})
    config = make_config(
        db_url,
        [ref],
        partners=[PartnerConfig(id="acme", kind="generic", secrets=[ref])],
        monitors=monitors,
    )
    return make_runtime(config, clock)


def monitor_samples(runtime: Runtime) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    registry = CollectorRegistry()
    registry.register(StoreCollector(runtime.store, runtime.clock))
    return parse(generate_latest(registry).decode())[1]


@pytest.mark.parametrize(
    "scenario", SCENARIOS, ids=[f"{s.monitor}-{s.breach.__name__.strip('_')}" for s in SCENARIOS]
)
async def test_monitor_fires_once_and_clears_once(
    scenario: Scenario,
    db_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    clock = FrozenClock(START)
    runtime = build(db_url, tmp_path, clock, scenario.settings)
    try:
        assert runtime.schedule_startup_jobs() == 1
        scenario.breach(runtime, clock)
        await ms.evaluate(runtime, clock, timedelta(seconds=30))
        assert ms.evaluations(runtime) == 1
        assert runtime.clock.now() == START + timedelta(seconds=30)
        assert ms.alert_rows(runtime)[scenario.key].state == "ok"
        assert ms.alert_events(runtime) == []

        await ms.evaluate(runtime, clock, scenario.past)
        row = ms.alert_rows(runtime)[scenario.key]
        assert (row.state, row.value, row.details["sample"]) == ("firing", 1, scenario.sample)
        assert row.raised_at == clock.now()
        (raised,) = ms.alert_events(runtime)
        assert raised.type == "crossdock.alert.raised.v1"
        assert raised.data["monitor"] == scenario.monitor
        assert raised.data["breaches"] == 1
        assert "alert raised" in capsys.readouterr().err
        labels = {"monitor": scenario.monitor}
        assert value(monitor_samples(runtime), "crossdock_monitor_firing", labels) == 1
        assert value(monitor_samples(runtime), "crossdock_monitor_breaches", labels) == 1

        # Still in breach: evaluated again, not raised again.
        await ms.evaluate(runtime, clock, timedelta(minutes=1))
        assert ms.evaluations(runtime) == 3
        assert len(ms.alert_events(runtime)) == 1

        scenario.clear(runtime, clock)
        await ms.evaluate(runtime, clock, timedelta(minutes=1))
        row = ms.alert_rows(runtime)[scenario.key]
        assert (row.state, row.value, row.resolved_at) == ("ok", 0, clock.now())
        raised_again, resolved = ms.alert_events(runtime)
        assert raised_again == raised
        assert resolved.type == "crossdock.alert.resolved.v1"
        assert resolved.data["raised_at"] == raised.data["raised_at"]
        assert "alert resolved" in capsys.readouterr().err
        assert value(monitor_samples(runtime), "crossdock_monitor_firing", labels) == 0

        await ms.evaluate(runtime, clock, timedelta(minutes=1))
        assert len(ms.alert_events(runtime)) == 2
    finally:
        runtime.store.dispose()


async def test_switching_monitors_off_resolves_open_alerts_and_ends_the_chain(
    db_url: str, tmp_path: Path
) -> None:
    clock = FrozenClock(START)
    runtime = build(db_url, tmp_path, clock, {"carrier_exception_open": timedelta(hours=1)})
    try:
        runtime.schedule_startup_jobs()
        ms.parcel(runtime, "1Z0001", milestone="exception", milestone_at=clock.now())
        await ms.evaluate(runtime, clock, timedelta(hours=2))
        assert ms.alert_rows(runtime)["carrier_exception_open"].state == "firing"
        samples = monitor_samples(runtime)
        stamp = "crossdock_monitor_last_evaluation_timestamp_seconds"
        assert value(samples, stamp) == clock.now().timestamp()
    finally:
        runtime.store.dispose()
    # The same database, restarted with monitors off: the scheduled evaluation still runs.
    off = build(db_url, tmp_path, clock, {"enabled": False})
    try:
        assert off.schedule_startup_jobs() == 0
        await ms.evaluate(off, clock, timedelta(minutes=1))
        assert ms.alert_rows(off)["carrier_exception_open"].state == "ok"
        assert [e.type for e in ms.alert_events(off)] == [
            "crossdock.alert.raised.v1",
            "crossdock.alert.resolved.v1",
        ]
        assert off.queue.dead_jobs() == []
        await ms.evaluate(off, clock, timedelta(minutes=5))
        assert ms.evaluations(off) == 2
        assert off.queue.open_count() == 0
    finally:
        off.store.dispose()
