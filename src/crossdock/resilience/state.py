"""One endpoint's shared state as Python sees it: breaker, token bucket and partner pause."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from sqlalchemy import Row

CLOSED = "closed"
OPEN = "open"
HALF_OPEN = "half_open"


@dataclass
class EndpointState:
    """A `resource_states` row; the transitions in `breaker` and `bucket` change it in place."""

    resource: str
    state: str = CLOSED
    consecutive_failures: int = 0
    window_started_at: datetime | None = None
    window_calls: int = 0
    window_failures: int = 0
    opened_at: datetime | None = None
    retry_at: datetime | None = None
    probe_successes: int = 0
    times_opened: int = 0
    tokens: float | None = None
    tokens_at: datetime | None = None
    paused_until: datetime | None = None
    last_error: str | None = None
    updated_at: datetime | None = None

    @classmethod
    def from_row(cls, row: Row[Any]) -> EndpointState:
        return cls(**{f.name: getattr(row, f.name) for f in fields(cls)})

    def values(self, now: datetime) -> dict[str, Any]:
        self.updated_at = now
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def paused(self, now: datetime) -> bool:
        return self.paused_until is not None and self.paused_until > now

    def degraded(self, now: datetime) -> bool:
        """Calls to this endpoint are held back (breaker not closed, or the partner paused us)."""
        return self.state != CLOSED or self.paused(now)
