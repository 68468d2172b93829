"""One error hierarchy that separates what is worth retrying from what never will succeed."""

from __future__ import annotations


class CrossdockError(Exception):
    """Base of every error Crossdock raises on purpose."""


class RetryableError(CrossdockError):
    """A failure that may succeed later: timeouts, outages, locks, throttling.

    `retry_after` (seconds), when the partner said how long to wait (HTTP Retry-After), is
    the least delay before the next attempt, whatever the backoff policy would choose.
    """

    retry_after: float | None = None


class PermanentError(CrossdockError):
    """A failure that will fail again the same way: bad data, missing records, no access."""


class MappingError(PermanentError):
    """A partner payload that cannot be turned into canonical events.

    `place` names where in the payload the problem is (a JSON path such as `data.lines[2].sku`).
    """

    def __init__(self, detail: str, place: str = "") -> None:
        self.detail = detail
        self.place = place
        super().__init__(f"{place}: {detail}" if place else detail)


class ConfigError(CrossdockError):
    """The configuration file or a secret reference is wrong."""
