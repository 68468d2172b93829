"""Queue benchmark: no-op jobs per second through real workers, and fetch latency at 1M rows."""

# Run it as `python -m benchmarks.queue`: run as a file, benchmarks/ would come first on
# sys.path and this module would shadow the standard library's `queue`, which asyncio imports.

from __future__ import annotations

import sys

if not __package__:
    sys.exit("run it from the repository root as: .venv/bin/python -m benchmarks.queue")

import argparse
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine, create_engine, func, select, text

from benchmarks._common import (
    cpu_by_pid,
    cpu_snapshot,
    fresh_database,
    machine_busy_seconds,
    machine_line,
    parse_backends,
    percentile,
    postgres_version,
    print_table,
    reproduce_line,
    start_workers,
    stop_process,
    tail,
    wait_for_quiet,
    write_config,
)
from benchmarks.noop_plugin import NOOP_JOB
from crossdock.store import migrate
from crossdock.store.engine import Store
from crossdock.store.jobs import JobQueue, JobSpec
from crossdock.store.schema import jobs

PLUGIN = "benchmarks.noop_plugin:register"
ENQUEUE_BATCH = 1_000
FETCH_BATCH = 10
FETCH_QUEUED = 1_000
POLL_SECONDS = 0.2


@dataclass(frozen=True)
class ThroughputResult:
    backend: str
    workers: int
    concurrency: int
    lanes: int
    analyzed: bool
    jobs: int
    enqueue_s: float
    done: int
    wall_s: float  # from starting the workers to the last job seen done, startup included
    window_s: float  # first job started to last job finished, from the jobs table
    retried: int
    dead: int
    fetches: int  # JobQueue.fetch calls that returned jobs
    worker_cpu: float  # cores' worth of CPU used by the workers while jobs ran
    postgres_cpu: float
    other_cpu: float

    @property
    def rate(self) -> float:
        return self.done / self.window_s if self.window_s > 0 else 0.0


@dataclass(frozen=True)
class FetchResult:
    backend: str
    finished_rows: int
    fill_s: float
    p50_ms: float
    p99_ms: float
    max_ms: float
    calls: int
    plan: str


def reader(url: str) -> Engine:
    """A plain engine for polling: no BEGIN IMMEDIATE, so it never blocks SQLite writers."""
    return create_engine(url, connect_args={"timeout": 30} if url.startswith("sqlite") else {})


def migrated_store(url: str) -> Store:
    store = Store.from_url(url, pool_size=2)
    migrate.upgrade(store.engine)
    return store


def noop_specs(start: int, count: int, lanes: int, tag: str) -> list[JobSpec]:
    return [
        JobSpec(
            job_type=NOOP_JOB,
            idempotency_key=f"{tag}-{index}",
            lane_key=f"lane-{index % lanes}" if lanes else None,
        )
        for index in range(start, start + count)
    ]


def enqueue_all(queue: JobQueue, count: int, lanes: int, tag: str) -> float:
    started = time.perf_counter()
    for start in range(0, count, ENQUEUE_BATCH):
        specs = noop_specs(start, min(ENQUEUE_BATCH, count - start), lanes, tag)
        queue.enqueue(specs, datetime.now(UTC))
    return time.perf_counter() - started


def count_status(engine: Engine, status: str) -> int:
    with engine.connect() as conn:
        query = select(func.count()).select_from(jobs).where(jobs.c.status == status)
        return int(conn.execute(query).scalar() or 0)


