"""The PostgreSQL restart scenario runs last in the session, on a database of its own."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.conftest import PG_ADMIN_URL


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    restarts = [item for item in items if "test_faults_postgres" in item.nodeid]
    for item in restarts:
        items.remove(item)
    items.extend(restarts)


@pytest.fixture
def restart_safe_postgres_url(postgres_available: None) -> Iterator[str]:
    """A fresh database, dropped afterwards through an engine that survives a server restart
    (pre-ping: the connection pooled before the restart is replaced, not used)."""
    engine = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT", pool_pre_ping=True)
    name = f"crossdock_test_{uuid.uuid4().hex[:12]}"
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        with engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        engine.dispose()
