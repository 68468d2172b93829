"""The coalescing buffer: the latest value per entity, waiting to be written in one batch."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, delete, insert, or_, select, update

from crossdock.store.schema import coalesce_buffer


@dataclass(frozen=True)
class Buffered:
    entity_key: str
    payload: dict[str, Any]
    event_time: datetime
    version: int


def put_latest(
    conn: Connection,
    buffer: str,
    entity_key: str,
    payload: dict[str, Any],
    event_time: datetime,
    now: datetime,
) -> bool:
    """Keep `payload` unless the buffer already holds a newer event for the entity.

    Callers run on the entity's lane, so there is one writer per entity at a time.
    Returns whether the payload was kept.
    """
    key = and_(coalesce_buffer.c.buffer == buffer, coalesce_buffer.c.entity_key == entity_key)
    current = conn.execute(
        select(coalesce_buffer.c.event_time, coalesce_buffer.c.version).where(key)
    ).first()
    if current is None:
        conn.execute(
            insert(coalesce_buffer).values(
                buffer=buffer,
                entity_key=entity_key,
                payload=payload,
                event_time=event_time,
                version=1,
                updated_at=now,
            )
        )
        return True
    if event_time < current.event_time:
        return False  # a late, older event never replaces a newer one
    conn.execute(
        update(coalesce_buffer)
        .where(key)
        .values(payload=payload, event_time=event_time, version=current.version + 1, updated_at=now)
    )
    return True


def append_entry(
    conn: Connection,
    buffer: str,
    entity_key: str,
    base: dict[str, Any],
    entry: dict[str, Any],
    event_time: datetime,
    now: datetime,
    *,
    keep: int,
) -> bool:
    """Add `entry` (with a unique "id") to the entity's pending "entries"; returns False for
    an entry already pending. Keeps the newest `keep` entries by "at" and counts the others
    in "omitted", so a partner that stays down cannot grow a row without bound.

    Callers run on the entity's lane, so there is one writer per entity at a time; a flush
    that read an older version leaves the row alone (`remove_written`).
    """
    key = and_(coalesce_buffer.c.buffer == buffer, coalesce_buffer.c.entity_key == entity_key)
    current = conn.execute(
        select(
            coalesce_buffer.c.payload, coalesce_buffer.c.event_time, coalesce_buffer.c.version
        ).where(key)
    ).first()
    if current is None:
        payload = {**base, "entries": [entry], "omitted": 0}
        conn.execute(
            insert(coalesce_buffer).values(
                buffer=buffer,
                entity_key=entity_key,
                payload=payload,
                event_time=event_time,
                version=1,
                updated_at=now,
            )
        )
        return True
    payload = dict(current.payload)
    entries = list(payload.get("entries", []))
    if any(existing.get("id") == entry.get("id") for existing in entries):
        return False
    entries.append(entry)
    entries.sort(key=lambda item: str(item.get("at", "")))
    omitted = int(payload.get("omitted", 0)) + max(len(entries) - keep, 0)
    payload.update(base, entries=entries[-keep:], omitted=omitted)
    conn.execute(
        update(coalesce_buffer)
        .where(key)
        .values(
            payload=payload,
            event_time=max(event_time, current.event_time),
            version=current.version + 1,
            updated_at=now,
        )
    )
    return True


def peek(conn: Connection, buffer: str, limit: int) -> list[Buffered]:
    query = (
        select(coalesce_buffer)
        .where(coalesce_buffer.c.buffer == buffer)
        .order_by(coalesce_buffer.c.updated_at, coalesce_buffer.c.entity_key)
        .limit(limit)
    )
    return [
        Buffered(row.entity_key, row.payload, row.event_time, row.version)
        for row in conn.execute(query)
    ]


def remove_written(conn: Connection, buffer: str, written: list[Buffered]) -> int:
    """Drop what was written, unless it changed since it was read (then it goes next time)."""
    if not written:
        return 0
    same = or_(
        *(
            and_(
                coalesce_buffer.c.entity_key == item.entity_key,
                coalesce_buffer.c.version == item.version,
            )
            for item in written
        )
    )
    result = conn.execute(delete(coalesce_buffer).where(coalesce_buffer.c.buffer == buffer, same))
    return result.rowcount


def remove_entries(conn: Connection, buffer: str, written: list[Buffered]) -> None:
    """Take the entries that were written out of their rows (see `append_entry`).

    A row unchanged since it was read goes whole; a row that gained entries meanwhile keeps
    just those, so nothing is written twice and nothing appended meanwhile is lost.
    """
    for item in written:
        key = and_(
            coalesce_buffer.c.buffer == buffer, coalesce_buffer.c.entity_key == item.entity_key
        )
        current = conn.execute(
            select(coalesce_buffer.c.payload, coalesce_buffer.c.version)
            .where(key)
            .with_for_update()
        ).first()
        if current is None:
            continue
        done = {entry.get("id") for entry in item.payload.get("entries", [])}
        left = [e for e in current.payload.get("entries", []) if e.get("id") not in done]
        if current.version == item.version or not left:
            conn.execute(delete(coalesce_buffer).where(key))
            continue
        payload = {**current.payload, "entries": left, "omitted": 0}
        conn.execute(
            update(coalesce_buffer).where(key).values(payload=payload, version=current.version + 1)
        )
