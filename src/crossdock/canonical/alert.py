"""Business alerts: a monitor crossed its threshold (raised) or came back under it (resolved).

The payload of ``crossdock.alert.raised.v1`` and ``crossdock.alert.resolved.v1``, sent to the
notification endpoints subscribed to them like any other canonical event.
"""

from __future__ import annotations

from pydantic import Field

from crossdock.canonical.primitives import CanonicalModel, NonEmptyStr, Timestamp


class Alert(CanonicalModel):
    """One monitor's alert, as raised or as resolved."""

    monitor: NonEmptyStr
    """The monitor's name, e.g. ``order_not_released`` (docs/operations.md lists them)."""
    subject: str | None = None
    """What the alert is about when a monitor watches several things, e.g. a partner id."""
    breaches: int = Field(ge=0)
    """How many entities were past the threshold (0 once resolved)."""
    threshold_seconds: int = Field(ge=0)
    oldest_age_seconds: int | None = Field(default=None, ge=0)
    """How long the oldest of them had been waiting."""
    sample: list[str] = Field(default_factory=list)
    """A few of the entities concerned (order numbers, pickings, tracking numbers)."""
    summary: NonEmptyStr
    """One line for a human: what is wrong, or that it cleared."""
    raised_at: Timestamp
    resolved_at: Timestamp | None = None
