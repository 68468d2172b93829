"""The entry buffer: a flush removes what it wrote, and keeps what was appended meanwhile."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from crossdock.store import buffers, migrate
from crossdock.store.engine import Store

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def entry(n: int) -> dict[str, Any]:
    return {"id": f"e{n}", "at": (NOW + timedelta(minutes=n)).isoformat()}


def append(store: Store, n: int, keep: int = 10) -> bool:
    with store.transaction() as conn:
        return buffers.append_entry(
            conn, "b", "parcel", {"tracking_number": "parcel"}, entry(n), NOW, NOW, keep=keep
        )


def test_written_entries_leave_and_later_ones_stay(db_url: str) -> None:
    store = Store.from_url(db_url)
    migrate.upgrade(store.engine)
    assert append(store, 2) and append(store, 1)
    assert not append(store, 1), "an entry already pending is not added twice"
    with store.engine.connect() as conn:
        [read] = buffers.peek(conn, "b", 10)
    assert [e["id"] for e in read.payload["entries"]] == ["e1", "e2"], "in time order"
    append(store, 3)  # arrives while the flush writes e1 and e2
    with store.transaction() as conn:
        buffers.remove_entries(conn, "b", [read])
    with store.engine.connect() as conn:
        [left] = buffers.peek(conn, "b", 10)
    assert [e["id"] for e in left.payload["entries"]] == ["e3"]
    with store.transaction() as conn:
        buffers.remove_entries(conn, "b", [left])
    with store.engine.connect() as conn:
        assert buffers.peek(conn, "b", 10) == []
    store.dispose()


def test_a_long_absence_keeps_the_newest_entries_and_counts_the_rest(db_url: str) -> None:
    store = Store.from_url(db_url)
    migrate.upgrade(store.engine)
    for n in range(7):
        append(store, n, keep=3)
    with store.engine.connect() as conn:
        [read] = buffers.peek(conn, "b", 10)
    assert [e["id"] for e in read.payload["entries"]] == ["e4", "e5", "e6"]
    assert read.payload["omitted"] == 4
    store.dispose()
