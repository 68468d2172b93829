"""The inbox: raw partner messages, stored before they are answered, deduplicated per partner."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, select, tuple_, update

from crossdock.store import bulk
from crossdock.store.engine import Store
from crossdock.store.jobs import JobQueue, JobSpec
from crossdock.store.schema import messages


@dataclass(frozen=True)
class IncomingMessage:
    """A verified request, ready to be made durable."""

    id: str
    partner: str
    dedup_key: str
    received_at: datetime
    headers: dict[str, str]
    body: bytes
    content_type: str | None
    # Set when the body is not valid JSON: the message is kept, marked failed, not translated.
    parse_error: str | None = None
    correlation_id: str | None = None
    trace_parent: str | None = None


@dataclass(frozen=True)
class Acceptance:
    """The answer given for a message; a repeated message gets its original answer back."""

    message_id: str
    response_status: int
    duplicate: bool
    error: str | None = None


@dataclass(frozen=True)
class StoredMessage:
    id: str
    partner: str
    dedup_key: str
    received_at: datetime
    headers: dict[str, str]
    body: bytes
    content_type: str | None
    status: str
    error: str | None
    response_status: int
    correlation_id: str | None
    trace_parent: str | None


ACCEPTED = 202
UNPARSEABLE = 400


class Inbox:
    """Stores messages and, in the same transaction, the jobs that will translate them."""

    def __init__(self, store: Store, queue: JobQueue) -> None:
        self.store = store
        self.queue = queue

    def ingest(
        self,
        batch: Sequence[IncomingMessage],
        translate_job: Callable[[IncomingMessage], JobSpec],
    ) -> list[Acceptance]:
        """Make a batch durable in one transaction; answers come back in the batch's order."""
        with self.store.transaction() as conn:
            return self.ingest_in(conn, batch, translate_job)

    def ingest_in(
        self,
        conn: Connection,
        batch: Sequence[IncomingMessage],
        translate_job: Callable[[IncomingMessage], JobSpec],
    ) -> list[Acceptance]:
        """Ingest inside the caller's transaction (a poller stores what it read and moves its
        cursor in one commit)."""
        first_of_key: dict[tuple[str, str], IncomingMessage] = {}
        for message in batch:
            first_of_key.setdefault((message.partner, message.dedup_key), message)
        unique = list(first_of_key.values())
        now = max(message.received_at for message in batch)
        inserted = self._insert_new(conn, unique)
        originals = self._originals(conn, [m for m in unique if m.id not in inserted])
        fresh = [m for m in unique if m.id in inserted and m.parse_error is None]
        specs = [translate_job(message) for message in fresh]
        self.store.lock_lanes(conn, (spec.lane_key for spec in specs))
        self.queue.enqueue_in(conn, specs, now)
        answers: list[Acceptance] = []
        for message in batch:
            first = first_of_key[(message.partner, message.dedup_key)]
            if first.id in inserted:
                answers.append(
                    Acceptance(
                        message_id=first.id,
                        response_status=UNPARSEABLE if first.parse_error else ACCEPTED,
                        duplicate=message is not first,
                        error=first.parse_error,
                    )
                )
            else:
                answers.append(originals[(first.partner, first.dedup_key)])
        return answers

    def _insert_new(self, conn: Connection, batch: Sequence[IncomingMessage]) -> set[str]:
        rows = [
            {
                "id": m.id,
                "partner": m.partner,
                "dedup_key": m.dedup_key,
                "received_at": m.received_at,
                "headers": m.headers,
                "body": m.body,
                "content_type": m.content_type,
                "status": "failed" if m.parse_error else "received",
                "error": f"unparseable: {m.parse_error}" if m.parse_error else None,
                "response_status": UNPARSEABLE if m.parse_error else ACCEPTED,
                "correlation_id": m.correlation_id,
                "trace_parent": m.trace_parent,
            }
            for m in batch
        ]
        return set(bulk.insert_new(conn, messages, rows, ("partner", "dedup_key"), "id"))

    @staticmethod
    def _originals(
        conn: Connection, batch: Sequence[IncomingMessage]
    ) -> dict[tuple[str, str], Acceptance]:
        if not batch:
            return {}
        keys = [(m.partner, m.dedup_key) for m in batch]
        query = select(
            messages.c.id,
            messages.c.partner,
            messages.c.dedup_key,
            messages.c.response_status,
            messages.c.error,
        ).where(tuple_(messages.c.partner, messages.c.dedup_key).in_(keys))
        return {
            (row.partner, row.dedup_key): Acceptance(
                message_id=row.id,
                response_status=row.response_status,
                duplicate=True,
                error=row.error.removeprefix("unparseable: ") if row.error else None,
            )
            for row in conn.execute(query)
        }

    # -- reading and marking -------------------------------------------------------------

    def get(self, message_id: str) -> StoredMessage | None:
        with self.store.engine.connect() as conn:
            row = conn.execute(select(messages).where(messages.c.id == message_id)).first()
        return _stored(row) if row else None

    def list(
        self,
        *,
        status: str | None = None,
        partner: str | None = None,
        since: datetime | None = None,
        limit: int = 50,
    ) -> list[StoredMessage]:
        query = select(messages).order_by(messages.c.received_at.desc()).limit(limit)
        if status:
            query = query.where(messages.c.status == status)
        if partner:
            query = query.where(messages.c.partner == partner)
        if since:
            query = query.where(messages.c.received_at >= since)
        with self.store.engine.connect() as conn:
            return [_stored(row) for row in conn.execute(query)]

    def counts(self) -> dict[str, int]:
        query = select(messages.c.status, func.count()).group_by(messages.c.status)
        with self.store.engine.connect() as conn:
            return {row[0]: row[1] for row in conn.execute(query)}

    def mark_failed(self, message_id: str, error: str) -> None:
        with self.store.transaction() as conn:
            conn.execute(
                update(messages)
                .where(messages.c.id == message_id)
                .values(status="failed", error=error)
            )


def mark_translated(conn: Connection, message_id: str) -> None:
    conn.execute(
        update(messages).where(messages.c.id == message_id).values(status="translated", error=None)
    )


def _stored(row: Any) -> StoredMessage:
    return StoredMessage(
        id=row.id,
        partner=row.partner,
        dedup_key=row.dedup_key,
        received_at=row.received_at,
        headers=row.headers,
        body=bytes(row.body),
        content_type=row.content_type,
        status=row.status,
        error=row.error,
        response_status=row.response_status,
        correlation_id=row.correlation_id,
        trace_parent=row.trace_parent,
    )
