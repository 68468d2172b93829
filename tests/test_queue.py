"""The job queue on each database: idempotency, lanes, retries, dead letters, leases, purge."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from crossdock.clock import FrozenClock
from crossdock.errors import PermanentError, RetryableError
from crossdock.pipeline.registry import JobContext, JobRegistry
from crossdock.pipeline.retry import RetryPolicy
from crossdock.pipeline.worker import Worker, WorkerSettings
from crossdock.store import migrate
from crossdock.store.engine import Store
from crossdock.store.jobs import JobQueue, JobSpec, LeaseLost
from crossdock.store.schema import audit_log, jobs

LEASE = timedelta(seconds=30)


@pytest.fixture
def queue(db_url: str) -> JobQueue:
    store = Store.from_url(db_url)
    migrate.upgrade(store.engine)
    yield JobQueue(store)
    store.dispose()


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock()


def spec(key: str, lane: str | None = None, **kwargs: object) -> JobSpec:
    return JobSpec(job_type="t", idempotency_key=key, lane_key=lane, payload={"k": key}, **kwargs)  # type: ignore[arg-type]


def test_enqueue_same_key_twice_is_a_no_op(queue: JobQueue, clock: FrozenClock) -> None:
    first = queue.enqueue([spec("a")], clock.now())
    again = queue.enqueue([spec("a"), spec("b")], clock.now())
    assert len(first) == 1
    assert len(again) == 1
    assert sum(queue.counts().values()) == 2


def test_only_the_lane_head_is_fetchable(queue: JobQueue, clock: FrozenClock) -> None:
    queue.enqueue([spec(f"l{i}", lane="picking:1") for i in range(3)], clock.now())
    queue.enqueue([spec("other", lane="picking:2")], clock.now())
    taken = queue.fetch("w", 10, LEASE, clock.now())
    assert sorted(job.idempotency_key for job in taken) == ["l0", "other"]
    assert queue.fetch("w", 10, LEASE, clock.now()) == []
    head = next(job for job in taken if job.idempotency_key == "l0")
    queue.complete(head, clock.now())
    nxt = queue.fetch("w", 10, LEASE, clock.now())
    assert [job.idempotency_key for job in nxt] == ["l1"]


def test_retry_keeps_the_lane_blocked_until_due(queue: JobQueue, clock: FrozenClock) -> None:
    queue.enqueue([spec("a", lane="L"), spec("b", lane="L")], clock.now())
    (a,) = queue.fetch("w", 10, LEASE, clock.now())
    queue.retry_later(a, clock.now(), timedelta(seconds=10), "boom", "tb")
    assert queue.fetch("w", 10, LEASE, clock.now()) == []
    clock.advance(timedelta(seconds=11))
    (again,) = queue.fetch("w", 10, LEASE, clock.now())
    assert again.idempotency_key == "a"
    assert again.attempts == 2
    assert again.last_error == "boom"


def test_dead_letter_lets_the_lane_move_on(queue: JobQueue, clock: FrozenClock) -> None:
    queue.enqueue([spec("a", lane="L"), spec("b", lane="L")], clock.now())
    (a,) = queue.fetch("w", 10, LEASE, clock.now())
    queue.dead_letter(a, clock.now(), "bad data", "traceback text")
    (b,) = queue.fetch("w", 10, LEASE, clock.now())
    assert b.idempotency_key == "b"
    (dead,) = queue.dead_jobs()
    assert dead.last_error == "bad data"
    assert dead.last_traceback == "traceback text"


def test_complete_with_a_stale_lease_commits_nothing(queue: JobQueue, clock: FrozenClock) -> None:
    queue.enqueue([spec("a")], clock.now())
    (first,) = queue.fetch("w1", 1, LEASE, clock.now())
    clock.advance(LEASE + timedelta(seconds=1))
    assert queue.reclaim_expired(clock.now(), lambda _name: 5) == 1
    (second,) = queue.fetch("w2", 1, LEASE, clock.now())
    assert second.id == first.id
    assert second.attempts == 2
    assert "lease expired" in (second.last_error or "")
    effects: list[str] = []
    with pytest.raises(LeaseLost):
        queue.complete(first, clock.now(), writes=[lambda _conn: effects.append("x")])
    queue.complete(second, clock.now())
    assert queue.get(first.id).status == "done"  # type: ignore[union-attr]


def test_reclaim_dead_letters_when_the_lost_attempt_was_the_last(
    queue: JobQueue, clock: FrozenClock
) -> None:
    queue.enqueue([spec("a", lane="L"), spec("b", lane="L")], clock.now())
    queue.fetch("w1", 1, LEASE, clock.now())
    clock.advance(LEASE * 2)
    queue.reclaim_expired(clock.now(), lambda _name: 1)
    (dead,) = queue.dead_jobs()
    assert dead.idempotency_key == "a"
    (b,) = queue.fetch("w", 10, LEASE, clock.now())
    assert b.idempotency_key == "b"


def test_heartbeat_keeps_a_live_job_leased(queue: JobQueue, clock: FrozenClock) -> None:
    queue.enqueue([spec("a")], clock.now())
    (job,) = queue.fetch("w1", 1, LEASE, clock.now())
    clock.advance(LEASE - timedelta(seconds=1))
    assert queue.extend_leases([job.lease_token or ""], LEASE, clock.now()) == 1
    clock.advance(timedelta(seconds=5))
    assert queue.reclaim_expired(clock.now(), lambda _name: 5) == 0


def test_priority_then_enqueue_order(queue: JobQueue, clock: FrozenClock) -> None:
    queue.enqueue([spec("low", priority=50), spec("high", priority=1), spec("mid")], clock.now())
    taken = queue.fetch("w", 3, LEASE, clock.now())
    assert [job.idempotency_key for job in taken] == ["high", "mid", "low"]


def test_future_jobs_wait_for_their_time(queue: JobQueue, clock: FrozenClock) -> None:
    queue.enqueue([spec("later", run_at=clock.now() + timedelta(minutes=5))], clock.now())
    assert queue.fetch("w", 1, LEASE, clock.now()) == []
    clock.advance(timedelta(minutes=5))
    assert len(queue.fetch("w", 1, LEASE, clock.now())) == 1


def test_replay_requeues_with_fresh_attempts_and_audits(
    queue: JobQueue, clock: FrozenClock
) -> None:
    queue.enqueue([spec("a", lane="L")], clock.now())
    (a,) = queue.fetch("w", 1, LEASE, clock.now())
    queue.dead_letter(a, clock.now(), "bad", "tb")
    queue.enqueue([spec("b", lane="L")], clock.now())  # lane busy with b now
    result = queue.replay([a.id, 999_999], clock.now(), actor="cli:test")
    assert result.replayed == [a.id]
    assert result.skipped == {999_999: "no such job"}
    replayed = queue.get(a.id)
    assert replayed is not None
    assert replayed.status == "waiting"  # behind b, which holds the lane
    assert replayed.attempts == 0
    with queue.store.engine.connect() as conn:
        entry = conn.execute(select(audit_log)).one()
    assert (entry.actor, entry.action, entry.target) == ("cli:test", "dlq.replay", f"job:{a.id}")
    assert queue.replay([a.id], clock.now(), actor="x").skipped == {
        a.id: "job is waiting, not dead"
    }


def test_purge_deletes_only_old_done_jobs(queue: JobQueue, clock: FrozenClock) -> None:
    queue.enqueue([spec("old"), spec("dead")], clock.now())
    for job in queue.fetch("w", 2, LEASE, clock.now()):
        if job.idempotency_key == "old":
            queue.complete(job, clock.now())
        else:
            queue.dead_letter(job, clock.now(), "e", "t")
    clock.advance(timedelta(days=31))
    queue.enqueue([spec("fresh")], clock.now())
    (fresh,) = queue.fetch("w", 1, LEASE, clock.now())
    queue.complete(fresh, clock.now())
    assert queue.purge_finished(clock.now() - timedelta(days=30), batch_size=1) == 1
    with queue.store.engine.connect() as conn:
        left = {row.idempotency_key for row in conn.execute(select(jobs.c.idempotency_key))}
    assert left == {"dead", "fresh"}


def test_retry_policy_backoff_is_capped_full_jitter() -> None:
    policy = RetryPolicy(
        max_attempts=10, base_delay=timedelta(seconds=1), max_delay=timedelta(seconds=8)
    )
    for attempt in range(1, 10):
        ceiling = min(8.0, 2 ** (attempt - 1))
        delays = [policy.delay(attempt).total_seconds() for _ in range(200)]
        assert all(0 <= d <= ceiling for d in delays)
        assert max(delays) > ceiling * 0.5
    exact = RetryPolicy(base_delay=timedelta(seconds=2), jitter=False)
    assert exact.delay(3) == timedelta(seconds=8)
    assert policy.is_permanent(PermanentError("x"))
    assert not policy.is_permanent(RetryableError("x"))
    assert not policy.should_retry(RetryableError("x"), attempt=10)


async def test_worker_applies_effects_once_with_completion(
    queue: JobQueue, clock: FrozenClock
) -> None:
    """Effects commit with the job; a failing attempt leaves none; retries then succeed."""
    from sqlalchemy import text

    calls: dict[str, int] = {}

    async def flaky(ctx: JobContext) -> None:
        key = ctx.job.idempotency_key
        calls[key] = calls.get(key, 0) + 1
        ctx.write(
            lambda conn: conn.execute(
                text(
                    "INSERT INTO xrefs (system, entity_type, external_id, internal_key, "
                    "created_at) VALUES ('t', 'job', :k, :k, :at)"
                ),
                {"k": f"{key}#{calls[key]}", "at": clock.now().replace(tzinfo=None)},
            )
        )
        if calls[key] == 1:
            raise RetryableError("first attempt fails after writing")

    registry = JobRegistry()
    registry.register(
        "t", flaky, RetryPolicy(max_attempts=3, base_delay=timedelta(0), max_delay=timedelta(0))
    )
    worker = Worker(queue, registry, clock, WorkerSettings(concurrency=4))
    queue.enqueue([spec(f"j{i}") for i in range(5)], clock.now())
    await worker.run_until_idle()
    assert queue.counts() == {("t", "done"): 5}
    with queue.store.engine.connect() as conn:
        rows = conn.execute(select(func.count()).select_from(text("xrefs"))).scalar()
    assert rows == 5  # the failed attempt's write never landed


async def test_retry_after_from_the_partner_is_the_least_delay(
    queue: JobQueue, clock: FrozenClock
) -> None:
    class Throttled(RetryableError):
        def __init__(self) -> None:
            super().__init__("429 Too Many Requests")
            self.retry_after = 120.0

    async def throttled(_ctx: JobContext) -> None:
        raise Throttled

    registry = JobRegistry()
    registry.register("t", throttled, RetryPolicy(max_attempts=3, base_delay=timedelta(0)))
    queue.enqueue([spec("a")], clock.now())
    await Worker(queue, registry, clock).run_until_idle()
    (job,) = queue.list_jobs()
    assert job.status == "queued"
    assert job.run_at >= clock.now() + timedelta(seconds=120)
    assert "429" in (job.last_error or "")
