"""Token bucket arithmetic, pure: refill by elapsed time, take one token per call."""

from __future__ import annotations

from datetime import datetime, timedelta

from crossdock.resilience.settings import RateLimit
from crossdock.resilience.state import EndpointState


def refill(state: EndpointState, rate: RateLimit, now: datetime) -> float:
    """Tokens available now; a bucket seen for the first time starts full."""
    if state.tokens is None or state.tokens_at is None:
        tokens = float(rate.burst)
    else:
        elapsed = max((now - state.tokens_at).total_seconds(), 0.0)
        tokens = min(float(rate.burst), state.tokens + elapsed * rate.tokens_per_second)
    state.tokens = tokens
    state.tokens_at = now
    return tokens


def take(state: EndpointState, rate: RateLimit, now: datetime) -> datetime | None:
    """Take a token: None when taken, else the moment the next token will be there."""
    tokens = refill(state, rate, now)
    if tokens >= 1.0:
        state.tokens = tokens - 1.0
        return None
    wait = (1.0 - tokens) / rate.tokens_per_second
    return now + timedelta(seconds=wait)


def has_token(state: EndpointState, rate: RateLimit, now: datetime) -> bool:
    """Whether a call could be admitted now, without taking anything (for the fetch filter)."""
    if state.tokens is None or state.tokens_at is None:
        return True
    elapsed = max((now - state.tokens_at).total_seconds(), 0.0)
    return state.tokens + elapsed * rate.tokens_per_second >= 1.0
