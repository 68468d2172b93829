"""Retry policy as a typed object: attempts, exponential backoff with full jitter, error classes."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import timedelta

from crossdock.errors import PermanentError


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how patiently a job type is retried.

    Backoff is "full jitter" (a uniform draw between zero and the capped exponential), which
    spreads retries of many failed jobs so they do not hit a recovering partner together.
    """

    max_attempts: int = 5
    base_delay: timedelta = timedelta(seconds=1)
    max_delay: timedelta = timedelta(minutes=5)
    jitter: bool = True
    retryable: tuple[type[BaseException], ...] = (Exception,)
    permanent: tuple[type[BaseException], ...] = (PermanentError,)
    rng: random.Random = field(default_factory=random.Random, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        if self.base_delay < timedelta(0) or self.max_delay < self.base_delay:
            raise ValueError("delays must satisfy 0 <= base_delay <= max_delay")

    def is_permanent(self, error: BaseException) -> bool:
        """Permanent errors dead-letter at once; so does anything not listed as retryable."""
        if isinstance(error, self.permanent):
            return True
        return not isinstance(error, self.retryable)

    def delay(self, attempt: int) -> timedelta:
        """The wait before the attempt after `attempt` (1-based) failed."""
        exponent = min(max(attempt - 1, 0), 62)
        ceiling = min(self.max_delay.total_seconds(), self.base_delay.total_seconds() * 2**exponent)
        seconds = self.rng.uniform(0, ceiling) if self.jitter else ceiling
        return timedelta(seconds=seconds)

    def should_retry(self, error: BaseException, attempt: int) -> bool:
        return attempt < self.max_attempts and not self.is_permanent(error)


DEFAULT_POLICY = RetryPolicy()
