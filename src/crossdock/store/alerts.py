"""Rows of `monitor_alerts`: each business monitor's latest reading and whether it is firing."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select

from crossdock.store.dialect import upsert
from crossdock.store.schema import monitor_alerts

FIRING = "firing"
OK = "ok"


@dataclass(frozen=True)
class AlertRow:
    """One monitor (or one monitor for one subject, e.g. one partner) as last evaluated."""

    key: str
    monitor: str
    state: str
    value: int
    threshold_seconds: int
    evaluated_at: datetime
    subject: str | None = None
    oldest_age_seconds: int | None = None
    details: dict[str, Any] = field(default_factory=dict)
    raised_at: datetime | None = None
    resolved_at: datetime | None = None


def all_rows(conn: Connection) -> dict[str, AlertRow]:
    rows = conn.execute(select(monitor_alerts).order_by(monitor_alerts.c.key))
    return {row.key: AlertRow(**row._asdict()) for row in rows}


def firing(conn: Connection) -> list[AlertRow]:
    query = (
        select(monitor_alerts)
        .where(monitor_alerts.c.state == FIRING)
        .order_by(monitor_alerts.c.raised_at, monitor_alerts.c.key)
    )
    return [AlertRow(**row._asdict()) for row in conn.execute(query)]


def save(conn: Connection, row: AlertRow) -> None:
    conn.execute(upsert(conn.dialect.name, monitor_alerts, ["key"], asdict(row)))
