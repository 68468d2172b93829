"""What a `/metrics` scrape, a dashboard overview and a timeline search cost on a big store.

Fills a fresh database with open jobs (a backlog), finished jobs, dead letters, inbox
messages and events, then times the store-derived part of a scrape (`StoreCollector`), the
overview's queries and one timeline search, each run several times.

    .venv/bin/python -m benchmarks.observe_scrape [--open 100000] [--finished 300000]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from prometheus_client import CollectorRegistry, generate_latest
from sqlalchemy import insert

from benchmarks._common import (
    fresh_database,
    machine_line,
    parse_backends,
    print_table,
    reproduce_line,
)
from crossdock.clock import FrozenClock
from crossdock.observe import metrics, tracing
from crossdock.observe.store_metrics import StoreCollector
from crossdock.store import migrate
from crossdock.store.engine import Store
from crossdock.store.jobs import Job, JobSpec
from crossdock.store.schema import events, jobs, messages
from crossdock.web.dashboard import overview, timeline

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
JOB_TYPES = [f"flow.step_{n}" for n in range(12)]
PARTNERS = [f"partner-{n}" for n in range(20)]
LANES = ["picking", "shipment", "sale_order", "notify", "partner"]
BATCH = 20_000


def fill(store: Store, open_jobs: int, finished: int) -> None:
    def rows(count: int, status: str, offset: int) -> list[dict[str, object]]:
        made = []
        for n in range(offset, offset + count):
            age = timedelta(seconds=n % 7200)
            made.append(
                {
                    "job_type": JOB_TYPES[n % len(JOB_TYPES)],
                    "idempotency_key": f"k{n}",
                    "lane_key": f"{LANES[n % len(LANES)]}:{n}",
                    "priority": 10,
                    "status": status,
                    "payload": {"n": n},
                    "partner": PARTNERS[n % len(PARTNERS)],
                    "correlation_id": f"SO{n % 50_000:06d}",
                    "attempts": 1,
                    "run_at": NOW - age,
                    "created_at": NOW - age - timedelta(seconds=2),
                    "finished_at": None if status == "queued" else NOW - age,
                }
            )
        return made

    plan = [("queued", open_jobs), ("done", finished), ("dead", 1_000)]
    offset = 0
    for status, count in plan:
        for start in range(0, count, BATCH):
            size = min(BATCH, count - start)
            with store.transaction() as conn:
                conn.execute(insert(jobs), rows(size, status, offset))
            offset += size
    with store.transaction() as conn:
        conn.execute(
            insert(messages),
            [
                {
                    "id": f"m{n}",
                    "partner": PARTNERS[n % len(PARTNERS)],
                    "dedup_key": f"d{n}",
                    "received_at": NOW - timedelta(seconds=n),
                    "headers": {},
                    "body": b"{}",
                    "status": "received" if n % 10 else "failed",
                    "response_status": 202,
                }
                for n in range(10_000)
            ],
        )
        conn.execute(
            insert(events),
            [
                {
                    "id": f"e{n}",
                    "message_id": f"m{n}",
                    "type": "crossdock.order.confirmed.v1",
                    "source": "/bench",
                    "subject": f"SO{n:06d}",
                    "time": NOW - timedelta(seconds=n),
                    "correlation_id": f"SO{n:06d}",
                    "lane_key": f"sale_order:SO{n:06d}",
                    "schema_version": 1,
                    "recorded_at": NOW - timedelta(seconds=n),
                    "envelope": {},
                }
                for n in range(10_000)
            ],
        )


def timed(action: Callable[[], object], repeat: int) -> tuple[float, float]:
    seconds = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        seconds.append(time.perf_counter() - started)
    return statistics.median(seconds) * 1000, max(seconds) * 1000


def run(backend: str, workdir: Path, open_jobs: int, finished: int, repeat: int) -> list[str]:
    with fresh_database(backend, workdir) as url:
        store = Store.from_url(url)
        migrate.upgrade(store.engine)
        fill(store, open_jobs, finished)
        if store.is_postgres:
            with store.engine.connect() as conn:
                conn.exec_driver_sql("ANALYZE")
        registry = CollectorRegistry()
        registry.register(StoreCollector(store, FrozenClock(NOW)))
        partners = [(p, "generic") for p in PARTNERS]

        def read_overview() -> object:
            with store.engine.connect() as conn:
                return overview.read(conn, store.dialect, partners, NOW)

        def search() -> object:
            with store.engine.connect() as conn:
                return timeline.search(conn, "SO004242")

        scrape = timed(lambda: generate_latest(registry), repeat)
        board = timed(read_overview, repeat)
        found = timed(search, repeat)
        size = len(generate_latest(registry))
        store.dispose()
    return [
        backend,
        f"{open_jobs:,}",
        f"{finished:,}",
        f"{scrape[0]:.1f} / {scrape[1]:.1f}",
        f"{size:,}",
        f"{board[0]:.1f} / {board[1]:.1f}",
        f"{found[0]:.1f} / {found[1]:.1f}",
    ]


def hook_overhead(calls: int = 50_000) -> list[list[str]]:
    """Microseconds the worker's per-attempt observability hooks add, tracing off and on."""
    job = Job(
        id=1,
        job_type="flow.step_0",
        idempotency_key="k",
        lane_key="picking:1",
        priority=10,
        status="running",
        payload={"event": {}},
        partner="p",
        message_id="m",
        correlation_id="SO1",
        attempts=1,
        run_at=NOW,
        lease_token="t",
        lease_expires_at=NOW,
        worker_id="w",
        created_at=NOW,
        started_at=NOW,
        finished_at=None,
        last_error=None,
        last_traceback=None,
    )
    follow_up = [JobSpec("flow.step_1", "k2", payload={"event": {}})]

    def attempt() -> None:
        metrics.job_started(job)
        with tracing.job_span(job):
            tracing.carry(follow_up)
        metrics.job_finished(job, "done", 0.001)

    rows = []
    for label, provider in (("off", None), ("on, in-memory exporter", _memory_provider())):
        tracing.use_provider(provider)
        started = time.perf_counter()
        for _ in range(calls):
            attempt()
        rows.append([label, f"{(time.perf_counter() - started) / calls * 1e6:.1f}"])
    tracing.use_provider(None)
    return rows


def _memory_provider() -> TracerProvider:
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(InMemorySpanExporter()))
    return provider


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--open", type=int, default=100_000, help="open (queued) jobs")
    parser.add_argument("--finished", type=int, default=300_000, help="done jobs")
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--hooks-only", action="store_true", help="only the per-job hook cost")
    args = parser.parse_args()
    if args.hooks_only:
        print(machine_line())
        print_table(["tracing", "hooks per job attempt, us"], hook_overhead())
        return
    print(machine_line())
    with tempfile.TemporaryDirectory() as workdir:
        results = [
            run(backend, Path(workdir), args.open, args.finished, args.repeat)
            for backend in parse_backends(args.backends)
        ]
    print_table(
        [
            "backend",
            "open jobs",
            "done jobs",
            "scrape ms p50 / max",
            "bytes",
            "overview ms p50 / max",
            "search ms p50 / max",
        ],
        results,
    )
    print()
    print_table(["tracing", "hooks per job attempt, us"], hook_overhead())
    print(reproduce_line("benchmarks.observe_scrape", []))


if __name__ == "__main__":
    main()
