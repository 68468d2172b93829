"""Breaker, token bucket and policy lookup as pure functions, on a clock the test moves."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from pydantic import ValidationError

from crossdock.resilience import breaker, bucket
from crossdock.resilience.settings import (
    BreakerSettings,
    RateLimit,
    ResilienceConfig,
    ResourceSettings,
)
from crossdock.resilience.state import CLOSED, HALF_OPEN, OPEN, EndpointState

NOW = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
SETTINGS = BreakerSettings(
    consecutive_failures=3,
    failure_rate=0.5,
    min_calls=10,
    window=timedelta(seconds=60),
    cool_down=timedelta(seconds=30),
    successes_to_close=2,
)


def test_failures_in_a_row_open_the_breaker_and_a_success_resets_the_streak() -> None:
    state = EndpointState("odoo:erp")
    breaker.record_failure(state, SETTINGS, NOW, "down")
    breaker.record_failure(state, SETTINGS, NOW, "down")
    breaker.record_success(state, SETTINGS, NOW)
    breaker.record_failure(state, SETTINGS, NOW, "down")
    breaker.record_failure(state, SETTINGS, NOW, "down")
    assert state.state == CLOSED
    breaker.record_failure(state, SETTINGS, NOW, "still down")
    assert state.state == OPEN
    assert state.retry_at == NOW + SETTINGS.cool_down
    assert state.times_opened == 1
    assert state.last_error == "still down"


def test_a_failure_rate_over_the_window_opens_it_once_enough_calls_were_made() -> None:
    state = EndpointState("notify:1")
    for index in range(10):
        if index % 2:
            breaker.record_failure(state, SETTINGS, NOW, "500")
        else:
            breaker.record_success(state, SETTINGS, NOW)
    assert state.state == OPEN, "5 of 10 calls failed: the rate reached 0.5"


def test_the_window_rolls_over_so_old_failures_are_forgotten() -> None:
    state = EndpointState("notify:1")
    for _ in range(4):
        breaker.record_success(state, SETTINGS, NOW)
        breaker.record_failure(state, SETTINGS, NOW, "500")
    later = NOW + timedelta(seconds=61)
    breaker.record_success(state, SETTINGS, later)
    breaker.record_failure(state, SETTINGS, later, "500")
    assert state.state == CLOSED
    assert (state.window_calls, state.window_failures) == (2, 1)


def test_half_open_after_the_cool_down_then_probes_close_or_reopen() -> None:
    state = EndpointState("odoo:erp")
    for _ in range(3):
        breaker.record_failure(state, SETTINGS, NOW, "down")
    assert not breaker.try_half_open(state, NOW + timedelta(seconds=29))
    assert state.state == OPEN
    assert breaker.try_half_open(state, NOW + timedelta(seconds=30))
    assert state.state == HALF_OPEN
    breaker.record_failure(state, SETTINGS, NOW + timedelta(seconds=31), "still down")
    assert state.state == OPEN
    assert state.retry_at == NOW + timedelta(seconds=61)
    assert breaker.try_half_open(state, NOW + timedelta(seconds=61))
    breaker.record_success(state, SETTINGS, NOW + timedelta(seconds=62))
    assert state.state == HALF_OPEN, "two probe successes are asked for"
    breaker.record_success(state, SETTINGS, NOW + timedelta(seconds=62))
    assert state.state == CLOSED
    assert state.consecutive_failures == 0
    assert state.times_opened == 2


def test_token_bucket_gives_the_burst_then_the_rate() -> None:
    rate = RateLimit(per_second=2, burst=3)
    state = EndpointState("carrier:easypost")
    assert [bucket.take(state, rate, NOW) for _ in range(3)] == [None, None, None]
    assert bucket.take(state, rate, NOW) == NOW + timedelta(seconds=0.5)
    assert not bucket.has_token(state, rate, NOW + timedelta(seconds=0.4))
    assert bucket.take(state, rate, NOW + timedelta(seconds=0.5)) is None
    # A long quiet spell refills to the burst, not beyond.
    later = NOW + timedelta(hours=1)
    assert [bucket.take(state, rate, later) for _ in range(4)][:3] == [None, None, None]
    assert state.tokens is not None and state.tokens < 1


def test_per_minute_rates_and_rate_validation() -> None:
    assert RateLimit(per_minute=120).tokens_per_second == 2
    with pytest.raises(ValidationError, match="exactly one of per_second or per_minute"):
        RateLimit(per_second=1, per_minute=60)
    with pytest.raises(ValidationError, match="exactly one of per_second or per_minute"):
        RateLimit(burst=3)


def test_policy_lookup_exact_key_then_patterns_then_defaults() -> None:
    config = ResilienceConfig.model_validate(
        {
            "defaults": {"concurrency": 8, "breaker": {"consecutive_failures": 7}},
            "resources": {
                "notify:*": {"concurrency": 2},
                "notify:9": {"rate": {"per_second": 1, "burst": 1}},
                "odoo:erp": {"breaker": {"cool_down": "PT5S"}},
            },
        }
    )
    assert config.policy("notify:3").concurrency == 2
    assert config.policy("notify:9").concurrency == 8, "the exact key wins; defaults fill it in"
    assert config.policy("notify:9").rate == RateLimit(per_second=1, burst=1)
    assert config.policy("odoo:erp").breaker.cool_down == timedelta(seconds=5)
    assert config.policy("carrier:x").breaker.consecutive_failures == 7
    assert config.policy("carrier:x").rate is None
    assert ResourceSettings().breaker is None
