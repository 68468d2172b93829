"""Milestone events for tests: one carrier scan of one parcel, on the parcel's lane."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from crossdock.canonical.envelope import Envelope
from crossdock.canonical.event_types import SHIPMENT_MILESTONE_RECORDED_V1
from crossdock.canonical.milestones import TrackingMilestone
from crossdock.canonical.registry import build_event
from crossdock.ids import derived_id


def scan(tracking: str, step: str, start: datetime, hours: float, **extra: Any) -> Envelope:
    """`step` (a milestone) `hours` after `start`; the id derives from all three, so the same
    scan sent twice is the same event."""
    data = TrackingMilestone(
        tracking_number=tracking,
        carrier_code="ups",
        milestone=step,  # type: ignore[arg-type]
        occurred_at=start + timedelta(hours=hours),
        raw_code=step.upper(),
        raw_text=f"Carrier text for {step}",
        **extra,
    )
    return build_event(
        SHIPMENT_MILESTONE_RECORDED_V1,
        data,
        source="/carriers/test",
        subject=tracking,
        partner="carrier",
        lanekey=f"shipment:{tracking}",
        event_id=derived_id("test-scan", tracking, step, str(hours)),
        time=data.occurred_at,
    )
