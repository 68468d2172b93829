"""Alerts about sent interchanges: logged, and recorded and routed as canonical events in the
transaction that notices the problem, so subscribed endpoints hear of it (notifications)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import structlog
from sqlalchemy import Connection

from crossdock.canonical.envelope import Envelope
from crossdock.canonical.event_types import (
    INTERCHANGE_ACKNOWLEDGEMENT_OVERDUE_V1,
    INTERCHANGE_REJECTED_V1,
)
from crossdock.canonical.interchange import InterchangeAlert, InterchangeProblem
from crossdock.canonical.registry import build_event
from crossdock.connectors.edi.partner.bookkeeping import Interchange
from crossdock.ids import derived_id
from crossdock.pipeline.route import Router
from crossdock.store import events
from crossdock.store.inbox import Inbox

log = structlog.get_logger("crossdock.edi")

EVENT_TYPES = {
    InterchangeProblem.ACKNOWLEDGEMENT_OVERDUE: INTERCHANGE_ACKNOWLEDGEMENT_OVERDUE_V1,
    InterchangeProblem.REJECTED: INTERCHANGE_REJECTED_V1,
}


def alert_event(
    sent: Interchange, problem: InterchangeProblem, details: Sequence[str], now: datetime
) -> Envelope:
    alert = InterchangeAlert(
        partner=sent.partner,
        standard=sent.standard,
        control_number=sent.control_number,
        document=sent.document,
        problem=problem,
        sent_at=sent.created_at,
        due_at=sent.ack_due_at,
        details=list(details),
    )
    event_type = EVENT_TYPES[problem]
    return build_event(
        event_type,
        alert,
        source=f"/edi/{sent.partner}",
        subject=sent.document or sent.control_number,
        partner=sent.partner,
        lanekey=f"edi:{sent.partner}",
        # One alert per interchange and problem, however often the check runs.
        event_id=derived_id(event_type, sent.partner, sent.control_number),
        time=now,
    )


def raise_alerts(
    conn: Connection, inbox: Inbox, router: Router, alerts: Sequence[Envelope], now: datetime
) -> None:
    """Record and route the alerts inside the caller's transaction."""
    if not alerts:
        return
    events.record(conn, alerts, None, now)
    specs = [spec for alert in alerts for spec in router.route(alert, None)]
    inbox.store.lock_lanes(conn, (spec.lane_key for spec in specs))
    inbox.queue.enqueue_in(conn, specs, now)
    for alert in alerts:
        log.warning(
            "interchange alert",
            type=alert.type,
            partner=alert.partner,
            control_number=alert.data["control_number"],
            document=alert.data.get("document"),
            details=alert.data.get("details"),
        )
