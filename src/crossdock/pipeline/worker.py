"""Workers: take due jobs, run their handlers, and record done, retry or dead letter.

One asyncio loop runs up to `concurrency` jobs at once; database calls hop to threads. A
heartbeat renews the leases of running jobs, and every worker also reclaims jobs whose
lease expired (their worker died), so no job stays stuck in "running".
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import os
import socket
import time
import traceback
import uuid
from dataclasses import dataclass
from datetime import timedelta

import structlog

from crossdock.clock import Clock
from crossdock.errors import RetryableError
from crossdock.observe import metrics, tracing
from crossdock.pipeline.registry import JobContext, JobRegistry, UnknownJobType, job_logger
from crossdock.resilience.outcomes import classify
from crossdock.store.jobs import Job, JobQueue, LeaseLost

log = structlog.get_logger("crossdock.worker")

MAX_FETCH_BACKOFF = 5.0  # seconds


@dataclass(frozen=True)
class WorkerSettings:
    concurrency: int = 8
    lease: timedelta = timedelta(seconds=30)
    poll_interval: timedelta = timedelta(milliseconds=200)
    reclaim_interval: timedelta = timedelta(seconds=5)


def default_worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


class Worker:
    def __init__(
        self,
        queue: JobQueue,
        registry: JobRegistry,
        clock: Clock,
        settings: WorkerSettings | None = None,
        worker_id: str | None = None,
    ) -> None:
        self.queue = queue
        self.registry = registry
        self.clock = clock
        self.settings = settings or WorkerSettings()
        self.worker_id = worker_id or default_worker_id()
        # Keyed per attempt: a job retried at once may be fetched again while its previous
        # attempt's task is still recording the failure.
        self._running: dict[tuple[int, int], tuple[Job, asyncio.Task[None]]] = {}
        self._wake = asyncio.Event()
        self.processed = 0

    def wake(self) -> None:
        """Tell the loop new work may be due (called in-process after intake commits)."""
        self._wake.set()

    async def run(self, stop: asyncio.Event) -> None:
        log.info("worker started", worker_id=self.worker_id, concurrency=self.settings.concurrency)
        heartbeat = asyncio.create_task(self._heartbeat(stop))
        # Database unreachable (a restart, a failover): wait and fetch again, longer each
        # time up to this, rather than exit; the pool's pre-ping replaces dead connections.
        backoff = self.settings.poll_interval.total_seconds()
        try:
            while not stop.is_set():
                try:
                    fetched = await self.step()
                except Exception:
                    log.warning(
                        "fetch failed; trying again",
                        worker_id=self.worker_id,
                        wait_s=backoff,
                        exc_info=True,
                    )
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(stop.wait(), timeout=backoff)
                    backoff = min(backoff * 2, MAX_FETCH_BACKOFF)
                    continue
                backoff = self.settings.poll_interval.total_seconds()
                if fetched == 0:
                    await self._idle(stop)
        finally:
            heartbeat.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await heartbeat
            await self.drain()
            log.info("worker stopped", worker_id=self.worker_id, processed=self.processed)

    async def step(self) -> int:
        """Fetch what fits in the free slots and start it; returns how many jobs started."""
        free = self.settings.concurrency - len(self._running)
        if free <= 0:
            return 0
        jobs = await asyncio.to_thread(
            self.queue.fetch, self.worker_id, free, self.settings.lease, self.clock.now()
        )
        for job in jobs:
            task = asyncio.create_task(self._execute(job))
            key = (job.id, job.attempts)
            self._running[key] = (job, task)
            task.add_done_callback(functools.partial(self._finished, key))
        return len(jobs)

    def _finished(self, key: tuple[int, int], _task: asyncio.Task[None]) -> None:
        self._running.pop(key, None)
        self._wake.set()

    async def _idle(self, stop: asyncio.Event) -> None:
        self._wake.clear()
        waiters = [asyncio.create_task(self._wake.wait()), asyncio.create_task(stop.wait())]
        _done, pending = await asyncio.wait(
            waiters,
            timeout=self.settings.poll_interval.total_seconds(),
            return_when=asyncio.FIRST_COMPLETED,
        )
        for task in pending:
            task.cancel()

    async def drain(self) -> None:
        tasks = [task for _job, task in self._running.values()]
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)

    async def run_until_idle(self, max_jobs: int | None = None) -> int:
        """Run jobs until none is due and none is running (for the demo, tools and tests)."""
        await asyncio.to_thread(self.reclaim)
        start = self.processed
        while True:
            started = await self.step()
            if started == 0 and not self._running:
                # A job that finished while that fetch ran may have enqueued work the fetch
                # did not see; with nothing running now, one more fetch is conclusive.
                started = await self.step()
                if started == 0:
                    return self.processed - start
            if max_jobs is not None and self.processed - start >= max_jobs:
                await self.drain()
                return self.processed - start
            if started == 0:
                await asyncio.wait(
                    [task for _job, task in self._running.values()],
                    return_when=asyncio.FIRST_COMPLETED,
                )

    def reclaim(self) -> int:
        count = self.queue.reclaim_expired(
            self.clock.now(), lambda name: self.registry.policy_for(name).max_attempts
        )
        if count:
            log.warning("reclaimed jobs with expired leases", count=count)
        return count

    async def _heartbeat(self, stop: asyncio.Event) -> None:
        interval = self.settings.lease.total_seconds() / 3
        since_reclaim = 0.0
        while not stop.is_set():
            await asyncio.sleep(interval)
            tokens = [job.lease_token for job, _ in self._running.values() if job.lease_token]
            try:
                await asyncio.to_thread(
                    self.queue.extend_leases, tokens, self.settings.lease, self.clock.now()
                )
                since_reclaim += interval
                if since_reclaim >= self.settings.reclaim_interval.total_seconds():
                    since_reclaim = 0.0
                    await asyncio.to_thread(self.reclaim)
            except Exception:
                log.exception("heartbeat failed", worker_id=self.worker_id)

    async def _execute(self, job: Job) -> None:
        job_log = job_logger(job)
        ctx = JobContext(job=job, clock=self.clock, store=self.queue.store, log=job_log)
        metrics.job_started(job)
        started, outcome = time.perf_counter(), "done"
        try:
            job_type = self.registry.get(job.job_type)
            with tracing.job_span(job):
                await job_type.handler(ctx)
                new_jobs = tracing.carry(ctx.new_jobs)
                await asyncio.to_thread(
                    self.queue.complete, job, self.clock.now(), new_jobs, ctx.writes
                )
        except LeaseLost as exc:
            outcome = "lease_lost"
            job_log.warning("lease lost; another worker owns the job now", detail=str(exc))
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # noqa: BLE001 - a failed job is recorded, never raised
            outcome = await self._record_failure(job, exc, job_log)
        else:
            job_log.debug("job done")
        finally:
            self.processed += 1
        metrics.job_finished(job, outcome, time.perf_counter() - started)

    async def _record_failure(self, job: Job, exc: Exception, job_log: object) -> str:
        """Record the failure; returns what became of the job: retry, dead, waiting (its endpoint
        is down), lease_lost or unrecorded."""
        error = f"{type(exc).__module__}.{type(exc).__qualname__}: {exc}"
        tb = "".join(traceback.format_exception(exc))
        policy = (
            self.registry.policy_for(job.job_type) if not isinstance(exc, UnknownJobType) else None
        )
        bound = structlog.get_logger("crossdock.job").bind(job_id=job.id, job_type=job.job_type)
        # How the partner endpoint fared, for its breaker and pause (jobs with a resource).
        call = classify(exc)
        try:
            if policy is not None and policy.should_retry(exc, job.counted_attempts):
                delay = policy.delay(job.counted_attempts)
                if isinstance(exc, RetryableError) and exc.retry_after:
                    delay = max(delay, timedelta(seconds=exc.retry_after))
                held = await asyncio.to_thread(
                    self.queue.retry_later, job, self.clock.now(), delay, error, tb, call
                )
                bound.warning(
                    "job failed; will retry",
                    error=error,
                    delay_s=delay.total_seconds(),
                    endpoint_held=held,
                )
                return "retry"
            dead = await asyncio.to_thread(
                self.queue.dead_letter, job, self.clock.now(), error, tb, call
            )
            if not dead:
                bound.warning("endpoint down; job waits for it", error=error)
                return "waiting"
            bound.error("job dead-lettered", error=error, attempts=job.attempts)
        except LeaseLost:
            bound.warning("lease lost before the failure was recorded")
            return "lease_lost"
        except Exception:  # noqa: BLE001 - e.g. the database is down: the lease will expire
            bound.exception("failure not recorded; the job runs again when its lease expires")
            return "unrecorded"
        return "dead"
