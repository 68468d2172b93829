"""Circuit breaker transitions, pure: a failure streak or rate opens it, probes close it.

closed ──(failures in a row, or failure rate over the window)──► open
open ──(cool-down passed; the next fetch lets probes through)──► half_open
half_open ──(probes succeed)──► closed;  half_open ──(a probe fails)──► open again
"""

from __future__ import annotations

from datetime import datetime

from crossdock.resilience.settings import BreakerSettings
from crossdock.resilience.state import CLOSED, HALF_OPEN, OPEN, EndpointState


def _roll_window(state: EndpointState, settings: BreakerSettings, now: datetime) -> None:
    started = state.window_started_at
    if started is None or now - started >= settings.window:
        state.window_started_at = now
        state.window_calls = 0
        state.window_failures = 0


def _open(state: EndpointState, settings: BreakerSettings, now: datetime) -> None:
    if state.state != OPEN:
        state.times_opened += 1
    state.state = OPEN
    state.opened_at = now
    state.retry_at = now + settings.cool_down
    state.probe_successes = 0


def _close(state: EndpointState, now: datetime) -> None:
    state.state = CLOSED
    state.consecutive_failures = 0
    state.retry_at = None
    state.probe_successes = 0
    state.window_started_at = now
    state.window_calls = 0
    state.window_failures = 0


def record_success(state: EndpointState, settings: BreakerSettings, now: datetime) -> None:
    state.consecutive_failures = 0
    if state.state == HALF_OPEN:
        state.probe_successes += 1
        if state.probe_successes >= settings.successes_to_close:
            _close(state, now)
        return
    if state.state == CLOSED:
        _roll_window(state, settings, now)
        state.window_calls += 1
    # A call that started before the breaker opened and succeeds late proves little: the
    # breaker stays open until its probes say otherwise.


def record_failure(
    state: EndpointState, settings: BreakerSettings, now: datetime, error: str
) -> None:
    state.last_error = error[:2000]
    state.consecutive_failures += 1
    if not settings.enabled:
        return
    if state.state == HALF_OPEN:
        _open(state, settings, now)
        return
    if state.state == OPEN:
        return
    _roll_window(state, settings, now)
    state.window_calls += 1
    state.window_failures += 1
    streak = state.consecutive_failures >= settings.consecutive_failures
    rate = (
        state.window_calls >= settings.min_calls
        and state.window_failures / state.window_calls >= settings.failure_rate
    )
    if streak or rate:
        _open(state, settings, now)


def try_half_open(state: EndpointState, now: datetime) -> bool:
    """Open and cooled down: let probes through. Returns whether calls may be tried at all."""
    if state.state == OPEN:
        if state.retry_at is not None and state.retry_at > now:
            return False
        state.state = HALF_OPEN
        state.probe_successes = 0
    return True
