"""The ordering rules for a parcel's milestones, as a pure function.

Carriers resend whole histories, deliver scans late and out of order, and sometimes send a
scan after the parcel was delivered. The *history* keeps everything; the *current*
milestone only moves forward in the carrier's own event time:

- an event older than the current milestone is late: history only;
- at the same instant, the further milestone wins (an "out for delivery" and a "delivered"
  stamped in the same second end as delivered, whichever arrived first);
- delivered is terminal, except for a later return to sender;
- returned to sender is terminal;
- `unknown` (a code no mapping knows) never replaces a known milestone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from crossdock.canonical.milestones import Milestone


class Outcome(StrEnum):
    ADVANCED = "advanced"
    LATE = "late"
    """Older than the current milestone: kept in the history, the status does not move."""
    HELD = "held"
    """Not older, but the rules keep the current milestone (terminal state, unknown code,
    or a lesser milestone at the same instant)."""


# Progress along a parcel's life, used only to break ties between events of the same instant.
_PROGRESS: dict[Milestone, int] = {
    Milestone.UNKNOWN: 0,
    Milestone.CANCELLED: 1,
    Milestone.INFO_RECEIVED: 2,
    Milestone.PICKED_UP: 3,
    Milestone.IN_TRANSIT: 4,
    Milestone.EXCEPTION: 5,
    Milestone.OUT_FOR_DELIVERY: 6,
    Milestone.DELIVERY_ATTEMPTED: 7,
    Milestone.AVAILABLE_FOR_PICKUP: 8,
    Milestone.DELIVERED: 9,
    Milestone.RETURNED_TO_SENDER: 10,
}


@dataclass(frozen=True)
class Current:
    milestone: Milestone
    occurred_at: datetime


def decide(current: Current | None, milestone: Milestone, occurred_at: datetime) -> Outcome:
    """What an incoming milestone does to the parcel's current one."""
    if current is None:
        return Outcome.ADVANCED
    if current.milestone is Milestone.RETURNED_TO_SENDER:
        return Outcome.LATE if occurred_at < current.occurred_at else Outcome.HELD
    if occurred_at < current.occurred_at:
        return Outcome.LATE
    if milestone is Milestone.UNKNOWN and current.milestone is not Milestone.UNKNOWN:
        return Outcome.HELD
    if current.milestone is Milestone.DELIVERED and milestone is not Milestone.RETURNED_TO_SENDER:
        return Outcome.HELD
    if occurred_at == current.occurred_at and _PROGRESS[milestone] <= _PROGRESS[current.milestone]:
        return Outcome.HELD
    return Outcome.ADVANCED


def is_terminal(milestone: Milestone) -> bool:
    """No later scan can move these (but a delivered parcel can still be returned)."""
    return milestone in (Milestone.DELIVERED, Milestone.RETURNED_TO_SENDER)
