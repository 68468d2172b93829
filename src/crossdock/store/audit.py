"""The append-only, hash-chained audit trail: who did what to which target, when, from what
to what. The chain itself (hashing, the head's lock) lives in security/audit_chain.py."""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select

from crossdock.security.audit_chain import (
    ChainedContent,
    Head,
    entry_hash,
    lock_head,
    move_head,
    normalized,
)
from crossdock.store.schema import audit_log


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: datetime
    actor: str
    action: str
    target: str
    details: dict[str, Any]
    seq: int | None = None
    before: Any = None
    after: Any = None
    prev_hash: str | None = None
    hash: str | None = None

    def content(self) -> ChainedContent | None:
        """What the hash should cover; None for an entry missing its chain fields."""
        if self.seq is None or self.prev_hash is None:
            return None
        return ChainedContent(
            seq=self.seq,
            at=self.at,
            actor=self.actor,
            action=self.action,
            target=self.target,
            details=self.details,
            before=self.before,
            after=self.after,
            prev_hash=self.prev_hash,
        )

    def public(self) -> dict[str, Any]:
        """The entry as exported (JSON lines) and shown."""
        return {
            "seq": self.seq,
            "id": self.id,
            "at": self.at.isoformat(),
            "actor": self.actor,
            "action": self.action,
            "target": self.target,
            "details": self.details,
            "before": self.before,
            "after": self.after,
            "prev_hash": self.prev_hash,
            "hash": self.hash,
        }


def append(
    conn: Connection,
    *,
    at: datetime,
    actor: str,
    action: str,
    target: str,
    details: dict[str, Any] | None = None,
    before: Any = None,
    after: Any = None,
) -> int:
    """Append one entry in the caller's transaction: the entry and the act commit together.

    Takes the chain head's lock until the caller commits; callers that also lock lanes take
    those first (every writer does), so the two locks never deadlock. Returns the entry's seq.
    """
    head = lock_head(conn, at)
    content = ChainedContent(
        seq=head.seq + 1,
        at=at,
        actor=actor,
        action=action,
        target=target,
        details=normalized(details or {}),
        before=normalized(before),
        after=normalized(after),
        prev_hash=head.hash,
    )
    digest = entry_hash(content)
    conn.execute(
        insert(audit_log).values(
            at=at,
            actor=actor,
            action=action,
            target=target,
            details=content.details,
            before_state=content.before,
            after_state=content.after,
            seq=content.seq,
            prev_hash=content.prev_hash,
            hash=digest,
        )
    )
    move_head(conn, Head(seq=content.seq, hash=digest), at)
    return content.seq


def entry_of(row: Any) -> AuditEntry:
    return AuditEntry(
        id=row.id,
        at=row.at,
        actor=row.actor,
        action=row.action,
        target=row.target,
        details=row.details,
        seq=row.seq,
        before=row.before_state,
        after=row.after_state,
        prev_hash=row.prev_hash,
        hash=row.hash,
    )


def entries(conn: Connection, *, action: str | None = None, limit: int = 1000) -> list[AuditEntry]:
    query = select(audit_log).order_by(audit_log.c.id).limit(limit)
    if action:
        query = query.where(audit_log.c.action == action)
    return [entry_of(row) for row in conn.execute(query)]


def chain(
    conn: Connection, *, since: datetime | None = None, batch: int = 5000
) -> Generator[AuditEntry]:
    """Every entry in chain order (then by id, so duplicates of a seq show up side by side),
    read in batches so a long trail never sits in memory at once."""
    query = select(audit_log).order_by(audit_log.c.seq.nulls_first(), audit_log.c.id)
    if since is not None:
        query = query.where(audit_log.c.at >= since)
    result = conn.execution_options(yield_per=batch).execute(query)
    try:
        for row in result:
            yield entry_of(row)
    finally:
        # A caller that stops early (the first break found) closes the server-side cursor.
        result.close()