def run_throughput(
    backend: str,
    workdir: Path,
    job_count: int,
    worker_count: int,
    concurrency: int,
    lanes: int,
    timeout: float,
    wait_quiet: float,
    analyze: bool = False,
) -> ThroughputResult:
    run_dir = workdir / f"throughput-{backend}-{lanes}-{int(analyze)}"
    run_dir.mkdir()
    label = (
        f"{backend}, {worker_count} worker(s) x {concurrency}, "
        + (f"{lanes} lanes" if lanes else "no lanes")
        + (", ANALYZE after enqueue" if analyze else "")
    )
    with fresh_database(backend, run_dir) as url:
        config = write_config(
            run_dir,
            url,
            plugins=[PLUGIN],
            workers={"concurrency": concurrency},
        )
        store = migrated_store(url)
        print(f"[{label}] enqueuing {job_count:,} no-op jobs ...", flush=True)
        enqueue_s = enqueue_all(JobQueue(store), job_count, lanes, "noop")
        if analyze:
            # A fresh table has no planner statistics until autovacuum's first ANALYZE.
            with store.engine.connect() as conn:
                conn.execute(text("ANALYZE jobs"))
                conn.commit()
        store.dispose()
        poller = reader(url)
        background = wait_for_quiet(wait_quiet)
        if background >= 0.3:
            print(f"[{label}] measuring anyway: others take {background * 100:.0f}% of a core")
        print(f"[{label}] starting the workers ...", flush=True)
        started = time.perf_counter()
        procs = start_workers(config.path, worker_count, run_dir)
        groups = [proc.pid for proc in procs]
        done = 0
        # CPU is counted from the first finished job on, so the workers' start-up is left out.
        cpu_before: dict[str, dict[int, float]] | None = None
        busy_before = cpu_started = own_before = 0.0
        try:
            while time.perf_counter() - started < timeout:
                done = count_status(poller, "done")
                if done and cpu_before is None:
                    cpu_before = cpu_snapshot(groups)
                    busy_before, cpu_started = machine_busy_seconds(), time.perf_counter()
                    own_before = time.process_time()
                if done >= job_count:
                    break
                for index, proc in enumerate(procs):
                    if proc.poll() is not None:
                        log = tail(run_dir / f"worker-{index}.log")
                        raise RuntimeError(f"worker {index} exited with {proc.returncode}:\n{log}")
                time.sleep(POLL_SECONDS)
            wall_s = time.perf_counter() - started
            cpu_after = cpu_snapshot(groups)
            busy = machine_busy_seconds() - busy_before
            cpu_seconds = max(time.perf_counter() - cpu_started, 1e-6)
            own = time.process_time() - own_before
        finally:
            for proc in procs:
                stop_process(proc)
        before = cpu_before or cpu_after
        worker_cpu = sum(cpu_by_pid(before, cpu_after, "group").values()) / cpu_seconds
        postgres_cpu = sum(cpu_by_pid(before, cpu_after, "postgres").values()) / cpu_seconds
        other_cpu = max(0.0, (busy - own) / cpu_seconds - worker_cpu - postgres_cpu)
        with poller.connect() as conn:
            first, last, retried = conn.execute(
                select(
                    func.min(jobs.c.started_at),
                    func.max(jobs.c.finished_at),
                    func.count().filter(jobs.c.attempts > 1),
                ).where(jobs.c.status == "done")
            ).one()
            # Jobs taken by one fetch share its worker_id and started_at: count the fetches.
            batches = select(jobs.c.worker_id, jobs.c.started_at).where(jobs.c.status == "done")
            fetches = conn.execute(
                select(func.count()).select_from(batches.distinct().subquery())
            ).scalar()
        dead = count_status(poller, "dead")
        poller.dispose()
    window_s = _seconds_between(first, last)
    if done < job_count:
        print(f"[{label}] TIMEOUT after {timeout:.0f} s: {done:,} of {job_count:,} done")
    return ThroughputResult(
        backend=backend,
        workers=worker_count,
        concurrency=concurrency,
        lanes=lanes,
        analyzed=analyze,
        jobs=job_count,
        enqueue_s=enqueue_s,
        done=done,
        wall_s=wall_s,
        window_s=window_s,
        retried=int(retried or 0),
        dead=dead,
        fetches=int(fetches or 0),
        worker_cpu=worker_cpu,
        postgres_cpu=postgres_cpu,
        other_cpu=other_cpu,
    )


def _seconds_between(first: object, last: object) -> float:
    """Seconds between two timestamps read back raw (SQLite gives strings, PostgreSQL datetimes)."""
    if first is None or last is None:
        return 0.0
    start = first if isinstance(first, datetime) else datetime.fromisoformat(str(first))
    end = last if isinstance(last, datetime) else datetime.fromisoformat(str(last))
    return (end - start).total_seconds()


FILL_POSTGRES = """
INSERT INTO jobs (job_type, idempotency_key, priority, status, payload, attempts,
                  run_at, created_at, started_at, finished_at)
SELECT 'bench.noop', 'done-' || g, 10, 'done', '{}'::jsonb, 1,
       now() - interval '1 day', now() - interval '1 day', now() - interval '1 day', now()
FROM generate_series(1, :rows) AS g
"""

FILL_SQLITE = """
WITH RECURSIVE n(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM n WHERE g < :rows)
INSERT INTO jobs (job_type, idempotency_key, priority, status, payload, attempts,
                  run_at, created_at, started_at, finished_at)
SELECT 'bench.noop', 'done-' || g, 10, 'done', '{}', 1, :at, :at, :at, :at FROM n
"""

EXPLAIN_FETCH = (
    "SELECT id FROM jobs WHERE status = 'queued' AND run_at <= :now ORDER BY priority, id LIMIT 10"
)


