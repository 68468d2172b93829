"""Dialect-specific statements that SQLAlchemy Core spells differently per database."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite


def insert_ignoring_conflicts(dialect: str, table: Table, *index_elements: str) -> Any:
    """`INSERT … ON CONFLICT (cols) DO NOTHING`, the idempotent insert both engines support."""
    module: Any = postgresql if dialect == "postgresql" else sqlite
    return module.insert(table).on_conflict_do_nothing(index_elements=list(index_elements))
