"""What a failed call says about the partner: down (breaker), throttling (pause), or nothing."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from crossdock.errors import RetryableError


class Outcome(StrEnum):
    FAILURE = "failure"  # the partner failed or did not answer: counts toward the breaker
    THROTTLED = "throttled"  # the partner said when to come back (429/503 + Retry-After)
    NEUTRAL = "neutral"  # not the partner's doing (bad data, Crossdock's own error)


@dataclass(frozen=True)
class CallResult:
    outcome: Outcome
    error: str = ""
    retry_after: float | None = None


def classify(exc: BaseException) -> CallResult:
    """Only retryable errors speak about the partner's health; a permanent error means the
    partner answered (and refused this one request), so it neither opens nor closes anything."""
    error = f"{type(exc).__name__}: {exc}"
    if isinstance(exc, RetryableError):
        if exc.retry_after:
            return CallResult(Outcome.THROTTLED, error, exc.retry_after)
        return CallResult(Outcome.FAILURE, error)
    return CallResult(Outcome.NEUTRAL, error)
