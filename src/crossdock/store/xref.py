"""Cross-references: one table that maps each system's identifiers to Crossdock's keys."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, select

from crossdock.store.dialect import insert_ignoring_conflicts
from crossdock.store.schema import xrefs


def link(
    conn: Connection,
    *,
    system: str,
    entity_type: str,
    external_id: str,
    internal_key: str,
    now: datetime,
) -> str:
    """Record that `external_id` in `system` is `internal_key`; the first link wins.

    Returns the internal key actually on record, which differs from `internal_key` when the
    external id was already linked: callers compare to detect a conflicting identity.
    """
    stmt = insert_ignoring_conflicts(
        conn.dialect.name, xrefs, "system", "entity_type", "external_id"
    )
    conn.execute(
        stmt.values(
            system=system,
            entity_type=entity_type,
            external_id=external_id,
            internal_key=internal_key,
            created_at=now,
        )
    )
    found = lookup(conn, system=system, entity_type=entity_type, external_id=external_id)
    if found is None:  # only if the row vanished between insert and read
        raise LookupError(f"cross-reference {system}/{entity_type}/{external_id} disappeared")
    return found


def lookup(conn: Connection, *, system: str, entity_type: str, external_id: str) -> str | None:
    query = select(xrefs.c.internal_key).where(
        xrefs.c.system == system,
        xrefs.c.entity_type == entity_type,
        xrefs.c.external_id == external_id,
    )
    return conn.execute(query).scalar()


def external_ids(conn: Connection, *, entity_type: str, internal_key: str) -> dict[str, str]:
    """Every system's id for one entity, e.g. {"odoo": "42", "wms": "SO-42", "carrier": "1Z…"}."""
    query = select(xrefs.c.system, xrefs.c.external_id).where(
        xrefs.c.entity_type == entity_type, xrefs.c.internal_key == internal_key
    )
    return {row.system: row.external_id for row in conn.execute(query)}
