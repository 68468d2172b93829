"""Verify the audit chain end to end and name the first entry where it breaks.

Walks the entries in chain order and recomputes every hash, then checks the tail against
the head row and the signed checkpoints (and an anchor file kept outside the database, if
given): an edited entry fails its own hash, a deleted one leaves a gap in `seq`, an inserted
or reordered one breaks the link to its predecessor, and a truncated tail falls short of
the head or of a checkpoint. Someone who can write to the database can also rewrite the head
row, which is why checkpoints carry an HMAC with a key that lives outside it.
"""

from __future__ import annotations

import contextlib
import hmac
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, insert, select

from crossdock.clock import Clock
from crossdock.security.audit_chain import (
    GENESIS_HASH,
    Head,
    entry_hash,
    lock_head,
    read_head,
    sign_head,
)
from crossdock.store import audit
from crossdock.store.schema import audit_checkpoints


@dataclass(frozen=True)
class Break:
    """The first place the chain is broken: which entry (seq and row id) and how."""

    kind: str
    detail: str
    seq: int | None = None
    entry_id: int | None = None

    def public(self) -> dict[str, Any]:
        return {"kind": self.kind, "detail": self.detail, "seq": self.seq, "id": self.entry_id}


@dataclass
class Report:
    entries: int = 0
    head: Head | None = None
    checkpoints: int = 0
    broken: Break | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.broken is None


@dataclass(frozen=True)
class Anchor:
    """A head remembered elsewhere: a checkpoint row, or a file an operator kept."""

    seq: int
    hash: str
    signature: str | None
    origin: str


def _walk(conn: Connection, report: Report, wanted: set[int]) -> tuple[dict[int, str], Head]:
    """Check every link; returns the hash found at each wanted seq and the chain's tail."""
    found: dict[int, str] = {}
    with contextlib.closing(audit.chain(conn)) as walked:
        expected_seq, expected_prev = _links(walked, report, wanted, found)
    return found, Head(seq=expected_seq - 1, hash=expected_prev)


def _links(
    walked: Iterator[audit.AuditEntry], report: Report, wanted: set[int], found: dict[int, str]
) -> tuple[int, str]:
    expected_seq, expected_prev = 1, GENESIS_HASH
    for entry in walked:
        report.entries += 1
        content = entry.content()
        if content is None or entry.hash is None:
            report.broken = Break(
                "not-chained",
                f"entry id {entry.id} has no place in the chain (inserted outside it)",
                entry.seq,
                entry.id,
            )
            break
        if content.seq < expected_seq:
            report.broken = Break(
                "inserted",
                f"entry id {entry.id} repeats seq {content.seq} (an entry was inserted)",
                content.seq,
                entry.id,
            )
            break
        if content.seq > expected_seq:
            missing = (
                f"seq {expected_seq}"
                if content.seq == expected_seq + 1
                else f"seq {expected_seq}..{content.seq - 1}"
            )
            report.broken = Break(
                "deleted",
                f"{missing} missing before entry id {entry.id} (entries were deleted)",
                expected_seq,
                entry.id,
            )
            break
        if content.prev_hash != expected_prev:
            report.broken = Break(
                "relinked",
                f"entry seq {content.seq} (id {entry.id}) does not follow the entry before it "
                "(an entry was inserted, moved or replaced)",
                content.seq,
                entry.id,
            )
            break
        if entry_hash(content) != entry.hash:
            report.broken = Break(
                "edited",
                f"entry seq {content.seq} (id {entry.id}) does not match its hash "
                "(its content was edited)",
                content.seq,
                entry.id,
            )
            break
        if content.seq in wanted:
            found[content.seq] = entry.hash
        expected_seq, expected_prev = content.seq + 1, entry.hash
    return expected_seq, expected_prev


def _check_anchor(
    anchor: Anchor, key: bytes | None, found: dict[int, str], tail: Head
) -> Break | None:
    if (
        anchor.signature is not None
        and key is not None
        and not hmac.compare_digest(anchor.signature, sign_head(key, anchor.seq, anchor.hash))
    ):
        return Break(
            "forged-checkpoint",
            f"{anchor.origin} (seq {anchor.seq}) is not signed by the audit key",
            anchor.seq,
        )
    if anchor.seq > tail.seq:
        return Break(
            "truncated",
            f"{anchor.origin} records seq {anchor.seq}, the chain ends at seq {tail.seq} "
            f"(entries {tail.seq + 1}..{anchor.seq} were removed)",
            tail.seq + 1,
        )
    if anchor.seq > 0 and found.get(anchor.seq) != anchor.hash:
        return Break(
            "rewritten",
            f"entry seq {anchor.seq} differs from the hash {anchor.origin} recorded "
            "(the chain was rewritten)",
            anchor.seq,
        )
    return None


def verify(
    conn: Connection, *, key: bytes | None = None, anchors: list[Anchor] | None = None
) -> Report:
    """Check the chain, the head row, every checkpoint and the given anchors."""
    report = Report()
    checkpoints = [
        Anchor(row.seq, row.hash, row.signature, f"checkpoint {row.id}")
        for row in conn.execute(select(audit_checkpoints).order_by(audit_checkpoints.c.id))
    ]
    report.checkpoints = len(checkpoints)
    every = [*checkpoints, *(anchors or [])]
    found, tail = _walk(conn, report, {anchor.seq for anchor in every})
    report.head = read_head(conn)
    if report.broken is not None:
        return report
    head = report.head or Head(seq=0, hash=GENESIS_HASH)
    if head.seq > tail.seq:
        report.broken = Break(
            "truncated",
            f"the head records seq {head.seq}, the chain ends at seq {tail.seq} "
            f"(entries {tail.seq + 1}..{head.seq} were removed)",
            tail.seq + 1,
        )
        return report
    if head.seq < tail.seq or head.hash != tail.hash:
        report.broken = Break(
            "head-mismatch",
            f"the head records seq {head.seq}, the chain ends at seq {tail.seq} with another "
            "hash (entries were appended outside the chain, or the head was changed)",
            head.seq + 1 if head.seq < tail.seq else head.seq,
        )
        return report
    if checkpoints and key is None:
        report.warnings.append("no audit key configured: checkpoint signatures not checked")
    for anchor in every:
        broken = _check_anchor(anchor, key, found, tail)
        if broken is not None:
            report.broken = broken
            return report
    return report


def checkpoint(conn: Connection, key: bytes, clock: Clock) -> Anchor:
    """Sign the current head and keep it: a later truncation or rewrite cannot match it."""
    now = clock.now()
    head = lock_head(conn, now)
    signature = sign_head(key, head.seq, head.hash)
    conn.execute(
        insert(audit_checkpoints).values(seq=head.seq, hash=head.hash, at=now, signature=signature)
    )
    return Anchor(head.seq, head.hash, signature, "checkpoint")
