"""Dialect-specific statements that SQLAlchemy Core spells differently per database."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite


def insert_ignoring_conflicts(dialect: str, table: Table, *index_elements: str) -> Any:
    """`INSERT … ON CONFLICT (cols) DO NOTHING`, the idempotent insert both engines support."""
    module: Any = postgresql if dialect == "postgresql" else sqlite
    return module.insert(table).on_conflict_do_nothing(index_elements=list(index_elements))


def upsert(dialect: str, table: Table, index_elements: list[str], values: dict[str, Any]) -> Any:
    """`INSERT … ON CONFLICT (cols) DO UPDATE SET` every other given column."""
    module: Any = postgresql if dialect == "postgresql" else sqlite
    stmt = module.insert(table).values(**values)
    changed = {name: stmt.excluded[name] for name in values if name not in index_elements}
    return stmt.on_conflict_do_update(index_elements=index_elements, set_=changed)
