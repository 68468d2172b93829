"""The audit chain: tampering by someone with database access is detected and located.

The tamper steps lift the append-only triggers first, as an attacker holding the database
owner's credentials would.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import orjson
import pytest
from sqlalchemy import Engine, create_engine, delete, func, insert, select, text, update
from sqlalchemy.engine import make_url

from crossdock.clock import FrozenClock
from crossdock.security.audit_chain import GENESIS_HASH, entry_hash
from crossdock.security.audit_verify import Anchor, checkpoint, verify
from crossdock.store import audit, migrate
from crossdock.store.engine import make_engine
from crossdock.store.schema import audit_head, audit_log
from support.cli import invoke, write_config
from tests.conftest import PG_ADMIN_URL

START = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
KEY = b"checkpoint-key-for-tests"


@pytest.fixture(scope="module")
def shared_postgres(postgres_available: None) -> Iterator[str]:
    """One PostgreSQL database for the module, emptied between tests (`fresh_chain`):
    creating one per test would cost most of these tests' time."""
    name = f"crossdock_audit_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    engine = make_engine(url)
    migrate.upgrade(engine)
    engine.dispose()
    try:
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def fresh_chain(engine: Engine) -> None:
    """An empty trail with the append-only trigger back on (TRUNCATE does not fire row
    triggers; a test may have lifted them to tamper)."""
    with engine.begin() as conn:
        conn.execute(text("TRUNCATE audit_log, audit_head, audit_checkpoints RESTART IDENTITY"))
        conn.execute(text("ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only"))
        conn.execute(insert(audit_head).values(id=1, seq=0, hash=GENESIS_HASH, updated_at=START))


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    if request.param == "postgresql":
        engine = make_engine(request.getfixturevalue("shared_postgres"))
        fresh_chain(engine)
    else:
        engine = make_engine(f"sqlite:///{tmp_path / 'crossdock.db'}")
        migrate.upgrade(engine)
    try:
        yield engine
    finally:
        engine.dispose()


def fill(engine: Engine, count: int = 6) -> None:
    for n in range(count):
        with engine.begin() as conn:
            audit.append(
                conn,
                at=START + timedelta(minutes=n),
                actor="cli:ops",
                action="config.change",
                target=f"partner:p{n}",
                details={"n": n, "nested": {"b": 1, "a": [1, 2.5, "x"]}},
                before={"enabled": False},
                after={"enabled": True},
            )


def lift_triggers(engine: Engine) -> None:
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only"))
        else:
            conn.execute(text("DROP TRIGGER audit_log_no_update"))
            conn.execute(text("DROP TRIGGER audit_log_no_delete"))


def row_id(engine: Engine, seq: int) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(audit_log.c.id).where(audit_log.c.seq == seq)).scalar_one())


def check(engine: Engine, anchors: list[Anchor] | None = None):  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        return verify(conn, key=KEY, anchors=anchors)


def test_an_untouched_chain_verifies(engine: Engine) -> None:
    fill(engine)
    report = check(engine)
    assert report.ok, report.broken
    assert report.entries == 6
    assert report.head is not None and report.head.seq == 6


def test_an_edited_entry_is_named(engine: Engine) -> None:
    fill(engine)
    lift_triggers(engine)
    with engine.begin() as conn:
        conn.execute(update(audit_log).where(audit_log.c.seq == 3).values(actor="cli:someone"))
    report = check(engine)
    assert report.broken is not None
    assert (report.broken.kind, report.broken.seq) == ("edited", 3)
    assert report.broken.entry_id == row_id(engine, 3)


def test_an_edit_of_the_after_state_is_named(engine: Engine) -> None:
    fill(engine)
    lift_triggers(engine)
    with engine.begin() as conn:
        conn.execute(
            update(audit_log).where(audit_log.c.seq == 5).values(after_state={"enabled": False})
        )
    report = check(engine)
    assert report.broken is not None
    assert (report.broken.kind, report.broken.seq) == ("edited", 5)


