"""Canonical events as recorded after translation, each linked to the message it came from."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Connection, func, select

from crossdock.canonical.envelope import Envelope
from crossdock.store.dialect import insert_ignoring_conflicts
from crossdock.store.engine import Store
from crossdock.store.schema import events


def record(
    conn: Connection, envelopes: Sequence[Envelope], message_id: str | None, now: datetime
) -> None:
    if not envelopes:
        return
    # A carrier resends a shipment's whole history with every webhook: events carry ids
    # derived from their content, and one already recorded is not recorded again.
    conn.execute(
        insert_ignoring_conflicts(conn.dialect.name, events, "id"),
        [
            {
                "id": envelope.id,
                "message_id": message_id,
                "type": envelope.type,
                "source": envelope.source,
                "subject": envelope.subject,
                "time": envelope.time,
                "partner": envelope.partner,
                "correlation_id": envelope.correlationid,
                "lane_key": envelope.lanekey,
                "schema_version": envelope.schemaversion,
                "recorded_at": now,
                "envelope": envelope.to_cloudevent(),
            }
            for envelope in envelopes
        ],
    )


def known_ids(store: Store, ids: Sequence[str]) -> set[str]:
    """Which of `ids` are recorded already."""
    if not ids:
        return set()
    with store.engine.connect() as conn:
        return set(conn.execute(select(events.c.id).where(events.c.id.in_(list(ids)))).scalars())


def counts_by_type(store: Store) -> dict[str, int]:
    query = select(events.c.type, func.count()).group_by(events.c.type)
    with store.engine.connect() as conn:
        return {row[0]: row[1] for row in conn.execute(query)}


def for_message(store: Store, message_id: str) -> list[Envelope]:
    query = select(events.c.envelope).where(events.c.message_id == message_id).order_by(events.c.id)
    with store.engine.connect() as conn:
        return [Envelope.from_cloudevent(row.envelope) for row in conn.execute(query)]
