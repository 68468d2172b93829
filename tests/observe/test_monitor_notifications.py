"""A raised and a resolved alert reach a subscribed endpoint, signed, in that order."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest

from crossdock.connectors.notify.client import CLIENTS
from crossdock.connectors.notify.settings import NotificationsConfig, SubscriptionConfig
from crossdock.observe.monitors.settings import MonitorsConfig
from tests.observe import monitor_support as ms
from tests.support.factories import make_config, make_runtime
from tests.support.notify_receiver import Receiver, real_time_clock, secret_file
from tests.support.server import serving


@pytest.fixture
async def closing_clients() -> AsyncIterator[None]:
    yield
    await CLIENTS.aclose()


@pytest.mark.usefixtures("closing_clients")
async def test_alert_raised_and_resolved_are_delivered(db_url: str, tmp_path: Path) -> None:
    secret, ref = secret_file(tmp_path)
    receiver = Receiver(secret)
    # Real time: the receiver checks the signature's timestamp against its own clock.
    clock = real_time_clock()
    async with serving(receiver.app()) as url:
        notifications = NotificationsConfig(
            subscriptions=[
                SubscriptionConfig(
                    name="ops-pager",
                    url=url + "/hook",
                    event_types=["crossdock.alert.*"],
                    secret=ref,
                )
            ],
            base_delay=timedelta(0),
            max_delay=timedelta(0),
            subscription_cache=timedelta(0),
        )
        monitors = MonitorsConfig(
            enabled=True,
            interval=timedelta(seconds=10),
            order_not_released=timedelta(minutes=5),
            released_not_shipped=None,
            shipment_without_tracking=None,
            delivered_not_invoiced=None,
            carrier_exception_open=None,
        )
        config = make_config(
            db_url, [], partners=[], notifications=notifications, monitors=monitors
        )
        runtime = make_runtime(config, clock)
        try:
            runtime.schedule_startup_jobs()
            ms.record(runtime, ms.order_confirmed("SO777", clock.now() - timedelta(minutes=10)))
            await ms.evaluate(runtime, clock, timedelta(seconds=10))
            ms.record(runtime, ms.fulfillment_requested("WH/OUT/777", "SO777", clock.now()))
            await ms.evaluate(runtime, clock, timedelta(seconds=10))
            await ms.evaluate(runtime, clock, timedelta(seconds=10))
        finally:
            runtime.store.dispose()
    kinds = [(r.event["type"], r.event["data"]["monitor"]) for r in receiver.verified]
    assert kinds == [
        ("crossdock.alert.raised.v1", "order_not_released"),
        ("crossdock.alert.resolved.v1", "order_not_released"),
    ]
    raised = receiver.verified[0].event["data"]
    assert raised["sample"] == ["sale_order:SO777"]
    assert raised["oldest_age_seconds"] >= 600
    assert len(receiver.received) == 2
