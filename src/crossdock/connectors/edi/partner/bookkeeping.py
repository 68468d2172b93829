"""The interchange book: what was received (and answered) and what was sent (and whether the
partner acknowledged it). One table, `edi_interchanges`; these are its only queries."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, select, update

from crossdock.store.dialect import insert_ignoring_conflicts
from crossdock.store.schema import edi_interchanges as table

INBOUND, OUTBOUND = "in", "out"


@dataclass(frozen=True)
class Interchange:
    id: int
    partner: str
    direction: str
    standard: str
    sender: str
    receiver: str
    control_number: str
    document: str | None
    message_id: str | None
    file_name: str | None
    created_at: datetime
    ack_status: str
    ack_due_at: datetime | None
    ack_received_at: datetime | None
    ack_detail: Any
    reply_file: str | None
    reply_body: bytes | None

    @classmethod
    def from_row(cls, row: Any) -> Interchange:
        values = dict(row._mapping)
        if values["reply_body"] is not None:
            values["reply_body"] = bytes(values["reply_body"])
        return cls(**values)


def record(conn: Connection, **values: Any) -> None:
    """Insert a row; the same interchange recorded twice stays one row."""
    conn.execute(
        insert_ignoring_conflicts(
            conn.dialect.name, table, "partner", "direction", "sender", "control_number"
        ),
        [values],
    )


def inbound(conn: Connection, partner: str, sender: str, control: str) -> Interchange | None:
    row = conn.execute(
        select(table).where(
            table.c.partner == partner,
            table.c.direction == INBOUND,
            table.c.sender == sender,
            table.c.control_number == control,
        )
    ).first()
    return Interchange.from_row(row) if row else None


def sent_document(conn: Connection, partner: str, document: str) -> Interchange | None:
    """The interchange already sent for a document (`850 P00042`), for an idempotent resend."""
    row = conn.execute(
        select(table)
        .where(
            table.c.partner == partner,
            table.c.direction == OUTBOUND,
            table.c.document == document,
        )
        .order_by(table.c.id)
        .limit(1)
    ).first()
    return Interchange.from_row(row) if row else None


def next_control_number(conn: Connection, partner: str, sender: str) -> int:
    """One more than the highest control number sent from `sender` to this partner.

    Numbers are stored zero-padded to nine digits, so the string maximum is the numeric
    one. Sends to one partner run on one lane, so two never pick the same number.
    """
    highest = conn.execute(
        select(func.max(table.c.control_number)).where(
            table.c.partner == partner,
            table.c.direction == OUTBOUND,
            table.c.sender == sender,
        )
    ).scalar()
    return int(highest) + 1 if highest else 1


def acknowledge(
    conn: Connection,
    partner: str,
    control_numbers: Sequence[str],
    status: str,
    detail: Any,
    now: datetime,
) -> list[Interchange]:
    """Mark sent interchanges acknowledged (accepted or rejected); returns those it moved.

    An acknowledgement for an interchange already answered (a repeated 997) changes nothing.
    """
    wanted = [number.zfill(9) for number in control_numbers]
    rows = conn.execute(
        select(table).where(
            table.c.partner == partner,
            table.c.direction == OUTBOUND,
            table.c.control_number.in_(wanted),
            table.c.ack_status.in_(("pending", "overdue")),
        )
    ).all()
    if not rows:
        return []
    conn.execute(
        update(table)
        .where(table.c.id.in_([row.id for row in rows]))
        .values(ack_status=status, ack_detail=detail, ack_received_at=now)
    )
    return [Interchange.from_row(row) for row in rows]


def overdue(conn: Connection, partner: str, now: datetime) -> list[Interchange]:
    rows = conn.execute(
        select(table)
        .where(
            table.c.partner == partner,
            table.c.direction == OUTBOUND,
            table.c.ack_status == "pending",
            table.c.ack_due_at <= now,
        )
        .order_by(table.c.id)
    ).all()
    return [Interchange.from_row(row) for row in rows]


def mark_overdue(conn: Connection, ids: Sequence[int]) -> None:
    if ids:
        conn.execute(
            update(table)
            .where(table.c.id.in_(list(ids)), table.c.ack_status == "pending")
            .values(ack_status="overdue")
        )


def for_partner(conn: Connection, partner: str) -> list[Interchange]:
    rows = conn.execute(select(table).where(table.c.partner == partner).order_by(table.c.id)).all()
    return [Interchange.from_row(row) for row in rows]
