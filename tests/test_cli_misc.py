"""The operator's other commands: db, messages, jobs and schema."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from crossdock.canonical.registry import registered_event_types
from crossdock.clock import FrozenClock
from crossdock.config import Config, WorkerConfig
from crossdock.runtime import Runtime
from crossdock.sandbox import generic_partner as sim
from crossdock.store import migrate
from crossdock.store.engine import make_engine
from crossdock.store.jobs import JobSpec
from crossdock.web.app import create_app
from support.cli import invoke, table_cells, table_rows, write_config
from support.factories import make_config, make_runtime, partner_secret
from support.logs import isolated_logging
from support.plugin_paths import DLQ_PLUGIN, import_dlq_plugin
from support.server import serving

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _logging(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    with isolated_logging(monkeypatch):
        yield


def config_file(tmp_path: Path, config: Config) -> Path:
    return write_config(tmp_path / "crossdock.yaml", config.model_dump(mode="json"))


# -- db ----------------------------------------------------------------------------------


def test_db_upgrade_twice_and_current(db_url: str, tmp_path: Path) -> None:
    _secret, ref = partner_secret(tmp_path)
    path = config_file(tmp_path, make_config(db_url, [ref]))
    head = migrate.head_revision()

    result = invoke("db", "current", "--config", str(path))
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"revision none: behind (newest is {head})"

    result = invoke("db", "upgrade", "--config", str(path))
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"database at revision {head} (was empty)"

    result = invoke("db", "upgrade", "--config", str(path))
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"database at revision {head} (was {head})"

    result = invoke("db", "current", "--config", str(path))
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"revision {head}: current"

    engine = make_engine(db_url)
    try:
        assert migrate.is_current(engine)
    finally:
        engine.dispose()


def test_db_commands_report_a_broken_config(tmp_path: Path) -> None:
    path = tmp_path / "crossdock.yaml"
    path.write_text("database:\n  ur1: sqlite:///x.db\n", encoding="utf-8")
    result = invoke("db", "upgrade", "--config", str(path))
    assert result.exit_code == 1
    assert "database.ur1: Extra inputs are not permitted" in result.output


# -- messages ----------------------------------------------------------------------------


@pytest.fixture
def runtime(db_url: str, tmp_path: Path) -> Iterator[Runtime]:
    _secret, ref = partner_secret(tmp_path)
    runtime = make_runtime(make_config(db_url, [ref]), FrozenClock(NOW))
    try:
        yield runtime
    finally:
        runtime.store.dispose()


async def test_messages_list_and_show(runtime: Runtime, tmp_path: Path) -> None:
    secret = (tmp_path / "acme.secret").read_text(encoding="utf-8").strip()
    path = config_file(tmp_path, runtime.config)
    ts = int(NOW.timestamp())
    good = sim.encode(sim.order_confirmed(1, NOW))
    garbled = b'{"type": "crossdock.order.confirmed.v1", "data": '
    credentials = {
        "authorization": "Bearer top-secret-token",
        "cookie": "session=cookie-secret",
        "x-api-key": "api-key-secret",
    }
    async with (
        serving(create_app(runtime, run_workers=False)) as base_url,
        httpx.AsyncClient(base_url=base_url) as http,
    ):
        accepted = await http.post(
            "/webhooks/acme",
            content=good,
            headers={**sim.signed_headers(secret, good, "msg_good", ts), **credentials},
        )
        refused = await http.post(
            "/webhooks/acme",
            content=garbled,
            headers=sim.signed_headers(secret, garbled, "msg_garbled", ts),
        )
    assert accepted.status_code == 202
    assert refused.status_code == 400
    good_id = accepted.json()["message_id"]
    garbled_id = refused.json()["message_id"]

    result = invoke("messages", "list", "--status", "failed", "--config", str(path))
    assert result.exit_code == 0, result.output
    rows = [row for row in table_cells(result.output) if row[0] in (good_id, garbled_id)]
    assert len(rows) == 1
    row = rows[0]
    assert row[:2] == [garbled_id, "acme"]
    assert row[3:5] == ["failed", "msg_garbled"]
    assert row[5].startswith("unparseable: ")
    assert good_id not in result.output
    assert "1 message(s)" in result.output

    result = invoke("messages", "list", "--config", str(path))
    assert result.exit_code == 0, result.output
    listed = [row[0] for row in table_cells(result.output) if row[0] in (good_id, garbled_id)]
    assert sorted(listed) == sorted([good_id, garbled_id])
    assert "2 message(s)" in result.output

    # Received on the frozen clock, long before the wall clock the CLI runs on.
    result = invoke("messages", "list", "--since", "1h", "--config", str(path))
    assert result.exit_code == 0, result.output
    assert "0 message(s)" in result.output
    since = (NOW - timedelta(minutes=1)).isoformat()
    result = invoke("messages", "list", "--since", since, "--config", str(path))
    assert result.exit_code == 0, result.output
    assert "2 message(s)" in result.output

    result = invoke("messages", "list", "--partner", "globex", "--config", str(path))
    assert result.exit_code == 0, result.output
    assert "0 message(s)" in result.output

    await runtime.worker().run_until_idle()
    result = invoke("messages", "show", good_id, "--config", str(path))
    assert result.exit_code == 0, result.output
    output = result.output
    assert f"message {good_id} from acme" in output
    assert "status    translated  (answered 202)" in output
    assert "msg id    msg_good" in output
    assert "  webhook-id: msg_good" in output
    assert f"  webhook-timestamp: {ts}" in output
    assert "  authorization: [redacted]" in output
    assert "  cookie: [redacted]" in output
    assert "  x-api-key: [redacted]" in output
    for value in (*credentials.values(), secret, secret.removeprefix("whsec_")):
        assert value not in output
    assert good.decode() in output.replace("\n", "")
    assert "event " in output
    assert "crossdock.order.confirmed.v1 subject=SO00001" in output

    result = invoke("messages", "show", garbled_id, "--config", str(path))
    assert result.exit_code == 0, result.output
    assert "status    failed  (answered 400)" in result.output
    assert "error     unparseable: " in result.output
    assert garbled.decode() in result.output

    result = invoke("messages", "show", "no-such-message", "--config", str(path))
    assert result.exit_code == 1
    assert "no message no-such-message" in result.output


# -- jobs --------------------------------------------------------------------------------


def stats(output: str) -> dict[tuple[str, str], int]:
    return {
        (row[0], row[1]): int(row[2])
        for row in table_cells(output)
        if len(row) == 3 and row[2].isdigit()
    }


async def test_jobs_stats_and_purge(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import_dlq_plugin(monkeypatch)
    _secret, ref = partner_secret(tmp_path)
    config = make_config(db_url, [ref], plugins=[DLQ_PLUGIN], workers=WorkerConfig(concurrency=1))
    path = config_file(tmp_path, config)
    wall = datetime.now(UTC)  # `jobs purge` measures age on the wall clock
    clock = FrozenClock(wall - timedelta(days=40))
    runtime = make_runtime(config, clock)

    def enqueue(job_type: str, key: str, run_at: datetime | None = None) -> int:
        job_spec = JobSpec(job_type=job_type, idempotency_key=key, partner="acme", run_at=run_at)
        (job_id,) = runtime.queue.enqueue([job_spec], clock.now())
        return job_id

    try:
        old_done = [enqueue("test.succeeds", f"old-{n}") for n in range(2)]
        old_dead = enqueue("test.needs_fix", "old-dead")
        assert await runtime.worker().run_until_idle() == 3
        clock.set(wall - timedelta(days=10))
        recent_done = enqueue("test.succeeds", "recent")
        assert await runtime.worker().run_until_idle() == 1
        not_yet = enqueue("test.succeeds", "later", run_at=wall + timedelta(days=365))

        result = invoke("jobs", "stats", "--config", str(path))
        assert result.exit_code == 0, result.output
        assert stats(result.output) == {
            ("test.needs_fix", "dead"): 1,
            ("test.succeeds", "done"): 3,
            ("test.succeeds", "queued"): 1,
        }

        result = invoke("jobs", "purge", "--older-than", "30d", "--config", str(path))
        assert result.exit_code == 0, result.output
        assert "purged 2 finished job(s) older than 30d" in result.output
        for job_id in old_done:
            assert runtime.queue.get(job_id) is None
        for job_id, status in (
            (old_dead, "dead"),
            (recent_done, "done"),
            (not_yet, "queued"),
        ):
            kept = runtime.queue.get(job_id)
            assert kept is not None
            assert kept.status == status

        result = invoke("jobs", "purge", "--older-than", "30d", "--config", str(path))
        assert result.exit_code == 0, result.output
        assert "purged 0 finished job(s) older than 30d" in result.output

        result = invoke("jobs", "purge", "--older-than", "30x", "--config", str(path))
        assert result.exit_code == 1
        assert "--older-than: '30x' is not a duration; write e.g. 30d, 12h, 15m or 90s" in (
            result.output
        )

        result = invoke("jobs", "stats", "--config", str(path))
        assert stats(result.output) == {
            ("test.needs_fix", "dead"): 1,
            ("test.succeeds", "done"): 1,
            ("test.succeeds", "queued"): 1,
        }

        result = invoke("jobs", "list", "--status", "dead", "--config", str(path))
        assert result.exit_code == 0, result.output
        rows = table_rows(result.output)
        assert [(int(r[0]), r[1], r[2], r[4]) for r in rows] == [
            (old_dead, "test.needs_fix", "dead", "1")
        ]
        assert rows[0][6] == "crossdock.errors.PermanentError: order None has no customer"
    finally:
        runtime.store.dispose()


# -- schema ------------------------------------------------------------------------------


def test_schema_export_writes_every_registered_event_type(tmp_path: Path) -> None:
    target = tmp_path / "schemas" / "v1"
    result = invoke("schema", "export", str(target))
    assert result.exit_code == 0, result.output
    types = registered_event_types()
    assert {
        "crossdock.order.confirmed.v1",
        "crossdock.shipment.created.v1",
        "crossdock.shipment.milestone_recorded.v1",
        "crossdock.inventory.balance_reported.v1",
    } <= set(types)
    expected = {"envelope.schema.json", *(f"{t}.schema.json" for t in types)}
    assert {p.name for p in target.iterdir()} == expected
    assert f"{len(expected)} schema(s) written to {target}" in result.output
    for event_type in types:
        document = json.loads((target / f"{event_type}.schema.json").read_text("utf-8"))
        assert document["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        assert document["title"] == event_type
        assert document["properties"]["type"]["const"] == event_type
        assert document["properties"]["data"]["$ref"].startswith("#/$defs/")
    envelope = json.loads((target / "envelope.schema.json").read_text("utf-8"))
    assert envelope["title"] == "Crossdock CloudEvents envelope"

    before = {p.name: p.read_bytes() for p in target.iterdir()}
    assert invoke("schema", "export", str(target)).exit_code == 0
    assert {p.name: p.read_bytes() for p in target.iterdir()} == before
