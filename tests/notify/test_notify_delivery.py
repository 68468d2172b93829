"""Notifications end to end over real HTTP: routed events reach a subscribed endpoint signed
with Standard Webhooks; failures are retried, logged, and disable the endpoint by the rules."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from crossdock.canonical.envelope import Envelope
from crossdock.canonical.registry import validate_event
from crossdock.clock import FrozenClock
from crossdock.connectors.notify.client import CLIENTS
from crossdock.connectors.notify.fanout import DELIVER_JOB, FANOUT_JOB
from crossdock.connectors.notify.model import Subscription
from crossdock.connectors.notify.service import SubscriptionService
from crossdock.connectors.notify.settings import NotificationsConfig, SubscriptionConfig
from crossdock.runtime import Runtime
from crossdock.store import audit
from crossdock.store.schema import jobs
from tests.support.factories import make_config, make_runtime
from tests.support.notify_receiver import (
    Receiver,
    milestone_event,
    real_time_clock,
    secret_file,
)
from tests.support.server import serving


@pytest.fixture
async def closing_clients() -> AsyncIterator[None]:
    yield
    await CLIENTS.aclose()


def build(db_url: str, url: str, secret_ref: str, clock: FrozenClock, **settings: Any) -> Runtime:
    subscription = SubscriptionConfig(
        name="portal",
        url=url + "/hook",
        event_types=["crossdock.shipment.milestone_recorded.v1"],
        secret=secret_ref,
    )
    defaults: dict[str, Any] = {
        "subscriptions": [subscription],
        "base_delay": timedelta(0),
        "max_delay": timedelta(0),
        "subscription_cache": timedelta(0),
    }
    notifications = NotificationsConfig.model_validate({**defaults, **settings})
    config = make_config(db_url, [], partners=[], notifications=notifications)
    return make_runtime(config, clock=clock)


async def publish(runtime: Runtime, envelope: Envelope) -> None:
    validate_event(envelope)
    specs = runtime.router.route(envelope, None)
    assert [spec.job_type for spec in specs if spec.job_type.startswith("notify.")] == [FANOUT_JOB]
    runtime.queue.enqueue(specs, runtime.clock.now())
    await runtime.worker().run_until_idle()


def service(runtime: Runtime) -> SubscriptionService:
    return SubscriptionService(runtime.store, runtime.config.notifications, runtime.clock)


def portal(runtime: Runtime) -> Subscription:
    found = service(runtime).get("portal")
    assert found is not None
    return found


def delivery_jobs(runtime: Runtime) -> list[Any]:
    with runtime.store.engine.connect() as conn:
        return list(
            conn.execute(select(jobs).where(jobs.c.job_type == DELIVER_JOB).order_by(jobs.c.id))
        )


@pytest.mark.usefixtures("closing_clients")
async def test_subscribed_endpoint_receives_signed_cloudevents(db_url: str, tmp_path: Path) -> None:
    secret, ref = secret_file(tmp_path)
    receiver = Receiver(secret)
    clock = real_time_clock()
    async with serving(receiver.app()) as url:
        runtime = build(db_url, url, ref, clock)
        event = milestone_event()
        await publish(runtime, event)
        # Another type: the subscription asked for milestones only.
        other = Envelope.model_validate(
            {**milestone_event().model_dump(), "type": "crossdock.order.cancelled.v1"}
        )
        runtime.queue.enqueue(runtime.router.route(other, None), clock.now())
        await runtime.worker().run_until_idle()

    assert len(receiver.received) == 1
    (got,) = receiver.verified
    assert got.event == event.to_cloudevent()
    assert got.headers["content-type"] == "application/json"
    assert got.headers["webhook-id"].startswith("msg_")
    assert got.headers["webhook-timestamp"] == str(int(clock.now().timestamp()))
    sub = portal(runtime)
    log = service(runtime).deliveries(sub.id)
    assert log is not None
    assert [(d.outcome, d.status_code, d.event_id, d.attempt) for d in log] == [
        ("delivered", 204, event.id, 1)
    ]
    (job,) = delivery_jobs(runtime)
    assert job.status == "done"
    assert job.lane_key == f"notify:{sub.id}:parcel:1Z999"
    assert job.idempotency_key == f"notify.deliver:{sub.id}:{event.id}"
    runtime.store.dispose()


@pytest.mark.usefixtures("closing_clients")
async def test_failing_endpoint_is_retried_then_disabled_and_replayable(
    db_url: str, tmp_path: Path
) -> None:
    secret, ref = secret_file(tmp_path)
    receiver = Receiver(secret)
    receiver.answers(500)
    clock = real_time_clock()
    async with serving(receiver.app()) as url:
        runtime = build(db_url, url, ref, clock, failure_streak_to_disable=3, max_attempts=5)
        event = milestone_event()
        await publish(runtime, event)

        # Three attempts, the same message id each time (the receiver can drop repeats).
        assert [r.status for r in receiver.verified] == [500, 500, 500]
        assert len({r.headers["webhook-id"] for r in receiver.verified}) == 1
        sub = portal(runtime)
        assert sub.status == "disabled"
        assert sub.failure_streak == 3
        assert sub.disabled_reason is not None
        assert "3 consecutive failed deliveries" in sub.disabled_reason
        log = service(runtime).deliveries(sub.id) or []
        assert [(d.attempt, d.outcome, d.status_code) for d in log] == [
            (3, "failed", 500),
            (2, "failed", 500),
            (1, "failed", 500),
        ]
        (job,) = delivery_jobs(runtime)
        assert job.status == "dead"
        assert job.attempts == 3

        # While disabled, new events are not even fanned out to it.
        await publish(runtime, milestone_event(tracking="2Z"))
        assert len(receiver.received) == 3
        assert len(delivery_jobs(runtime)) == 1

        # Fixed and re-enabled: the dead letter replays and is delivered.
        receiver.answers(200)
        service(runtime).set_status(sub.id, active=True, actor="test")
        assert portal(runtime).failure_streak == 0
        result = runtime.queue.replay([job.id], clock.now(), actor="test")
        assert result.replayed == [job.id]
        await runtime.worker().run_until_idle()
    assert receiver.verified[-1].status == 200
    assert receiver.verified[-1].event["id"] == event.id
    assert (service(runtime).deliveries(sub.id) or [])[0].outcome == "delivered"
    with runtime.store.engine.connect() as conn:
        actions = [e.action for e in audit.entries(conn) if e.action.startswith("notify.")]
    assert actions == ["notify.subscription.disable", "notify.subscription.enable"]
    runtime.store.dispose()


@pytest.mark.usefixtures("closing_clients")
async def test_success_resets_the_failure_streak(db_url: str, tmp_path: Path) -> None:
    secret, ref = secret_file(tmp_path)
    receiver = Receiver(secret)
    receiver.answers(502, 500, 202)
    clock = real_time_clock()
    async with serving(receiver.app()) as url:
        runtime = build(db_url, url, ref, clock, failure_streak_to_disable=3)
        await publish(runtime, milestone_event())
    assert [r.status for r in receiver.verified] == [502, 500, 202]
    sub = portal(runtime)
    assert (sub.status, sub.failure_streak) == ("active", 0)
    log = service(runtime).deliveries(sub.id) or []
    assert [d.outcome for d in log] == ["delivered", "failed", "failed"]
    runtime.store.dispose()


@pytest.mark.usefixtures("closing_clients")
async def test_gone_disables_at_once_and_later_jobs_are_not_sent(
    db_url: str, tmp_path: Path
) -> None:
    secret, ref = secret_file(tmp_path)
    receiver = Receiver(secret)
    receiver.answers(410)
    clock = real_time_clock()
    async with serving(receiver.app()) as url:
        runtime = build(db_url, url, ref, clock, subscription_cache=timedelta(hours=1))
        runtime.config.workers.concurrency = 1  # one after the other, as on one lane
        first, second = milestone_event(tracking="A1"), milestone_event(tracking="B2")
        # Both fanned out before either is delivered: the second finds the endpoint disabled.
        runtime.queue.enqueue(
            [*runtime.router.route(first, None), *runtime.router.route(second, None)],
            clock.now(),
        )
        await runtime.worker().run_until_idle()
    assert len(receiver.received) == 1
    sub = portal(runtime)
    assert sub.status == "disabled"
    assert "410" in (sub.disabled_reason or "")
    assert [job.status for job in delivery_jobs(runtime)] == ["dead", "dead"]
    log = service(runtime).deliveries(sub.id) or []
    assert sorted((d.outcome, d.status_code) for d in log) == [
        ("disabled", None),
        ("failed", 410),
    ]
    runtime.store.dispose()


@pytest.mark.usefixtures("closing_clients")
async def test_retry_after_is_honoured_on_429_and_503(db_url: str, tmp_path: Path) -> None:
    secret, ref = secret_file(tmp_path)
    receiver = Receiver(secret)
    clock = real_time_clock()
    later = format_datetime(clock.now() + timedelta(seconds=121 + 90), usegmt=True)
    receiver.answers((429, {"Retry-After": "120"}), (503, {"Retry-After": later}), 204)
    async with serving(receiver.app()) as url:
        runtime = build(db_url, url, ref, clock)
        await publish(runtime, milestone_event())
        (job,) = delivery_jobs(runtime)
        assert job.status == "queued"
        assert job.run_at >= clock.now() + timedelta(seconds=120)
        assert portal(runtime).failure_streak == 0  # throttling is not a failure streak

        clock.advance(timedelta(seconds=60))
        await runtime.worker().run_until_idle()
        assert len(receiver.received) == 1  # still waiting

        clock.advance(timedelta(seconds=61))
        await runtime.worker().run_until_idle()
        (job,) = delivery_jobs(runtime)
        assert job.status == "queued"
        assert job.run_at >= clock.now() + timedelta(seconds=80)
        assert portal(runtime).failure_streak == 1

        clock.advance(timedelta(seconds=91))
        await runtime.worker().run_until_idle()
    assert [r.status for r in receiver.verified] == [429, 503, 204]
    (job,) = delivery_jobs(runtime)
    assert job.status == "done"
    assert portal(runtime).failure_streak == 0
    runtime.store.dispose()


@pytest.mark.usefixtures("closing_clients")
async def test_unreachable_endpoint_is_retried_then_dead_lettered(
    db_url: str, tmp_path: Path
) -> None:
    _secret, ref = secret_file(tmp_path)
    clock = real_time_clock()
    async with serving(Receiver("whsec_" + "A" * 32).app()) as url:
        pass  # the port is free again: nothing listens there now
    runtime = build(db_url, url, ref, clock, max_attempts=2)
    await publish(runtime, milestone_event())
    (job,) = delivery_jobs(runtime)
    assert (job.status, job.attempts) == ("dead", 2)
    assert "ConnectError" in (job.last_error or "")
    log = service(runtime).deliveries(portal(runtime).id) or []
    assert [(d.outcome, d.status_code) for d in log] == [("failed", None), ("failed", None)]
    assert portal(runtime).failure_streak == 2
    runtime.store.dispose()


@pytest.mark.usefixtures("closing_clients")
async def test_client_error_is_permanent(db_url: str, tmp_path: Path) -> None:
    secret, ref = secret_file(tmp_path)
    receiver = Receiver(secret)
    receiver.answers(400)
    async with serving(receiver.app()) as url:
        runtime = build(db_url, url, ref, real_time_clock())
        await publish(runtime, milestone_event())
    assert len(receiver.received) == 1
    (job,) = delivery_jobs(runtime)
    assert (job.status, job.attempts) == ("dead", 1)
    assert "HTTP 400" in (job.last_error or "")
    assert portal(runtime).failure_streak == 1
    runtime.store.dispose()


def test_nothing_is_registered_without_subscriptions_or_api(db_url: str) -> None:
    runtime = make_runtime(make_config(db_url, [], partners=[]))
    assert FANOUT_JOB not in runtime.registry.names()
    assert FANOUT_JOB not in runtime.router.subscribers("crossdock.shipment.created.v1")
    runtime.store.dispose()
