"""A plugin for the dead-letter tests: job types that fail on purpose.

Configure it with `plugins: ["tests.support.dlq_plugin:register"]`.
"""

from __future__ import annotations

import os
from datetime import timedelta

from crossdock.errors import PermanentError, RetryableError
from crossdock.pipeline.registry import JobContext, JobRegistry
from crossdock.pipeline.retry import RetryPolicy
from crossdock.pipeline.route import Router

PLUGIN = "tests.support.dlq_plugin:register"

# Fails for good until the "fix" is deployed, i.e. until FIXED_ENV is "1".
NEEDS_FIX = "test.needs_fix"
# Fails with a retryable error every time; gives up after three attempts, without waiting.
ALWAYS_RETRYABLE = "test.always_retryable"
# Always succeeds.
SUCCEEDS = "test.succeeds"

FIXED_ENV = "CROSSDOCK_TEST_DLQ_FIXED"
THREE_QUICK_ATTEMPTS = RetryPolicy(
    max_attempts=3, base_delay=timedelta(0), max_delay=timedelta(0), jitter=False
)


async def needs_fix(ctx: JobContext) -> None:
    if os.environ.get(FIXED_ENV) != "1":
        raise PermanentError(f"order {ctx.payload.get('order')} has no customer")


async def always_retryable(ctx: JobContext) -> None:
    raise RetryableError(f"partner API timed out (attempt {ctx.job.attempts})")


async def succeeds(ctx: JobContext) -> None:
    return None


def register(registry: JobRegistry, router: Router) -> None:
    registry.register(NEEDS_FIX, needs_fix)
    registry.register(ALWAYS_RETRYABLE, always_retryable, THREE_QUICK_ATTEMPTS)
    registry.register(SUCCEEDS, succeeds)
