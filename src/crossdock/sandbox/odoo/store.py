"""Keeps the sandbox's records in an SQLite file, so a restart with the same path finds them.

This stands in for Odoo's PostgreSQL database only as far as persistence goes: every
committed RPC call writes the records it touched, as JSON, in one SQLite transaction.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Mapping
from contextlib import closing
from pathlib import Path
from typing import Any

SCHEMA = (
    "CREATE TABLE IF NOT EXISTS records ("
    " model TEXT NOT NULL, id INTEGER NOT NULL, data TEXT NOT NULL, PRIMARY KEY (model, id))",
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
)


class SqliteStore:
    """Records as ``(model, id) -> JSON`` rows plus a few meta values (version, counters)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        with closing(self._connect()) as conn, conn:
            for statement in SCHEMA:
                conn.execute(statement)

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=10)

    def is_empty(self) -> bool:
        with closing(self._connect()) as conn:
            row = conn.execute("SELECT COUNT(*) FROM meta").fetchone()
        return bool(row[0] == 0)

    def load_meta(self) -> dict[str, Any]:
        with closing(self._connect()) as conn:
            rows = conn.execute("SELECT key, value FROM meta").fetchall()
        return {key: json.loads(value) for key, value in rows}

    def load_records(self) -> Iterator[tuple[str, int, dict[str, Any]]]:
        with closing(self._connect()) as conn:
            rows = conn.execute("SELECT model, id, data FROM records").fetchall()
        for model, rid, data in rows:
            yield model, int(rid), json.loads(data)

    def save(
        self,
        changed: Mapping[tuple[str, int], Mapping[str, Any] | None],
        meta: Mapping[str, Any],
    ) -> None:
        """Write the records that changed (``None`` means deleted) and the meta values."""
        with closing(self._connect()) as conn, conn:
            for (model, rid), data in changed.items():
                if data is None:
                    conn.execute("DELETE FROM records WHERE model = ? AND id = ?", (model, rid))
                else:
                    conn.execute(
                        "INSERT OR REPLACE INTO records (model, id, data) VALUES (?, ?, ?)",
                        (model, rid, json.dumps(data, sort_keys=True)),
                    )
            for key, value in meta.items():
                conn.execute(
                    "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                    (key, json.dumps(value, sort_keys=True)),
                )