def test_a_deleted_entry_is_named(engine: Engine) -> None:
    fill(engine)
    lift_triggers(engine)
    after = row_id(engine, 5)
    with engine.begin() as conn:
        conn.execute(delete(audit_log).where(audit_log.c.seq == 4))
    report = check(engine)
    assert report.broken is not None
    assert (report.broken.kind, report.broken.seq, report.broken.entry_id) == ("deleted", 4, after)


def test_an_inserted_entry_is_named_even_with_a_correct_own_hash(engine: Engine) -> None:
    fill(engine)
    lift_triggers(engine)
    # The forger knows the algorithm and links the new entry to entry 2, shifting the rest.
    with engine.begin() as conn:
        second = conn.execute(select(audit_log).where(audit_log.c.seq == 2)).one()
        conn.execute(
            update(audit_log).where(audit_log.c.seq >= 3).values(seq=audit_log.c.seq + 100)
        )
        content = audit.AuditEntry(
            id=0,
            at=START,
            actor="cli:forger",
            action="dlq.replay",
            target="job:1",
            details={},
            seq=3,
            prev_hash=second.hash,
        ).content()
        assert content is not None
        conn.execute(
            insert(audit_log).values(
                at=START,
                actor="cli:forger",
                action="dlq.replay",
                target="job:1",
                details={},
                seq=3,
                prev_hash=second.hash,
                hash=entry_hash(content),
            )
        )
        conn.execute(
            update(audit_log).where(audit_log.c.seq >= 103).values(seq=audit_log.c.seq - 99)
        )
    report = check(engine)
    assert report.broken is not None
    # The forged entry links correctly; the next one (old seq 3, now 4) no longer does.
    assert (report.broken.kind, report.broken.seq) == ("relinked", 4)


def test_a_row_added_outside_the_chain_is_named(engine: Engine) -> None:
    fill(engine)
    with engine.begin() as conn:
        conn.execute(
            insert(audit_log).values(
                at=START, actor="x", action="y", target="z", details={}, seq=None
            )
        )
    report = check(engine)
    assert report.broken is not None
    assert report.broken.kind == "not-chained"


def test_two_swapped_entries_are_named(engine: Engine) -> None:
    fill(engine)
    lift_triggers(engine)
    with engine.begin() as conn:
        conn.execute(update(audit_log).where(audit_log.c.seq == 2).values(seq=-2))
        conn.execute(update(audit_log).where(audit_log.c.seq == 3).values(seq=2))
        conn.execute(update(audit_log).where(audit_log.c.seq == -2).values(seq=3))
    report = check(engine)
    assert report.broken is not None
    assert report.broken.seq == 2
    assert report.broken.kind in {"relinked", "edited"}


def test_a_truncated_tail_is_detected_by_the_head(engine: Engine) -> None:
    fill(engine)
    lift_triggers(engine)
    with engine.begin() as conn:
        conn.execute(delete(audit_log).where(audit_log.c.seq >= 5))
    report = check(engine)
    assert report.broken is not None
    assert (report.broken.kind, report.broken.seq) == ("truncated", 5)
    assert "5..6" in report.broken.detail


def test_emptying_the_whole_table_is_detected(engine: Engine) -> None:
    """TRUNCATE (PostgreSQL) fires no row trigger: the head still remembers the chain."""
    fill(engine)
    lift_triggers(engine)
    with engine.begin() as conn:
        conn.execute(delete(audit_log))
    report = check(engine)
    assert report.broken is not None
    assert (report.broken.kind, report.broken.seq) == ("truncated", 1)


