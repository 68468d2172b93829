"""What an endpoint's answer means for the delivery: done, retry (and when), give up, disable.

Pure, so every rule is tested without a network:

- 2xx: delivered; the failure streak starts again at zero.
- 410 Gone: the receiver says the endpoint is gone for good; disable the subscription now.
- 408, 409, 425, 429, 5xx, timeouts and connection errors: retry with the backoff, waiting
  at least Retry-After (seconds or an HTTP date) when the answer carries one.
- other 3xx and 4xx: permanent (redirects are not followed; fix the URL or the receiver).
- every failure but 429 grows the failure streak: throttling means the endpoint is alive.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Literal

RETRYABLE_4XX = frozenset({408, 409, 425, 429})

Kind = Literal["delivered", "retry", "permanent", "gone"]


@dataclass(frozen=True)
class Verdict:
    kind: Kind
    error: str | None = None
    retry_after: float | None = None
    counts_toward_streak: bool = True


def parse_retry_after(value: str | None, now: datetime, cap: timedelta) -> float | None:
    """Seconds to wait from a Retry-After header (delay-seconds or HTTP-date), capped."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        seconds = float(value)
    else:
        try:
            moment = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if moment.tzinfo is None:
            return None
        seconds = (moment - now).total_seconds()
    return min(max(seconds, 0.0), cap.total_seconds())


def classify(status: int, headers: Mapping[str, str], now: datetime, cap: timedelta) -> Verdict:
    if 200 <= status < 300:
        return Verdict("delivered", counts_toward_streak=False)
    error = f"HTTP {status}"
    if status == 410:
        return Verdict("gone", error=f"{error}: the endpoint says it is gone")
    if status >= 500 or status in RETRYABLE_4XX:
        return Verdict(
            "retry",
            error=error,
            retry_after=parse_retry_after(headers.get("retry-after"), now, cap),
            counts_toward_streak=status != 429,
        )
    if 300 <= status < 400:
        error += " (redirects are not followed: point the subscription at the final URL)"
    return Verdict("permanent", error=error)


def transport_failure(exc: Exception) -> Verdict:
    """No HTTP answer at all: a timeout, a refused or reset connection, a DNS failure."""
    return Verdict(
        "retry", error=f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    )
