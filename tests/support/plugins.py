"""Job types for the tests that drive real worker processes: lane probes and slow jobs."""

from __future__ import annotations

import asyncio
import hashlib
from datetime import timedelta

from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from crossdock.errors import RetryableError
from crossdock.pipeline.registry import JobContext, JobRegistry
from crossdock.pipeline.retry import RetryPolicy
from crossdock.pipeline.route import Router
from crossdock.store.engine import Store

LANE_PROBE = "test.lane_probe"
SLOW = "test.slow"

TEST_TABLES = (
    "CREATE TABLE test_lane_active (lane VARCHAR(255) PRIMARY KEY, job_id BIGINT NOT NULL)",
    "CREATE TABLE test_lane_violations (lane VARCHAR(255), job_id BIGINT, holder BIGINT)",
    "CREATE TABLE test_effects (effect_no {serial}, job_key VARCHAR(255) NOT NULL, "
    "lane VARCHAR(255), seq INTEGER, attempt INTEGER, worker VARCHAR(255))",
)


def create_test_tables(store: Store) -> None:
    serial = "BIGSERIAL PRIMARY KEY" if store.is_postgres else "INTEGER PRIMARY KEY AUTOINCREMENT"
    with store.transaction() as conn:
        for ddl in TEST_TABLES:
            conn.execute(text(ddl.format(serial=serial)))


def fails(job_id: int, attempt: int, rate: float) -> bool:
    """A failure decided by the job and attempt, so runs are random-looking yet reproducible."""
    digest = hashlib.sha256(f"{job_id}:{attempt}".encode()).digest()
    return int.from_bytes(digest[:4], "big") / 2**32 < rate


def _record_effect(ctx: JobContext, seq: int | None) -> None:
    job = ctx.job

    def write(conn) -> None:  # type: ignore[no-untyped-def]
        conn.execute(
            text(
                "INSERT INTO test_effects (job_key, lane, seq, attempt, worker) "
                "VALUES (:key, :lane, :seq, :attempt, :worker)"
            ),
            {
                "key": job.idempotency_key,
                "lane": job.lane_key,
                "seq": seq,
                "attempt": job.attempts,
                "worker": job.worker_id,
            },
        )

    ctx.write(write)


def _enter_lane(store: Store, lane: str, job_id: int) -> None:
    try:
        with store.transaction() as conn:
            conn.execute(
                text("INSERT INTO test_lane_active (lane, job_id) VALUES (:lane, :job)"),
                {"lane": lane, "job": job_id},
            )
    except IntegrityError:
        with store.transaction() as conn:
            holder = conn.execute(
                text("SELECT job_id FROM test_lane_active WHERE lane = :lane"), {"lane": lane}
            ).scalar()
            conn.execute(
                text("INSERT INTO test_lane_violations VALUES (:lane, :job, :holder)"),
                {"lane": lane, "job": job_id, "holder": holder},
            )
        raise


def _leave_lane(store: Store, lane: str, job_id: int) -> None:
    with store.transaction() as conn:
        conn.execute(
            text("DELETE FROM test_lane_active WHERE lane = :lane AND job_id = :job"),
            {"lane": lane, "job": job_id},
        )


async def lane_probe(ctx: JobContext) -> None:
    """Detects overlap inside a lane, fails at random, records its effect with completion."""
    lane = ctx.job.lane_key or ""
    await ctx.store.run(_enter_lane, ctx.store, lane, ctx.job.id)
    try:
        await asyncio.sleep(0.002)
        if fails(ctx.job.id, ctx.job.attempts, float(ctx.payload.get("failure_rate", 0.2))):
            raise RetryableError(f"injected failure on attempt {ctx.job.attempts}")
        _record_effect(ctx, int(ctx.payload["seq"]))
    finally:
        await ctx.store.run(_leave_lane, ctx.store, lane, ctx.job.id)


async def slow(ctx: JobContext) -> None:
    """Hangs on its first attempt (so the test can kill its worker mid-job), then finishes."""
    if ctx.job.attempts == 1:
        await asyncio.sleep(float(ctx.payload.get("first_attempt_seconds", 120)))
    _record_effect(ctx, None)


def register(registry: JobRegistry, _router: Router) -> None:
    registry.register(
        LANE_PROBE,
        lane_probe,
        RetryPolicy(
            max_attempts=25,
            base_delay=timedelta(milliseconds=5),
            max_delay=timedelta(milliseconds=50),
        ),
    )
    registry.register(SLOW, slow, RetryPolicy(max_attempts=3))
