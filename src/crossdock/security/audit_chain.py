"""The audit trail's hash chain: how an entry's hash is computed and how the head moves.

Each entry's hash is SHA-256 over a canonical JSON of its position (`seq`), content (time,
actor, action, target, details, before, after) and the previous entry's hash, so editing,
deleting, inserting or reordering any entry breaks the chain at that entry. Appends take
the head row's lock (`SELECT … FOR UPDATE` on PostgreSQL; SQLite's writers are exclusive
already), so with many workers the chain stays one line, in commit order.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import orjson
from sqlalchemy import Connection, insert, select, update

from crossdock.store.schema import audit_head

GENESIS_HASH = "0" * 64
HEAD_ROW_ID = 1


@dataclass(frozen=True)
class ChainedContent:
    """What an entry's hash covers, in the form it is read back from either database."""

    seq: int
    at: datetime
    actor: str
    action: str
    target: str
    details: Any
    before: Any
    after: Any
    prev_hash: str


def _time(at: datetime) -> str:
    # Both engines keep microseconds; UTC first so an aware time hashes one way only.
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def entry_hash(content: ChainedContent) -> str:
    document = {
        "seq": content.seq,
        "at": _time(content.at),
        "actor": content.actor,
        "action": content.action,
        "target": content.target,
        "details": content.details,
        "before": content.before,
        "after": content.after,
        "prev": content.prev_hash,
    }
    # Sorted keys at every depth: JSONB re-orders object keys, plain JSON keeps them.
    return hashlib.sha256(orjson.dumps(document, option=orjson.OPT_SORT_KEYS)).hexdigest()


def normalized(value: Any) -> Any:
    """`value` as the database gives it back (JSON round trip), so its hash is the one
    verification recomputes: tuples become lists, times strings, and so on."""
    if value is None:
        return None
    return orjson.loads(orjson.dumps(value, default=str))


@dataclass(frozen=True)
class Head:
    seq: int
    hash: str


def lock_head(conn: Connection, now: datetime) -> Head:
    """The chain's head, locked until the transaction ends; created on first use."""
    row = conn.execute(
        select(audit_head.c.seq, audit_head.c.hash)
        .where(audit_head.c.id == HEAD_ROW_ID)
        .with_for_update()
    ).first()
    if row is not None:
        return Head(seq=row.seq, hash=row.hash)
    # First entry ever: two first appenders race on the primary key; the loser's
    # transaction fails and its job is retried, by then behind the winner's head.
    conn.execute(
        insert(audit_head).values(id=HEAD_ROW_ID, seq=0, hash=GENESIS_HASH, updated_at=now)
    )
    return Head(seq=0, hash=GENESIS_HASH)


def move_head(conn: Connection, head: Head, now: datetime) -> None:
    conn.execute(
        update(audit_head)
        .where(audit_head.c.id == HEAD_ROW_ID)
        .values(seq=head.seq, hash=head.hash, updated_at=now)
    )


def read_head(conn: Connection) -> Head | None:
    row = conn.execute(
        select(audit_head.c.seq, audit_head.c.hash).where(audit_head.c.id == HEAD_ROW_ID)
    ).first()
    return Head(seq=row.seq, hash=row.hash) if row else None


def sign_head(key: bytes, seq: int, head_hash: str) -> str:
    """An HMAC over a checkpoint: who lacks the key cannot forge a head after truncating."""
    return hmac.new(key, f"{seq}:{head_hash}".encode(), hashlib.sha256).hexdigest()
