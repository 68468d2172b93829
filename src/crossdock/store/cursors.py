"""The cursor store: durable sync positions, moved in the same transaction as their effects."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select

from crossdock.store.dialect import upsert
from crossdock.store.schema import cursors


def read(conn: Connection, name: str) -> dict[str, Any] | None:
    return conn.execute(select(cursors.c.position).where(cursors.c.name == name)).scalar()


def read_for_update(conn: Connection, name: str) -> dict[str, Any] | None:
    """Read and lock (PostgreSQL): two pollers of one cursor take turns instead of racing."""
    query = select(cursors.c.position).where(cursors.c.name == name).with_for_update()
    return conn.execute(query).scalar()


def save(conn: Connection, name: str, position: dict[str, Any], now: datetime) -> None:
    """Create or move a cursor. Call it in the transaction that records what was read, so a
    crash between the two can neither skip nor repeat a change."""
    values = {"name": name, "position": position, "updated_at": now}
    conn.execute(upsert(conn.dialect.name, cursors, ["name"], values))
