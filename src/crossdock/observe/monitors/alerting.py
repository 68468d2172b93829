"""Turn readings into alert state: raise when a monitor starts breaching, resolve when it stops.

Only a change of state makes an alert event (and a log line); a monitor that stays in breach
over many evaluations raised its alert once, and resolves it once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from crossdock.canonical.alert import Alert
from crossdock.canonical.envelope import Envelope
from crossdock.canonical.event_types import ALERT_RAISED_V1, ALERT_RESOLVED_V1
from crossdock.canonical.registry import build_event
from crossdock.ids import derived_id
from crossdock.observe.monitors.readings import Reading
from crossdock.store.alerts import FIRING, OK, AlertRow

SOURCE = "/crossdock/monitors"


@dataclass(frozen=True)
class Decision:
    rows: list[AlertRow]
    alerts: list[Envelope]


def _event(row: AlertRow, summary: str) -> Envelope:
    raised = row.state == FIRING
    event_type = ALERT_RAISED_V1 if raised else ALERT_RESOLVED_V1
    assert row.raised_at is not None
    alert = Alert(
        monitor=row.monitor,
        subject=row.subject,
        breaches=row.value,
        threshold_seconds=row.threshold_seconds,
        oldest_age_seconds=row.oldest_age_seconds,
        sample=list(row.details.get("sample", [])),
        summary=summary,
        raised_at=row.raised_at,
        resolved_at=None if raised else row.resolved_at,
    )
    return build_event(
        event_type,
        alert,
        source=SOURCE,
        subject=row.key,
        lanekey=f"alert:{row.key}",
        # One event per raise and per resolution: a replayed evaluation makes the same id.
        event_id=derived_id(event_type, row.key, row.raised_at.isoformat()),
        time=row.resolved_at if not raised and row.resolved_at else row.raised_at,
    )


def decide(
    readings: Sequence[Reading], previous: Mapping[str, AlertRow], now: datetime
) -> Decision:
    rows: list[AlertRow] = []
    alerts: list[Envelope] = []
    seen: set[str] = set()
    for reading in readings:
        seen.add(reading.key)
        before = previous.get(reading.key)
        was_firing = before is not None and before.state == FIRING
        firing = reading.breaches > 0
        raised_at = before.raised_at if before else None
        resolved_at = before.resolved_at if before else None
        if firing and not was_firing:
            raised_at, resolved_at = now, None
        elif was_firing and not firing:
            resolved_at = now
        row = AlertRow(
            key=reading.key,
            monitor=reading.monitor,
            subject=reading.subject,
            state=FIRING if firing else OK,
            value=reading.breaches,
            oldest_age_seconds=reading.oldest_age_seconds,
            threshold_seconds=int(reading.threshold.total_seconds()),
            details={"sample": reading.sample, "summary": reading.summary},
            raised_at=raised_at,
            resolved_at=resolved_at,
            evaluated_at=now,
        )
        rows.append(row)
        if firing != was_firing:
            alerts.append(_event(row, reading.summary))
    for key, before in previous.items():
        # A monitor switched off (or a partner no longer watched) while firing resolves.
        if key not in seen and before.state == FIRING:
            row = replace(before, state=OK, value=0, resolved_at=now, evaluated_at=now)
            rows.append(row)
            alerts.append(_event(row, f"{before.monitor} is no longer monitored"))
    return Decision(rows=rows, alerts=alerts)
