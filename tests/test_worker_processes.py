"""Real worker processes: lane order under retries on PostgreSQL, and lease expiry after a kill."""

from __future__ import annotations

import time
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from crossdock.store import migrate
from crossdock.store.engine import Store
from crossdock.store.jobs import JobQueue, JobSpec
from tests.support import plugins
from tests.support.processes import kill_hard, start, stop, write_config

pytestmark = pytest.mark.slow


def worker_config(tmp_path: Path, db_url: str, **workers: object) -> Path:
    return write_config(
        tmp_path / "crossdock.yaml",
        {
            "database": {"url": db_url},
            "workers": {"concurrency": 8, **workers},
            "plugins": ["tests.support.plugins:register"],
            "logging": {"level": "warning"},
        },
    )


def wait_for(predicate, timeout: float, what: str) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def scalar(store: Store, sql: str, **params: object) -> int:
    with store.engine.connect() as conn:
        return int(conn.execute(text(sql), params).scalar() or 0)


def test_lane_order_with_four_worker_processes(postgres_url: str, tmp_path: Path) -> None:
    lanes, per_lane = 50, 40
    store = Store.from_url(postgres_url)
    migrate.upgrade(store.engine)
    plugins.create_test_tables(store)
    now = datetime.now(UTC)
    JobQueue(store).enqueue(
        [
            JobSpec(
                job_type=plugins.LANE_PROBE,
                idempotency_key=f"probe:{lane}:{seq}",
                lane_key=f"picking:WH/OUT/{lane:05d}",
                payload={"seq": seq, "failure_rate": 0.2},
            )
            for seq in range(per_lane)
            for lane in range(lanes)
        ],
        now,
    )
    config = worker_config(tmp_path, postgres_url)
    workers = [
        start(["worker", "--config", str(config)], tmp_path / f"worker{i}.log") for i in range(4)
    ]
    try:
        wait_for(
            lambda: (
                scalar(store, "SELECT count(*) FROM jobs WHERE status = 'done'") == lanes * per_lane
            ),
            timeout=240,
            what="all lane probes done",
        )
    finally:
        for worker in workers:
            stop(worker)
    with store.engine.connect() as conn:
        effects = conn.execute(
            text("SELECT lane, seq, worker FROM test_effects ORDER BY effect_no")
        ).all()
        violations = conn.execute(text("SELECT * FROM test_lane_violations")).all()
        retried = conn.execute(text("SELECT count(*) FROM jobs WHERE attempts > 1")).scalar()
        dead = conn.execute(text("SELECT count(*) FROM jobs WHERE status = 'dead'")).scalar()
    by_lane: dict[str, list[int]] = defaultdict(list)
    for lane, seq, _worker in effects:
        by_lane[lane].append(seq)
    assert violations == [], "two jobs of one lane ran at the same time"
    assert dead == 0
    assert len(by_lane) == lanes
    for lane, seqs in by_lane.items():
        assert seqs == list(range(per_lane)), f"lane {lane} applied out of order: {seqs}"
    assert retried and retried > 100, "the injected failures should have caused retries"
    assert len({worker for *_rest, worker in effects}) == 4, "all four workers took part"
    store.dispose()


def test_killed_worker_loses_its_lease_and_the_job_runs_again(db_url: str, tmp_path: Path) -> None:
    store = Store.from_url(db_url)
    migrate.upgrade(store.engine)
    plugins.create_test_tables(store)
    JobQueue(store).enqueue(
        [JobSpec(job_type=plugins.SLOW, idempotency_key="slow-1", payload={})], datetime.now(UTC)
    )
    config = worker_config(tmp_path, db_url, lease="PT2S", reclaim_interval="PT0.5S")
    first = start(["worker", "--config", str(config)], tmp_path / "first.log")
    try:
        wait_for(
            lambda: scalar(store, "SELECT count(*) FROM jobs WHERE status = 'running'") == 1,
            timeout=30,
            what="the slow job to start",
        )
        with store.engine.connect() as conn:
            first_worker = conn.execute(text("SELECT worker_id FROM jobs")).scalar()
    finally:
        kill_hard(first)
    killed_at = time.monotonic()
    second = start(["worker", "--config", str(config)], tmp_path / "second.log")
    try:
        wait_for(
            lambda: scalar(store, "SELECT count(*) FROM jobs WHERE status = 'done'") == 1,
            timeout=60,
            what="the job to run again on another worker",
        )
        rerun_after = time.monotonic() - killed_at
    finally:
        stop(second)
    with store.engine.connect() as conn:
        job = conn.execute(text("SELECT attempts, worker_id FROM jobs")).one()
        effects = conn.execute(text("SELECT attempt, worker FROM test_effects")).all()
    assert job.attempts == 2
    assert job.worker_id != first_worker
    assert effects == [(2, job.worker_id)], "exactly one effect, from the second attempt"
    assert rerun_after >= 1.0, "the job must wait for the lease to expire, not run at once"
    store.dispose()
