"""A worker outlives a database it cannot read for a while, and takes jobs again after."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import text

from crossdock.clock import SystemClock
from crossdock.pipeline.registry import JobContext, JobRegistry
from crossdock.pipeline.worker import Worker, WorkerSettings
from crossdock.store import migrate
from crossdock.store.engine import Store
from crossdock.store.jobs import JobQueue, JobSpec


async def test_fetch_failures_do_not_end_the_worker(tmp_path: Path) -> None:
    store = Store.from_url(f"sqlite:///{tmp_path / 'outage.db'}")
    migrate.upgrade(store.engine)
    ran: list[int] = []

    async def handler(ctx: JobContext) -> None:
        ran.append(ctx.job.id)

    registry = JobRegistry()
    registry.register("probe", handler)
    queue = JobQueue(store)
    settings = WorkerSettings(concurrency=2, poll_interval=timedelta(milliseconds=20))
    worker = Worker(queue, registry, SystemClock(), settings)
    stop = asyncio.Event()
    # The queue's table is gone for a while: every fetch fails, as during a database restart.
    with store.engine.begin() as conn:
        conn.execute(text("ALTER TABLE jobs RENAME TO jobs_away"))
    running = asyncio.create_task(worker.run(stop))
    await asyncio.sleep(0.5)
    assert not running.done(), "the worker must not exit on a failed fetch"
    with store.engine.begin() as conn:
        conn.execute(text("ALTER TABLE jobs_away RENAME TO jobs"))
    queue.enqueue([JobSpec(job_type="probe", idempotency_key="after")], datetime.now(UTC))
    for _ in range(200):
        if ran:
            break
        await asyncio.sleep(0.05)
    stop.set()
    await running
    store.dispose()
    assert len(ran) == 1