def test_a_truncation_that_also_rewinds_the_head_is_caught_by_the_signed_checkpoint(
    engine: Engine,
) -> None:
    fill(engine)
    with engine.begin() as conn:
        checkpoint(conn, KEY, FrozenClock(START))
    lift_triggers(engine)
    with engine.begin() as conn:
        kept = conn.execute(select(audit_log.c.hash).where(audit_log.c.seq == 4)).scalar_one()
        conn.execute(delete(audit_log).where(audit_log.c.seq >= 5))
        conn.execute(update(audit_head).values(seq=4, hash=kept))
    report = check(engine)
    assert report.broken is not None
    assert (report.broken.kind, report.broken.seq) == ("truncated", 5)


def test_export_masks_personal_data_unless_asked(tmp_path: Path, engine: Engine) -> None:
    with engine.begin() as conn:
        audit.append(
            conn,
            at=START,
            actor="cli:ops",
            action="exception.resolved",
            target="order:SO1",
            details={"note": "customer jane@example.com called"},
        )
    url = engine.url.render_as_string(hide_password=False)
    config = str(write_config(tmp_path / "crossdock.yaml", {"database": {"url": url}}))
    (masked,) = invoke("audit", "export", "-c", config).stdout.splitlines()
    assert "jane@example.com" not in masked and orjson.loads(masked)["redacted"] is True
    (kept,) = invoke("audit", "export", "-c", config, "--personal-data").stdout.splitlines()
    assert "jane@example.com" in kept and "redacted" not in orjson.loads(kept)


def test_a_forged_checkpoint_is_refused(engine: Engine) -> None:
    fill(engine)
    with engine.begin() as conn:
        checkpoint(conn, b"not-the-key", FrozenClock(START))
    report = check(engine)
    assert report.broken is not None
    assert report.broken.kind == "forged-checkpoint"


def test_concurrent_appends_keep_one_line(engine: Engine) -> None:
    """Eight writers at once: every entry gets its own seq and the chain still verifies."""

    def writer(n: int) -> None:
        for i in range(15):
            with engine.begin() as conn:
                audit.append(conn, at=START, actor=f"w{n}", action="status.changed", target=f"t{i}")

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    report = check(engine)
    assert report.ok, report.broken
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(audit_log)).scalar_one() == 120
    assert report.head is not None and report.head.seq == 120


def test_cli_verify_export_and_anchor(tmp_path: Path, engine: Engine) -> None:
    db_url = engine.url.render_as_string(hide_password=False)
    fill(engine, 3)
    key_file = tmp_path / "audit.key"
    key_file.write_text("cli-audit-key\n", encoding="utf-8")
    config = write_config(
        tmp_path / "crossdock.yaml",
        {"database": {"url": db_url}, "security": {"audit_key": f"file:{key_file}"}},
    )
    anchor = tmp_path / "head.json"
    assert invoke("audit", "checkpoint", "-c", str(config), "--out", str(anchor)).exit_code == 0
    result = invoke("audit", "verify", "-c", str(config), "--anchor", str(anchor))
    assert result.exit_code == 0, result.output
    assert "3 entries" in result.output

    out = tmp_path / "audit.jsonl"
    result = invoke("audit", "export", "-c", str(config), "--since", "2026-12-01T09:01:00Z")
    assert result.exit_code == 0
    lines = [orjson.loads(line) for line in result.stdout.splitlines()]
    assert [line["seq"] for line in lines] == [2, 3]
    assert lines[0]["before"] == {"enabled": False} and lines[0]["after"] == {"enabled": True}
    assert invoke("audit", "export", "-c", str(config), "--out", str(out)).exit_code == 0
    assert len(out.read_text().splitlines()) == 3
    assert all("redacted" not in line for line in lines)

    lift_triggers(engine)
    with engine.begin() as conn:
        conn.execute(delete(audit_log).where(audit_log.c.seq == 3))
        conn.execute(update(audit_head).values(seq=2, hash=lines[0]["hash"]))
    result = invoke("audit", "verify", "-c", str(config), "--anchor", str(anchor))
    assert result.exit_code == 1
    assert "truncated" in result.output
