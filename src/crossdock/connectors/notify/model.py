"""What a subscription and a delivery-log entry are, as the rest of the connector sees them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

Source = Literal["config", "api"]
Status = Literal["active", "disabled"]
Outcome = Literal["delivered", "failed", "disabled", "dropped"]

ACTIVE: Status = "active"
DISABLED: Status = "disabled"


@dataclass(frozen=True)
class Filters:
    """Empty lists mean "any"; a non-empty list must contain the event's value."""

    partners: tuple[str, ...] = ()
    customers: tuple[str, ...] = ()
    milestones: tuple[str, ...] = ()

    @classmethod
    def from_json(cls, value: dict[str, Any] | None) -> Filters:
        value = value or {}
        return cls(
            partners=tuple(value.get("partners") or ()),
            customers=tuple(value.get("customers") or ()),
            milestones=tuple(value.get("milestones") or ()),
        )

    def to_json(self) -> dict[str, list[str]]:
        return {
            "partners": list(self.partners),
            "customers": list(self.customers),
            "milestones": list(self.milestones),
        }


@dataclass(frozen=True)
class Subscription:
    id: int
    name: str
    url: str
    event_types: tuple[str, ...]
    filters: Filters
    # A secret reference for config rows, the signing secret itself for API rows.
    secret: str
    source: Source
    status: Status
    failure_streak: int
    created_at: datetime
    updated_at: datetime
    disabled_reason: str | None = None
    disabled_at: datetime | None = None

    @property
    def active(self) -> bool:
        return self.status == ACTIVE

    def public(self) -> dict[str, Any]:
        """The subscription as the API and CLI show it: never its secret."""
        return {
            "id": self.id,
            "name": self.name,
            "url": self.url,
            "event_types": list(self.event_types),
            "filters": self.filters.to_json(),
            "source": self.source,
            "status": self.status,
            "failure_streak": self.failure_streak,
            "disabled_reason": self.disabled_reason,
            "disabled_at": self.disabled_at.isoformat() if self.disabled_at else None,
            "created_at": self.created_at.isoformat(),
            "updated_at": self.updated_at.isoformat(),
        }


@dataclass(frozen=True)
class Delivery:
    """One row of an endpoint's delivery log."""

    id: int
    subscription_id: int
    event_id: str
    event_type: str
    attempt: int
    at: datetime
    outcome: Outcome
    status_code: int | None = None
    error: str | None = None
    duration_ms: int | None = None

    def public(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "subscription_id": self.subscription_id,
            "event_id": self.event_id,
            "event_type": self.event_type,
            "attempt": self.attempt,
            "at": self.at.isoformat(),
            "outcome": self.outcome,
            "status_code": self.status_code,
            "error": self.error,
            "duration_ms": self.duration_ms,
        }


@dataclass(frozen=True)
class Attempt:
    """What one delivery attempt came to, before it is written to the log."""

    outcome: Outcome
    status_code: int | None = None
    error: str | None = None
    duration_ms: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)
