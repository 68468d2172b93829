"""The append-only audit trail: who did what to which target, and when."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select

from crossdock.store.schema import audit_log


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: datetime
    actor: str
    action: str
    target: str
    details: dict[str, Any]


def append(
    conn: Connection,
    *,
    at: datetime,
    actor: str,
    action: str,
    target: str,
    details: dict[str, Any] | None = None,
) -> None:
    """Append one entry in the caller's transaction: the entry and the act commit together."""
    conn.execute(
        insert(audit_log).values(
            at=at, actor=actor, action=action, target=target, details=details or {}
        )
    )


def entries(conn: Connection, *, action: str | None = None, limit: int = 1000) -> list[AuditEntry]:
    query = select(audit_log).order_by(audit_log.c.id).limit(limit)
    if action:
        query = query.where(audit_log.c.action == action)
    return [
        AuditEntry(
            id=row.id,
            at=row.at,
            actor=row.actor,
            action=row.action,
            target=row.target,
            details=row.details,
        )
        for row in conn.execute(query)
    ]
