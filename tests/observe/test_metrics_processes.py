"""`/metrics` of `crossdock serve` counts the jobs two separate `crossdock worker` processes ran.

The server runs no workers itself, so every job figure it reports was written by another
process through the shared PROMETHEUS_MULTIPROC_DIR.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text

from crossdock.store import migrate
from crossdock.store.engine import Store
from crossdock.store.jobs import JobQueue, JobSpec
from tests.observe.metrics_scrape import parse, value
from tests.support import dlq_plugin
from tests.support.processes import free_port, start, stop, wait_healthy, write_config

pytestmark = pytest.mark.slow

JOBS = 200


def wait_for_log(path: Path, text: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists() and text in path.read_text(encoding="utf-8", errors="replace"):
            return
        time.sleep(0.2)
    raise AssertionError(f"{path.name} did not log {text!r} within {timeout} s")


def test_serve_reports_jobs_run_by_two_worker_processes(
    postgres_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    metrics_dir = tmp_path / "metrics"
    metrics_dir.mkdir()
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(metrics_dir))
    store = Store.from_url(postgres_url)
    migrate.upgrade(store.engine)
    now = datetime.now(UTC)
    port = free_port()
    config = write_config(
        tmp_path / "crossdock.yaml",
        {
            "database": {"url": postgres_url},
            "server": {"port": port},
            "workers": {"concurrency": 4},
            "plugins": [dlq_plugin.PLUGIN],
            # Info: each worker says when it has started.
            "logging": {"level": "info"},
        },
    )
    server = start(["serve", "--no-workers", "--config", str(config)], tmp_path / "serve.log")
    workers = [
        start(["worker", "--config", str(config)], tmp_path / f"worker{i}.log") for i in range(2)
    ]
    try:
        wait_healthy(port, server, timeout=120)
        # Work only once both workers poll, so that both take part however loaded the
        # machine is (else the sum below proves nothing about adding up).
        for index in range(len(workers)):
            wait_for_log(tmp_path / f"worker{index}.log", "worker started", timeout=120)
        specs = [JobSpec(dlq_plugin.SUCCEEDS, f"ok-{i}") for i in range(JOBS)]
        specs.append(JobSpec(dlq_plugin.NEEDS_FIX, "broken-1"))
        JobQueue(store).enqueue(specs, now)
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            with store.engine.connect() as conn:
                open_jobs = conn.execute(
                    text("SELECT count(*) FROM jobs WHERE status NOT IN ('done', 'dead')")
                ).scalar()
            if open_jobs == 0:
                break
            time.sleep(0.2)
        else:
            raise AssertionError("jobs not finished after 180 s")
        with store.engine.connect() as conn:
            by_worker = conn.execute(
                text("SELECT count(DISTINCT worker_id) FROM jobs WHERE status = 'done'")
            ).scalar()
        _, samples = parse(httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=10).text)
    finally:
        for process in [*workers, server]:
            stop(process)
        store.dispose()
    done = {"job_type": dlq_plugin.SUCCEEDS, "outcome": "done"}
    assert value(samples, "crossdock_job_run_seconds_count", done) == JOBS
    assert value(samples, "crossdock_job_attempts_count", done) == JOBS
    assert (
        value(samples, "crossdock_job_dead_letters_total", {"job_type": dlq_plugin.NEEDS_FIX}) == 1
    )
    assert value(samples, "crossdock_dead_letters", {"job_type": dlq_plugin.NEEDS_FIX}) == 1
    assert value(samples, "crossdock_queue_jobs") == 0
    assert by_worker == 2
