"""Deadlines and in-call retries: a hanging partner costs one total deadline, a refused
connection is tried again only for idempotent requests."""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from crossdock.resilience.timeouts import DeadlineExceeded, send_idempotent, within
from tests.support.server import serving


async def trickle(_request: Request) -> Response:
    await asyncio.sleep(1.5)
    return Response(b"late")


async def test_a_hanging_partner_is_given_up_on_at_the_total_deadline() -> None:
    app = Starlette(routes=[Route("/slow", trickle)])
    async with serving(app) as url, httpx.AsyncClient(timeout=30) as http:
        started = time.perf_counter()
        with pytest.raises(DeadlineExceeded, match=r"took longer than 0\.3 s in total"):
            await within(0.3, http.get(url + "/slow"), "GET /slow")
        assert time.perf_counter() - started < 2


def flaky_transport(calls: list[str]) -> httpx.MockTransport:
    def handle(request: httpx.Request) -> httpx.Response:
        calls.append(request.method)
        if len(calls) == 1:
            raise httpx.ConnectError("connection refused", request=request)
        return httpx.Response(200, json={"ok": True})

    return httpx.MockTransport(handle)


async def test_idempotent_requests_are_tried_again_after_a_connection_failure() -> None:
    calls: list[str] = []
    async with httpx.AsyncClient(transport=flaky_transport(calls)) as http:
        response = await send_idempotent(
            lambda: http.get("http://partner.test/track/1"), "GET", total=5, what="GET"
        )
    assert response.status_code == 200
    assert calls == ["GET", "GET"]


async def test_a_post_is_not_sent_twice_inside_one_call() -> None:
    calls: list[str] = []
    async with httpx.AsyncClient(transport=flaky_transport(calls)) as http:
        with pytest.raises(httpx.ConnectError):
            await send_idempotent(
                lambda: http.post("http://partner.test/orders", json={}), "POST", total=5, what="P"
            )
    assert calls == ["POST"]
