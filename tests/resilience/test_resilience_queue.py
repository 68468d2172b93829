"""The gate inside the job queue, on SQLite and PostgreSQL: what is fetched, what waits, and
what an endpoint's failures cost a job (nothing, once the endpoint is known to be down)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from crossdock.errors import PermanentError, RetryableError
from crossdock.resilience.gate import PartnerGate
from crossdock.resilience.outcomes import CallResult, Outcome, classify
from crossdock.resilience.settings import ResilienceConfig
from crossdock.resilience.status import degraded_dependencies, endpoint_statuses
from crossdock.store import migrate
from crossdock.store.engine import Store
from crossdock.store.jobs import Job, JobQueue, JobSpec

NOW = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
LEASE = timedelta(seconds=30)

CONFIG = ResilienceConfig.model_validate(
    {
        "defaults": {
            "breaker": {"consecutive_failures": 3, "cool_down": "PT30S", "half_open_probes": 1}
        },
        "resources": {
            "slow:*": {"concurrency": 2},
            "metered": {"rate": {"per_second": 1, "burst": 3}},
        },
        "defer": "PT1S",
    }
)


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    store = Store.from_url(db_url)
    migrate.upgrade(store.engine)
    yield store
    store.dispose()


@pytest.fixture
def queue(store: Store) -> JobQueue:
    return JobQueue(store, PartnerGate(CONFIG, store.dialect))


def enqueue(queue: JobQueue, resource: str | None, count: int, prefix: str = "") -> None:
    queue.enqueue(
        [
            JobSpec(
                job_type="call",
                idempotency_key=f"{prefix or resource}:{index}",
                resource=resource,
                lane_key=f"{prefix or resource}:{index}",
            )
            for index in range(count)
        ],
        NOW,
    )


def fetch(queue: JobQueue, at: datetime, limit: int = 50) -> list[Job]:
    return queue.fetch("w1", limit, LEASE, at)


def by_resource(taken: list[Job]) -> dict[str | None, int]:
    counts: dict[str | None, int] = {}
    for job in taken:
        counts[job.resource] = counts.get(job.resource, 0) + 1
    return counts


def fail(queue: JobQueue, job: Job, at: datetime, exc: Exception) -> bool:
    return queue.retry_later(job, at, timedelta(seconds=1), str(exc), "", classify(exc))


def test_failures_open_the_breaker_and_its_jobs_wait_unattempted_then_resume(
    queue: JobQueue,
) -> None:
    enqueue(queue, "odoo:erp", 5)
    enqueue(queue, None, 2, prefix="local")
    first = fetch(queue, NOW)
    assert by_resource(first) == {"odoo:erp": 5, None: 2}
    odoo = [job for job in first if job.resource]
    held = [fail(queue, job, NOW, RetryableError("connection refused")) for job in odoo]
    # The third failure in a row opened the breaker: that one and the later ones are the
    # endpoint's failures, not the jobs': they happened, but do not count toward the limit.
    assert held == [False, False, True, True, True]
    stored = [queue.get(job.id) for job in odoo]
    assert [(j.attempts, j.counted_attempts) for j in stored if j] == [(1, 1)] * 2 + [(1, 0)] * 3
    # Open: nothing of the endpoint is fetched, whatever is due.
    assert fetch(queue, NOW + timedelta(seconds=5)) == []
    (status,) = endpoint_statuses(queue.store, CONFIG, NOW + timedelta(seconds=5))
    assert (status.breaker, status.queued, status.degraded) == ("open", 5, True)
    assert status.retry_at == NOW + timedelta(seconds=30)
    degraded = degraded_dependencies(queue.store, CONFIG, NOW + timedelta(seconds=5))
    assert degraded["odoo:erp"]["state"] == "breaker open"
    assert "connection refused" in degraded["odoo:erp"]["last_error"]
    # Half-open after the cool-down: one probe at a time.
    probe = fetch(queue, NOW + timedelta(seconds=31))
    assert len(probe) == 1
    assert fetch(queue, NOW + timedelta(seconds=31)) == []
    queue.complete(probe[0], NOW + timedelta(seconds=32))
    # Closed again: the backlog flows.
    rest = fetch(queue, NOW + timedelta(seconds=33))
    assert len(rest) == 4
    assert endpoint_statuses(queue.store, CONFIG, NOW)[0].breaker == "closed"


def test_a_long_outage_never_dead_letters_a_job_and_a_failed_probe_reopens(
    queue: JobQueue,
) -> None:
    enqueue(queue, "odoo:erp", 1)
    at = NOW
    for _ in range(3):
        (job,) = fetch(queue, at)
        fail(queue, job, at, RetryableError("down"))
        at += timedelta(seconds=2)
    for _ in range(20):  # twenty half-open probes, each failing
        at += timedelta(seconds=31)
        (job,) = fetch(queue, at)
        # Its retry policy would have given up long ago: the last attempt is given back too.
        assert queue.dead_letter(job, at, "down", "", classify(RetryableError("down"))) is False
        assert queue.get(job.id).status == "queued"  # type: ignore[union-attr]
    stored = queue.get(job.id)
    assert stored is not None
    assert (stored.attempts, stored.counted_attempts) == (23, 2)
    (status,) = endpoint_statuses(queue.store, CONFIG, at)
    assert (status.breaker, status.times_opened) == ("open", 21)


def test_permanent_errors_say_nothing_about_the_endpoint(queue: JobQueue) -> None:
    enqueue(queue, "odoo:erp", 5)
    for job in fetch(queue, NOW):
        assert queue.dead_letter(job, NOW, "bad", "", classify(PermanentError("bad"))) is True
    enqueue(queue, "odoo:erp", 1, prefix="later")
    assert len(fetch(queue, NOW)) == 1


def test_bulkhead_caps_an_endpoint_across_workers_while_others_flow(
    store: Store, queue: JobQueue
) -> None:
    other = JobQueue(store, PartnerGate(CONFIG, store.dialect))  # a second worker
    enqueue(queue, "slow:wms", 10)
    enqueue(queue, "fast:carrier", 10)
    first = queue.fetch("w1", 4, LEASE, NOW)
    second = other.fetch("w2", 50, LEASE, NOW)
    taken = by_resource(first + second)
    assert taken == {"slow:wms": 2, "fast:carrier": 10}
    refused_now = [job for job in queue.list_jobs(status="queued") if job.resource == "slow:wms"]
    assert {job.attempts for job in refused_now} == {0}
    # One slow call ends: one more slot, for whichever worker asks after the defer.
    slow = next(job for job in first + second if job.resource == "slow:wms")
    queue.complete(slow, NOW)
    again = other.fetch("w2", 50, LEASE, NOW + timedelta(seconds=1))
    assert by_resource(again) == {"slow:wms": 1}


def test_rate_limit_gives_the_burst_then_one_per_second(queue: JobQueue) -> None:
    enqueue(queue, "metered", 6)
    assert len(fetch(queue, NOW)) == 3
    assert fetch(queue, NOW + timedelta(milliseconds=500)) == []
    assert len(fetch(queue, NOW + timedelta(seconds=1))) == 1
    assert len(fetch(queue, NOW + timedelta(seconds=3))) == 2
    waiting = queue.list_jobs(status="queued")
    assert waiting == []


def test_retry_after_pauses_the_whole_endpoint_and_costs_no_attempt(queue: JobQueue) -> None:
    enqueue(queue, "notify:7", 3)
    jobs = fetch(queue, NOW)
    throttled = RetryableError("429")
    throttled.retry_after = 20
    assert classify(throttled) == CallResult(Outcome.THROTTLED, "RetryableError: 429", 20)
    assert fail(queue, jobs[0], NOW, throttled) is True
    for job in jobs[1:]:
        queue.complete(job, NOW)
    enqueue(queue, "notify:7", 2, prefix="more")
    assert fetch(queue, NOW + timedelta(seconds=19)) == []
    (status,) = endpoint_statuses(queue.store, CONFIG, NOW + timedelta(seconds=19))
    assert status.paused_until == NOW + timedelta(seconds=20)
    assert status.breaker == "closed"
    resumed = fetch(queue, NOW + timedelta(seconds=20))
    assert len(resumed) == 3
    retried = next(job for job in resumed if job.id == jobs[0].id)
    assert (retried.attempts, retried.counted_attempts) == (2, 1)


def test_without_a_gate_the_queue_ignores_resources(store: Store) -> None:
    plain = JobQueue(store)
    enqueue(plain, "slow:wms", 5)
    taken = plain.fetch("w1", 50, LEASE, NOW)
    assert len(taken) == 5
    exc: Any = RetryableError("down")
    for job in taken:
        assert plain.retry_later(job, NOW, timedelta(0), "down", "", classify(exc)) is False


def test_prometheus_collector_reads_the_shared_state(queue: JobQueue) -> None:
    from prometheus_client import CollectorRegistry, generate_latest

    from crossdock.clock import FrozenClock
    from crossdock.resilience.metrics import ResilienceCollector

    enqueue(queue, "odoo:erp", 3)
    enqueue(queue, "metered", 1)
    for job in fetch(queue, NOW):
        if job.resource == "odoo:erp":
            fail(queue, job, NOW, RetryableError("down"))
    registry = CollectorRegistry()
    registry.register(ResilienceCollector(queue.store, CONFIG, FrozenClock(NOW)))
    text = generate_latest(registry).decode()
    assert 'crossdock_partner_breaker_state{resource="odoo:erp"} 2.0' in text
    assert 'crossdock_partner_degraded{resource="odoo:erp"} 1.0' in text
    assert 'crossdock_partner_breaker_opened_total{resource="odoo:erp"} 1.0' in text
    assert 'crossdock_partner_backlog_jobs{resource="odoo:erp",state="queued"} 3.0' in text
    assert 'crossdock_partner_running_jobs{resource="metered"} 1.0' in text
    assert 'crossdock_partner_rate_tokens{resource="metered"} 2.0' in text
