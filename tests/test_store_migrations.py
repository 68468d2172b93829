"""Migrations from empty produce exactly the schema the models declare."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from crossdock.store import migrate
from crossdock.store.engine import make_engine
from crossdock.store.schema import metadata


def test_migrations_match_models(db_url: str) -> None:
    engine = make_engine(db_url)
    migrate.upgrade(engine)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    engine.dispose()
    assert diff == []


def test_upgrade_is_idempotent_and_current(db_url: str) -> None:
    engine = make_engine(db_url)
    assert not migrate.is_current(engine)
    migrate.upgrade(engine)
    migrate.upgrade(engine)
    assert migrate.is_current(engine)
    assert migrate.current_revision(engine) == migrate.head_revision()
    tables = set(inspect(engine).get_table_names())
    assert {"messages", "events", "jobs", "xrefs", "audit_log", "entity_states"} <= tables
    engine.dispose()


def test_audit_log_refuses_edits(db_url: str) -> None:
    import pytest
    from sqlalchemy import delete, update
    from sqlalchemy.exc import DBAPIError

    from crossdock.clock import SystemClock
    from crossdock.store import audit
    from crossdock.store.schema import audit_log

    engine = make_engine(db_url)
    migrate.upgrade(engine)
    with engine.begin() as conn:
        audit.append(conn, at=SystemClock().now(), actor="t", action="x", target="y")
    with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
        conn.execute(update(audit_log).values(actor="someone else"))
    with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
        conn.execute(delete(audit_log))
    engine.dispose()


def test_cursor_store_saves_and_moves(db_url: str) -> None:
    from crossdock.clock import SystemClock
    from crossdock.store import cursors

    engine = make_engine(db_url)
    migrate.upgrade(engine)
    now = SystemClock().now()
    with engine.begin() as conn:
        assert cursors.read(conn, "odoo:sale.order") is None
        cursors.save(conn, "odoo:sale.order", {"write_date": "2026-11-23 08:00:00", "id": 4}, now)
    with engine.begin() as conn:
        assert cursors.read_for_update(conn, "odoo:sale.order") == {
            "write_date": "2026-11-23 08:00:00",
            "id": 4,
        }
        cursors.save(conn, "odoo:sale.order", {"write_date": "2026-11-23 08:05:00", "id": 9}, now)
    with engine.begin() as conn:
        assert cursors.read(conn, "odoo:sale.order") == {
            "write_date": "2026-11-23 08:05:00",
            "id": 9,
        }
    engine.dispose()


def test_xrefs_link_once_and_translate_ids_both_ways(db_url: str) -> None:
    from crossdock.clock import SystemClock
    from crossdock.store import xref

    engine = make_engine(db_url)
    migrate.upgrade(engine)
    now = SystemClock().now()
    with engine.begin() as conn:
        key = "picking:WH/OUT/00042"
        assert xref.link(conn, system="odoo", entity_type="picking", external_id="42",
                         internal_key=key, now=now) == key  # fmt: skip
        assert xref.link(conn, system="wms", entity_type="picking", external_id="SO-42/1",
                         internal_key=key, now=now) == key  # fmt: skip
        # A second, conflicting link keeps the first and tells the caller.
        assert xref.link(conn, system="odoo", entity_type="picking", external_id="42",
                         internal_key="picking:other", now=now) == key  # fmt: skip
    with engine.connect() as conn:
        assert xref.lookup(conn, system="wms", entity_type="picking", external_id="SO-42/1") == key
        assert xref.lookup(conn, system="wms", entity_type="picking", external_id="nope") is None
        assert xref.external_ids(conn, entity_type="picking", internal_key=key) == {
            "odoo": "42",
            "wms": "SO-42/1",
        }
    engine.dispose()


def test_audit_entries_read_back_in_order(db_url: str) -> None:
    from crossdock.clock import SystemClock
    from crossdock.store import audit

    engine = make_engine(db_url)
    migrate.upgrade(engine)
    now = SystemClock().now()
    with engine.begin() as conn:
        audit.append(conn, at=now, actor="cli:ops", action="dlq.replay", target="job:1")
        audit.append(conn, at=now, actor="cli:ops", action="config.change", target="partners")
    with engine.connect() as conn:
        replays = audit.entries(conn, action="dlq.replay")
        everything = audit.entries(conn)
    assert [(e.actor, e.target) for e in replays] == [("cli:ops", "job:1")]
    assert [e.action for e in everything] == ["dlq.replay", "config.change"]
    engine.dispose()
