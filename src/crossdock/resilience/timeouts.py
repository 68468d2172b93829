"""Deadlines for outbound calls: httpx's timeouts are per phase (connect, each read), so a
partner that trickles bytes can hold a call for ever; `within` adds the total deadline.

`send_idempotent` retries a request inside the call only when sending it twice is harmless
(GET, HEAD, OPTIONS, PUT, DELETE), and only on failures where the partner may never have
seen it; a POST is retried by its job, whose idempotency key the partner can deduplicate.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

import httpx

T = TypeVar("T")

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
# Failures after which a second try is worth it within the same deadline.
RETRY_IN_CALL = (httpx.ConnectError, httpx.ConnectTimeout, httpx.RemoteProtocolError)


class DeadlineExceeded(httpx.TimeoutException):
    """The whole call took longer than its total deadline (an httpx timeout, for callers)."""


def phase_timeouts(total: float, connect: float | None = None) -> httpx.Timeout:
    """Connect bounded separately (a dead host is known fast), every other phase by the total."""
    return httpx.Timeout(total, connect=min(connect if connect is not None else total, total))


async def within(total: float, call: Awaitable[T], what: str) -> T:
    """Await `call`, raising `DeadlineExceeded` when it takes longer than `total` seconds."""
    try:
        async with asyncio.timeout(total):
            return await call
    except TimeoutError:
        raise DeadlineExceeded(f"{what} took longer than {total:g} s in total") from None


async def send_idempotent(
    send: Callable[[], Awaitable[httpx.Response]],
    method: str,
    *,
    total: float,
    what: str,
    tries: int = 2,
) -> httpx.Response:
    """`send()` under one total deadline, tried again on a connection failure when `method`
    is idempotent."""
    attempts = tries if method.upper() in IDEMPOTENT_METHODS else 1

    async def attempt_all() -> httpx.Response:
        for remaining in range(attempts - 1, -1, -1):
            try:
                return await send()
            except RETRY_IN_CALL:
                if remaining == 0:
                    raise
        raise AssertionError("unreachable")  # pragma: no cover

    return await within(total, attempt_all(), what)
