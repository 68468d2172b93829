"""The polling side of `shipment_tracking`: which shipments are due, and recording a poll.

The rows themselves are written by the tracking store from milestone events; the contract
this module relies on is `next_poll_at`: NULL means nothing to poll (delivered, returned,
given up), a row is due when `next_poll_at <= now`, and hearing a webhook pushes it forward.
Every statement here keeps to that contract so a webhook heard during a poll always wins:
a poll never revives a row that was closed meanwhile, nor pulls a pushed-forward row back.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, case, literal, select, update

from crossdock.store.schema import shipment_tracking
from crossdock.store.types import UTCDateTime

_t = shipment_tracking.c


@dataclass(frozen=True)
class DueShipment:
    tracking_number: str
    carrier_code: str
    next_poll_at: datetime
    registered_at: datetime
    polls: int


def due_for_poll(
    conn: Connection,
    carrier_codes: Sequence[str],
    now: datetime,
    registered_after: datetime,
    limit: int,
) -> list[DueShipment]:
    """Rows of these carriers due at `now`, most overdue first, at most `limit`.

    The filter and order match the index (carrier_code, next_poll_at), so finding the few
    due rows among millions of delivered ones reads only the due part of each carrier's
    range. Rows registered at or before `registered_after` are past their polling age.
    """
    if not carrier_codes or limit <= 0:
        return []
    query = (
        select(_t.tracking_number, _t.carrier_code, _t.next_poll_at, _t.registered_at, _t.polls)
        .where(
            _t.carrier_code.in_(sorted(set(carrier_codes))),
            _t.next_poll_at.is_not(None),
            _t.next_poll_at <= now,
            _t.registered_at > registered_after,
        )
        .order_by(_t.next_poll_at, _t.tracking_number)
        .limit(limit)
    )
    return [
        DueShipment(
            tracking_number=row.tracking_number,
            carrier_code=row.carrier_code,
            next_poll_at=row.next_poll_at,
            registered_at=row.registered_at,
            polls=row.polls,
        )
        for row in conn.execute(query)
    ]


def mark_polled(
    conn: Connection, tracking_numbers: Sequence[str], now: datetime, next_poll_at: datetime
) -> int:
    """Count a poll of each row and schedule its next one; returns how many rows changed.

    A row closed meanwhile (next_poll_at NULL) stays closed, and a row a webhook pushed
    past `next_poll_at` keeps the later time: what was heard is fresher than what was polled.
    """
    if not tracking_numbers:
        return 0
    later = literal(next_poll_at, UTCDateTime())
    statement = (
        update(shipment_tracking)
        .where(_t.tracking_number.in_(sorted(set(tracking_numbers))), _t.next_poll_at.is_not(None))
        .values(
            next_poll_at=case((_t.next_poll_at < later, later), else_=_t.next_poll_at),
            polls=_t.polls + 1,
            updated_at=now,
        )
    )
    return conn.execute(statement).rowcount


def give_up_older_than(
    conn: Connection, carrier_codes: Sequence[str], registered_before: datetime, now: datetime
) -> int:
    """Stop polling rows of these carriers registered at or before `registered_before`
    (past the partner's max age) that are still open; returns how many were given up."""
    if not carrier_codes:
        return 0
    statement = (
        update(shipment_tracking)
        .where(
            _t.carrier_code.in_(sorted(set(carrier_codes))),
            _t.next_poll_at.is_not(None),
            _t.registered_at <= registered_before,
        )
        .values(next_poll_at=None, updated_at=now)
    )
    return conn.execute(statement).rowcount
