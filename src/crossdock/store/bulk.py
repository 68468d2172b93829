"""Multi-row idempotent inserts that stay cheap on PostgreSQL.

SQLAlchemy's multi-row VALUES statements are too long for psycopg's query cache, so psycopg
re-parses every one of them (about 22 µs per row). On PostgreSQL the rows are therefore sent
as one array per column and expanded server-side with `unnest`: one short, cached statement
whatever the batch size. SQLite keeps SQLAlchemy's executemany, which is already cheap there.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import orjson
from sqlalchemy import JSON, Connection, Table, text
from sqlalchemy.dialects import postgresql

from crossdock.store.dialect import insert_ignoring_conflicts

_STATEMENTS: dict[tuple[str, tuple[str, ...], tuple[str, ...], str], Any] = {}


def _is_json(table: Table, column: str) -> bool:
    return isinstance(table.c[column].type, JSON)


def _pg_statement(
    table: Table, columns: tuple[str, ...], conflict: tuple[str, ...], returning: str
) -> Any:
    key = (table.name, columns, conflict, returning)
    statement = _STATEMENTS.get(key)
    if statement is None:
        dialect = postgresql.dialect()  # type: ignore[no-untyped-call]
        casts = []
        for name in columns:
            if _is_json(table, name):
                casts.append(f"CAST(CAST(:{name} AS TEXT[]) AS JSONB[])")
            else:
                sql_type = table.c[name].type.compile(dialect=dialect)
                casts.append(f"CAST(:{name} AS {sql_type}[])")
        statement = text(
            f"INSERT INTO {table.name} ({', '.join(columns)}) "
            f"SELECT * FROM unnest({', '.join(casts)}) "
            f"ON CONFLICT ({', '.join(conflict)}) DO NOTHING RETURNING {returning}"
        )
        _STATEMENTS[key] = statement
    return statement


def insert_new(
    conn: Connection,
    table: Table,
    rows: Sequence[dict[str, Any]],
    conflict: Sequence[str],
    returning: str,
) -> list[Any]:
    """Insert the rows that do not conflict; return the `returning` column of those inserted."""
    if not rows:
        return []
    if conn.dialect.name != "postgresql":
        stmt = insert_ignoring_conflicts(conn.dialect.name, table, *conflict)
        return [row[0] for row in conn.execute(stmt.returning(table.c[returning]), list(rows))]
    columns = tuple(rows[0])
    arrays: dict[str, list[Any]] = {}
    for name in columns:
        values = [row[name] for row in rows]
        if _is_json(table, name):
            values = [orjson.dumps(value).decode() for value in values]
        arrays[name] = values
    statement = _pg_statement(table, columns, tuple(conflict), returning)
    return [row[0] for row in conn.execute(statement, arrays)]