def time_fetches(store: Store, tag: str) -> tuple[list[float], int]:
    """Enqueue FETCH_QUEUED jobs and take them all, FETCH_BATCH per `JobQueue.fetch` call."""
    queue = JobQueue(store)
    queue.enqueue(noop_specs(0, FETCH_QUEUED, 0, tag), datetime.now(UTC))
    timings: list[float] = []
    taken = 0
    for _ in range(FETCH_QUEUED // FETCH_BATCH + 1):
        started = time.perf_counter()
        got = queue.fetch("bench-fetch", FETCH_BATCH, timedelta(seconds=30), datetime.now(UTC))
        if not got:
            break
        timings.append(time.perf_counter() - started)
        taken += len(got)
    return sorted(timings), taken


def explain_fetch(store: Store) -> str:
    now = datetime.now(UTC)
    with store.engine.connect() as conn:
        if store.is_postgres:
            rows = conn.execute(text("EXPLAIN " + EXPLAIN_FETCH), {"now": now})
            lines = [str(row[0]).strip() for row in rows]
        else:
            rows = conn.execute(
                text("EXPLAIN QUERY PLAN " + EXPLAIN_FETCH),
                {"now": now.replace(tzinfo=None).isoformat(sep=" ")},
            )
            lines = [str(row[-1]) for row in rows]
    index = next((line for line in lines if "ix_jobs" in line or "INDEX" in line.upper()), "")
    return index or " / ".join(lines)


def run_fetch(backend: str, workdir: Path, finished_rows: int) -> tuple[FetchResult, FetchResult]:
    run_dir = workdir / f"fetch-{backend}"
    run_dir.mkdir()
    with fresh_database(backend, run_dir) as url:
        store = migrated_store(url)
        print(f"[{backend}] fetch latency on an empty table ...", flush=True)
        empty_timings, empty_taken = time_fetches(store, "empty")
        empty = _fetch_result(backend, 0, 0.0, empty_timings, explain_fetch(store))
        print(f"[{backend}] inserting {finished_rows:,} finished jobs ...", flush=True)
        started = time.perf_counter()
        with store.transaction() as conn:
            if store.is_postgres:
                conn.execute(text(FILL_POSTGRES), {"rows": finished_rows})
            else:
                at = datetime.now(UTC).replace(tzinfo=None).isoformat(sep=" ")
                conn.execute(text(FILL_SQLITE), {"rows": finished_rows, "at": at})
        with store.engine.connect() as conn:
            conn.execute(text("ANALYZE jobs" if store.is_postgres else "ANALYZE"))
            conn.commit()
        fill_s = time.perf_counter() - started
        print(f"[{backend}] fetch latency with {finished_rows:,} finished jobs ...", flush=True)
        full_timings, full_taken = time_fetches(store, "full")
        full = _fetch_result(backend, finished_rows, fill_s, full_timings, explain_fetch(store))
        store.dispose()
    if empty_taken != FETCH_QUEUED or full_taken != FETCH_QUEUED:
        raise RuntimeError(f"fetch took {empty_taken} and {full_taken} of {FETCH_QUEUED} jobs")
    return empty, full


def _fetch_result(
    backend: str, rows: int, fill_s: float, timings: Sequence[float], plan: str
) -> FetchResult:
    return FetchResult(
        backend=backend,
        finished_rows=rows,
        fill_s=fill_s,
        p50_ms=percentile(timings, 50) * 1000,
        p99_ms=percentile(timings, 99) * 1000,
        max_ms=(timings[-1] if timings else float("nan")) * 1000,
        calls=len(timings),
        plan=plan,
    )


def report(
    throughput: Sequence[ThroughputResult], fetches: Sequence[FetchResult], argv: Sequence[str]
) -> bool:
    ok = True
    print()
    print("Crossdock queue benchmark")
    print(f"machine: {machine_line()}")
    print(
        "workers: `crossdock worker --config F` subprocesses running the no-op job type "
        f"{NOOP_JOB!r} (plugin {PLUGIN}); each job is fetched, leased and completed in its "
        "own transaction"
    )
    if throughput:
        print()
        rows = []
        for result in throughput:
            complete = result.done == result.jobs and not result.dead and not result.retried
            ok &= complete
            rows.append(
                [
                    result.backend,
                    f"{result.workers} x {result.concurrency}",
                    str(result.lanes) if result.lanes else "-",
                    "yes" if result.analyzed else "no",
                    f"{result.jobs:,}",
                    f"{result.jobs / result.enqueue_s:,.0f}",
                    f"{result.done:,}",
                    f"{result.rate:,.0f}",
                    f"{result.window_s:.1f}",
                    f"{result.wall_s:.1f}",
                    f"{result.done / result.fetches:.1f}" if result.fetches else "-",
                    f"{result.worker_cpu * 100:.0f}%/{result.postgres_cpu * 100:.0f}%/"
                    f"{result.other_cpu * 100:.0f}%",
                    "ok" if complete else f"FAIL (dead {result.dead}, retried {result.retried})",
                ]
            )
        print_table(
            [
                "backend",
                "workers x slots",
                "lanes",
                "stats",
                "jobs",
                "enqueued/s",
                "done",
                "jobs/s",
                "window s",
                "wall s",
                "jobs/fetch",
                "cpu wrk/pg/other",
                "each once",
            ],
            rows,
        )
        print(
            "stats = ANALYZE ran after the enqueue (a fresh table has no planner statistics "
            "until autovacuum gets to it). "
            "jobs/s = done / (last finished_at - first started_at), read from the jobs table; "
            "wall s also counts the workers' start-up. jobs/fetch = jobs per JobQueue.fetch call "
            "that found work (jobs taken together share worker_id and started_at). cpu = share "
            "of one core used by the workers / PostgreSQL / anything else while jobs ran. "
            "'each once' = all done, none dead, none run twice."
        )
    if fetches:
        print()
        rows = [
            [
                result.backend,
                f"{result.finished_rows:,}",
                f"{result.fill_s:.1f}" if result.finished_rows else "-",
                f"{result.calls} x {FETCH_BATCH}",
                f"{result.p50_ms:.2f}",
                f"{result.p99_ms:.2f}",
                f"{result.max_ms:.2f}",
                result.plan,
            ]
            for result in fetches
        ]
        print_table(
            [
                "backend",
                "finished rows",
                "fill s",
                "fetches",
                "p50 ms",
                "p99 ms",
                "max ms",
                "plan for the due-jobs query",
            ],
            rows,
        )
        print(
            f"each fetch is one `JobQueue.fetch(limit={FETCH_BATCH})` transaction (select, lease, "
            f"commit) over {FETCH_QUEUED:,} queued jobs."
        )
    print()
    print("reproduce: " + reproduce_line("benchmarks.queue", argv))
    return ok


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--pg-jobs", type=int, default=20_000)
    parser.add_argument("--sqlite-jobs", type=int, default=10_000)
    parser.add_argument("--pg-workers", type=int, default=4)
    parser.add_argument("--sqlite-workers", type=int, default=1)
    parser.add_argument(
        "--concurrency", type=int, default=8, help="jobs at once per worker (config default 8)"
    )
    parser.add_argument("--lanes", type=int, default=200, help="0 skips the run with lanes")
    parser.add_argument("--finished-rows", type=int, default=1_000_000)
    parser.add_argument(
        "--analyze-run",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="on PostgreSQL, also run the no-lane case with ANALYZE after the enqueue",
    )
    parser.add_argument("--skip-throughput", action="store_true")
    parser.add_argument("--skip-fetch", action="store_true")
    parser.add_argument(
        "--timeout", type=float, default=150.0, help="seconds at most for one throughput run"
    )
    parser.add_argument(
        "--wait-quiet",
        type=float,
        default=120.0,
        help="seconds to wait at most, before each run, for other processes to go idle",
    )
    args = parser.parse_args(argv)
    for name in ("pg_jobs", "sqlite_jobs", "pg_workers", "sqlite_workers", "concurrency"):
        if getattr(args, name) < 1:
            parser.error(f"--{name.replace('_', '-')} must be at least 1")
    if args.pg_jobs > 1_000_000 or args.sqlite_jobs > 1_000_000:
        parser.error("at most 1,000,000 jobs per run")
    if not 0 <= args.finished_rows <= 5_000_000 or not 1 <= args.timeout <= 600:
        parser.error("--finished-rows must be 0..5,000,000 and --timeout 1..600 s")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args = parse_args(argv)
    backends = parse_backends(args.backends)
    if "postgresql" in backends:
        print(f"PostgreSQL {postgres_version()}")
    throughput: list[ThroughputResult] = []
    fetches: list[FetchResult] = []
    with tempfile.TemporaryDirectory(prefix="crossdock-queue-bench-") as tmp:
        workdir = Path(tmp)
        for backend in backends:
            postgres = backend == "postgresql"
            count = args.pg_jobs if postgres else args.sqlite_jobs
            workers = args.pg_workers if postgres else args.sqlite_workers
            if not args.skip_throughput:
                runs = [(0, False)]
                if postgres and args.analyze_run:
                    runs.append((0, True))
                if args.lanes:
                    runs.append((args.lanes, False))
                throughput.extend(
                    run_throughput(
                        backend,
                        workdir,
                        count,
                        workers,
                        args.concurrency,
                        lanes,
                        args.timeout,
                        args.wait_quiet,
                        analyze,
                    )
                    for lanes, analyze in runs
                )
            if not args.skip_fetch:
                fetches.extend(run_fetch(backend, workdir, args.finished_rows))
    return 0 if report(throughput, fetches, argv) else 1


if __name__ == "__main__":
    raise SystemExit(main())
