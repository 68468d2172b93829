"""Dead letters made for real by failing jobs, then listed, shown and replayed with the CLI."""

from __future__ import annotations

import asyncio
import getpass
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from crossdock.clock import FrozenClock
from crossdock.config import WorkerConfig
from crossdock.runtime import Runtime
from crossdock.store import audit
from crossdock.store.jobs import Job, JobSpec
from support.cli import invoke, table_rows, write_config
from support.factories import make_config, make_runtime, partner_secret
from support.logs import isolated_logging
from support.plugin_paths import DLQ_PLUGIN, import_dlq_plugin

PLUGIN = DLQ_PLUGIN
# One job at a time: these tests are about attempts and dead letters, and keep clear of the
# worker's bookkeeping race that has its own test below
# (test_run_until_idle_waits_for_a_job_taken_again_before_its_last_attempt_ended).
ONE_AT_A_TIME = WorkerConfig(concurrency=1)


@pytest.fixture(autouse=True)
def _logging(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    with isolated_logging(monkeypatch):
        yield


@pytest.fixture(autouse=True)
def plugin(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    return import_dlq_plugin(monkeypatch)


def spec(job_type: str, key: str, partner: str, **payload: object) -> JobSpec:
    return JobSpec(job_type=job_type, idempotency_key=key, payload=dict(payload), partner=partner)


def enqueue_one(runtime: Runtime, job_spec: JobSpec) -> int:
    (job_id,) = runtime.queue.enqueue([job_spec], runtime.clock.now())
    return job_id


def job(runtime: Runtime, job_id: int) -> Job:
    found = runtime.queue.get(job_id)
    assert found is not None
    return found


def replay_entries(runtime: Runtime) -> list[audit.AuditEntry]:
    with runtime.store.engine.connect() as conn:
        return audit.entries(conn, action="dlq.replay")


# -- dead letters, made by the worker ---------------------------------------------------


@pytest.fixture
def runtime(db_url: str, tmp_path: Path, plugin: ModuleType) -> Iterator[Runtime]:
    _secret, ref = partner_secret(tmp_path)
    config = make_config(db_url, [ref], plugins=[PLUGIN], workers=ONE_AT_A_TIME)
    runtime = make_runtime(config, FrozenClock(datetime(2026, 5, 4, 8, 0, tzinfo=UTC)))
    try:
        yield runtime
    finally:
        runtime.store.dispose()


async def test_retryable_job_dead_letters_after_exactly_three_attempts(
    runtime: Runtime, plugin: ModuleType
) -> None:
    job_id = enqueue_one(runtime, spec("test.always_retryable", "retry-1", "acme"))
    processed = await runtime.worker().run_until_idle()
    assert processed == 3
    dead = job(runtime, job_id)
    assert dead.status == "dead"
    assert dead.attempts == 3
    assert dead.last_error == ("crossdock.errors.RetryableError: partner API timed out (attempt 3)")
    assert dead.last_traceback is not None
    assert dead.last_traceback.startswith("Traceback (most recent call last):")
    assert "always_retryable" in dead.last_traceback
    assert dead.last_traceback.rstrip().endswith(
        "crossdock.errors.RetryableError: partner API timed out (attempt 3)"
    )
    assert dead.finished_at == runtime.clock.now()
    assert dead.lease_token is None
    assert [j.id for j in runtime.queue.dead_jobs()] == [job_id]
    # Nothing more happens, however long one waits.
    assert isinstance(runtime.clock, FrozenClock)
    runtime.clock.advance(timedelta(days=1))
    assert await runtime.worker().run_until_idle() == 0
    assert job(runtime, job_id).attempts == 3


async def test_permanent_error_dead_letters_after_one_attempt(runtime: Runtime) -> None:
    job_id = enqueue_one(runtime, spec("test.needs_fix", "perm-1", "acme", order="SO1"))
    assert await runtime.worker().run_until_idle() == 1
    dead = job(runtime, job_id)
    assert dead.status == "dead"
    assert dead.attempts == 1
    assert dead.last_error == "crossdock.errors.PermanentError: order SO1 has no customer"
    assert dead.last_traceback is not None
    assert "PermanentError: order SO1 has no customer" in dead.last_traceback


async def test_retry_waits_for_its_delay_on_the_clock(db_url: str, tmp_path: Path) -> None:
    """With a delay configured, a retry is due only once the clock has moved past it."""
    _secret, ref = partner_secret(tmp_path)
    config = make_config(
        db_url,
        [ref],
        plugins=[PLUGIN],
        workers=ONE_AT_A_TIME,
        job_policies={
            "test.always_retryable": {"max_attempts": 3, "base_delay": "PT10S", "jitter": False}
        },
    )
    clock = FrozenClock(datetime(2026, 5, 4, 8, 0, tzinfo=UTC))
    runtime = make_runtime(config, clock)
    try:
        job_id = enqueue_one(runtime, spec("test.always_retryable", "slow-1", "acme"))
        assert await runtime.worker().run_until_idle() == 1
        waiting = job(runtime, job_id)
        assert (waiting.status, waiting.attempts) == ("queued", 1)
        assert waiting.run_at == clock.now() + timedelta(seconds=10)
        clock.advance(timedelta(seconds=9))
        assert await runtime.worker().run_until_idle() == 0
        clock.advance(timedelta(seconds=1))
        assert await runtime.worker().run_until_idle() == 1
        assert job(runtime, job_id).run_at == clock.now() + timedelta(seconds=20)
        clock.advance(timedelta(seconds=20))
        assert await runtime.worker().run_until_idle() == 1
        dead = job(runtime, job_id)
        assert (dead.status, dead.attempts) == ("dead", 3)
        assert dead.last_error == (
            "crossdock.errors.RetryableError: partner API timed out (attempt 3)"
        )
    finally:
        runtime.store.dispose()


async def test_run_until_idle_waits_for_a_job_taken_again_before_its_last_attempt_ended(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With free slots, the worker fetches while a job is still finishing its failed attempt.

    Its retry is committed (due at once: zero delay), so that fetch takes the job again and
    files the new attempt under the job's id; when the earlier attempt's task then ends, its
    done-callback removes the job id, i.e. the *new* attempt, from the running set. The
    worker loses track of a running job: `run_until_idle` returns while it still runs (and
    `run` would neither renew its lease nor wait for it on shutdown). The sleeps below only
    make that interleaving certain; it also happens without them, now and then.
    """
    _secret, ref = partner_secret(tmp_path)
    config = make_config(db_url, [ref], plugins=[PLUGIN])  # default concurrency: 8
    runtime = make_runtime(config, FrozenClock(datetime(2026, 5, 4, 8, 0, tzinfo=UTC)))
    queue = runtime.queue
    real_fetch, real_retry_later = queue.fetch, queue.retry_later

    def slow_fetch(*args: Any, **kwargs: Any) -> list[Job]:
        time.sleep(0.05)
        return real_fetch(*args, **kwargs)

    def slow_retry_later(*args: Any, **kwargs: Any) -> None:
        real_retry_later(*args, **kwargs)  # committed; the attempt's task ends a bit later
        time.sleep(0.2)

    monkeypatch.setattr(queue, "fetch", slow_fetch)
    monkeypatch.setattr(queue, "retry_later", slow_retry_later)
    job_id = enqueue_one(runtime, spec("test.always_retryable", "race-1", "acme"))
    try:
        processed = await runtime.worker().run_until_idle()
        still_running = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        assert still_running == [], "run_until_idle returned while attempts were still running"
        assert processed == 3
        final = job(runtime, job_id)
        assert (final.status, final.attempts) == ("dead", 3)
    finally:
        others = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        await asyncio.gather(*others, return_exceptions=True)
        runtime.store.dispose()


# -- the CLI over those dead letters ----------------------------------------------------


@dataclass
class Scenario:
    runtime: Runtime
    clock: FrozenClock
    config: Path
    old_acme: int  # test.needs_fix, acme, dead three hours ago
    old_globex: int  # test.always_retryable, globex, dead three hours ago
    done: int  # test.succeeds, finished
    recent_acme: int  # test.needs_fix, acme, dead ten minutes ago
    recent_globex: int  # test.needs_fix, globex, dead ten minutes ago

    def cli(self, *args: str) -> tuple[int, str]:
        result = invoke(*args, "--config", str(self.config))
        return result.exit_code, result.output


@pytest.fixture
async def scenario(db_url: str, tmp_path: Path, plugin: ModuleType) -> AsyncIterator[Scenario]:
    _secret, ref = partner_secret(tmp_path)
    config = make_config(db_url, [ref], plugins=[PLUGIN], workers=ONE_AT_A_TIME)
    config_file = write_config(tmp_path / "crossdock.yaml", config.model_dump(mode="json"))
    # The CLI runs on the wall clock; the dead letters are dated relative to it.
    wall = datetime.now(UTC)
    clock = FrozenClock(wall - timedelta(hours=3))
    runtime = make_runtime(config, clock)
    try:
        old_acme = enqueue_one(runtime, spec("test.needs_fix", "old-acme", "acme", order="SO1"))
        old_globex = enqueue_one(runtime, spec("test.always_retryable", "old-globex", "globex"))
        done = enqueue_one(runtime, spec("test.succeeds", "done-1", "acme"))
        assert await runtime.worker().run_until_idle() == 5
        clock.set(wall - timedelta(minutes=10))
        recent_acme = enqueue_one(
            runtime, spec("test.needs_fix", "recent-acme", "acme", order="SO2")
        )
        recent_globex = enqueue_one(
            runtime, spec("test.needs_fix", "recent-globex", "globex", order="SO3")
        )
        assert await runtime.worker().run_until_idle() == 2
        yield Scenario(
            runtime=runtime,
            clock=clock,
            config=config_file,
            old_acme=old_acme,
            old_globex=old_globex,
            done=done,
            recent_acme=recent_acme,
            recent_globex=recent_globex,
        )
    finally:
        runtime.store.dispose()


def listed_ids(output: str) -> list[int]:
    return [int(row[0]) for row in table_rows(output)]


def test_dlq_list_and_its_filters(scenario: Scenario) -> None:
    s = scenario
    code, output = s.cli("dlq", "list")
    assert code == 0, output
    assert listed_ids(output) == [s.old_acme, s.old_globex, s.recent_acme, s.recent_globex]
    assert "4 dead letter(s)" in output
    rows = {int(row[0]): row for row in table_rows(output)}
    assert rows[s.old_globex][1:5] == ["test.always_retryable", "globex", "", "3"]
    assert rows[s.old_globex][6] == (
        "crossdock.errors.RetryableError: partner API timed out (attempt 3)"
    )
    assert rows[s.old_acme][1:5] == ["test.needs_fix", "acme", "", "1"]
    assert rows[s.old_acme][6] == "crossdock.errors.PermanentError: order SO1 has no customer"

    code, output = s.cli("dlq", "list", "--type", "test.always_retryable")
    assert (code, listed_ids(output)) == (0, [s.old_globex])
    assert "1 dead letter(s)" in output

    code, output = s.cli("dlq", "list", "--partner", "acme")
    assert (code, listed_ids(output)) == (0, [s.old_acme, s.recent_acme])

    code, output = s.cli("dlq", "list", "--since", "1h")
    assert (code, listed_ids(output)) == (0, [s.recent_acme, s.recent_globex])

    since = (datetime.now(UTC) - timedelta(hours=4)).isoformat()
    code, output = s.cli("dlq", "list", "--since", since, "--partner", "globex")
    assert (code, listed_ids(output)) == (0, [s.old_globex, s.recent_globex])

    code, output = s.cli(
        "dlq", "list", "--type", "test.needs_fix", "--partner", "globex", "--since", "1h"
    )
    assert (code, listed_ids(output)) == (0, [s.recent_globex])

    code, output = s.cli("dlq", "list", "--partner", "nobody")
    assert (code, listed_ids(output)) == (0, [])
    assert "0 dead letter(s)" in output

    code, output = s.cli("dlq", "list", "--since", "yesterday")
    assert code == 1
    assert "--since: 'yesterday' is neither a duration (2h, 7d) nor an ISO 8601 time" in output


def test_dlq_show(scenario: Scenario) -> None:
    s = scenario
    code, output = s.cli("dlq", "show", str(s.old_globex))
    assert code == 0, output
    assert f"job {s.old_globex} test.always_retryable (dead)" in output
    assert "attempts  3" in output
    assert "partner   globex" in output
    assert "error     crossdock.errors.RetryableError: partner API timed out (attempt 3)" in output
    assert "traceback:" in output
    assert "Traceback (most recent call last):" in output
    assert 'raise RetryableError(f"partner API timed out' in output

    code, output = s.cli("dlq", "show", str(s.old_acme))
    assert code == 0, output
    assert "attempts  1" in output
    assert "payload   {'order': 'SO1'}" in output
    assert "error     crossdock.errors.PermanentError: order SO1 has no customer" in output

    code, output = s.cli("dlq", "show", "999999")
    assert code == 1
    assert "no job 999999" in output


async def test_dlq_replay_by_id_is_audited_and_the_fixed_job_then_completes(
    scenario: Scenario, plugin: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    s = scenario
    before = job(s.runtime, s.old_acme)
    code, output = s.cli("dlq", "replay", str(s.old_acme))
    assert code == 0, output
    assert "replayed 1 job(s)" in output

    replayed = job(s.runtime, s.old_acme)
    assert replayed.status == "queued"
    assert replayed.attempts == 0
    assert replayed.finished_at is None
    # The error stays visible until the job runs again.
    assert replayed.last_error == before.last_error
    entries = replay_entries(s.runtime)
    assert len(entries) == 1
    entry = entries[0]
    assert entry.actor == f"cli:{getpass.getuser()}"
    assert entry.target == f"job:{s.old_acme}"
    assert entry.details == {
        "job_type": "test.needs_fix",
        "partner": "acme",
        "last_error": "crossdock.errors.PermanentError: order SO1 has no customer",
        "attempts_before": 1,
    }
    # The others are untouched.
    assert [j.id for j in s.runtime.queue.dead_jobs()] == [
        s.old_globex,
        s.recent_acme,
        s.recent_globex,
    ]
    code, output = s.cli("dlq", "list")
    assert s.old_acme not in listed_ids(output)

    # Deploy the fix, then let the worker run: the replayed job completes.
    monkeypatch.setenv(plugin.FIXED_ENV, "1")
    s.clock.set(datetime.now(UTC) + timedelta(seconds=5))
    assert await s.runtime.worker().run_until_idle() == 1
    finished = job(s.runtime, s.old_acme)
    assert finished.status == "done"
    assert finished.attempts == 1
    assert finished.finished_at == s.clock.now()
    assert job(s.runtime, s.recent_acme).status == "dead"


def test_dlq_replay_by_filter_dry_run_changes_nothing_then_replays(scenario: Scenario) -> None:
    s = scenario
    filters = ("--type", "test.needs_fix", "--partner", "globex", "--since", "1h")
    code, output = s.cli("dlq", "replay", *filters, "--dry-run")
    assert code == 0, output
    assert listed_ids(output) == [s.recent_globex]
    assert "dry run: 1 job(s) would be replayed" in output
    assert job(s.runtime, s.recent_globex).status == "dead"
    assert replay_entries(s.runtime) == []
    assert len(s.runtime.queue.dead_jobs()) == 4

    code, output = s.cli("dlq", "replay", "--partner", "acme", "--dry-run")
    assert (code, listed_ids(output)) == (0, [s.old_acme, s.recent_acme])
    assert "dry run: 2 job(s) would be replayed" in output
    assert len(s.runtime.queue.dead_jobs()) == 4

    code, output = s.cli("dlq", "replay", *filters)
    assert code == 0, output
    assert "replayed 1 job(s)" in output
    replayed = job(s.runtime, s.recent_globex)
    assert (replayed.status, replayed.attempts) == ("queued", 0)
    assert [e.target for e in replay_entries(s.runtime)] == [f"job:{s.recent_globex}"]
    assert [j.id for j in s.runtime.queue.dead_jobs()] == [
        s.old_acme,
        s.old_globex,
        s.recent_acme,
    ]

    # A filter matching several replays them all, each audited.
    code, output = s.cli("dlq", "replay", "--type", "test.needs_fix")
    assert code == 0, output
    assert "replayed 2 job(s)" in output
    assert [e.target for e in replay_entries(s.runtime)] == [
        f"job:{s.recent_globex}",
        f"job:{s.old_acme}",
        f"job:{s.recent_acme}",
    ]
    assert [j.id for j in s.runtime.queue.dead_jobs()] == [s.old_globex]


def test_dlq_replay_refusals(scenario: Scenario) -> None:
    s = scenario
    code, output = s.cli("dlq", "replay", str(s.done))
    assert code == 1
    assert f"skipped {s.done}: job is done, not dead" in output
    assert "replayed 0 job(s)" in output
    assert job(s.runtime, s.done).status == "done"

    code, output = s.cli("dlq", "replay", str(s.old_acme))
    assert code == 0, output
    code, output = s.cli("dlq", "replay", str(s.old_acme))
    assert code == 1
    assert f"skipped {s.old_acme}: job is queued, not dead" in output

    code, output = s.cli("dlq", "replay", "999999")
    assert code == 1
    assert "no job with id 999999" in output

    code, output = s.cli("dlq", "replay")
    assert code == 1
    assert "give job ids, or at least one filter (--type, --partner, --since)" in output

    code, output = s.cli("dlq", "replay", str(s.recent_acme), "--partner", "acme")
    assert code == 1
    assert "give job ids or filters (--type, --partner, --since), not both" in output

    code, output = s.cli("dlq", "replay", "--since", "soon")
    assert code == 1
    assert "--since: 'soon' is neither a duration" in output

    # Only the one legitimate replay happened.
    assert [e.target for e in replay_entries(s.runtime)] == [f"job:{s.old_acme}"]
    assert job(s.runtime, s.recent_acme).status == "dead"


def test_dlq_commands_refuse_an_unmigrated_database(tmp_path: Path) -> None:
    config = make_config(f"sqlite:///{tmp_path / 'empty.db'}", [])
    path = write_config(tmp_path / "crossdock.yaml", config.model_dump(mode="json"))
    result = invoke("dlq", "list", "--config", str(path))
    assert result.exit_code == 1
    assert "the database is not at the current migration: run `crossdock db upgrade`" in (
        result.output
    )
