"""`crossdock sandbox wms` as its own process: it executes a released order after its delays
and posts the four warehouse webhooks, signed, to the target; the outage switch answers 503."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from crossdock.sandbox.generic_partner import new_secret
from crossdock.security.standard_webhooks import StandardWebhooksVerifier
from tests.support.processes import free_port, start, stop
from tests.support.server import serving


@pytest.mark.slow
async def test_the_command_executes_orders_and_signs_its_webhooks(tmp_path: Path) -> None:
    secret = new_secret()
    verifier = StandardWebhooksVerifier([secret])
    heard: list[str] = []

    async def hook(request: Request) -> Response:
        body = await request.body()
        verifier.verify({k.lower(): v for k, v in request.headers.items()}, body, datetime.now(UTC))
        heard.append(request.path_params["partner"] + ":" + body.decode())
        return Response(status_code=202)

    receiver = Starlette(routes=[Route("/webhooks/{partner}", hook, methods=["POST"])])
    port = free_port()
    async with serving(receiver) as target:
        process = start(
            ["sandbox", "wms", "--port", str(port), "--target", target, "--partner", "dc1",
             "--secret", secret, "--api-key", "k-1", "--delay", "0.05"],
            tmp_path / "wms.log",
        )  # fmt: skip
        try:
            async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as http:
                for _ in range(100):
                    try:
                        await http.get("/orders")
                        break
                    except httpx.TransportError:
                        await asyncio.sleep(0.1)
                order = {
                    "order_ref": "WH/OUT/9",
                    "lines": [{"line_ref": "1", "item": "A", "qty": 2}],
                }
                created = await http.post("/orders", json=order, headers={"X-Api-Key": "k-1"})
                refused = await http.post("/orders", json=order, headers={"X-Api-Key": "nope"})
                for _ in range(100):
                    if len(heard) >= 4:
                        break
                    await asyncio.sleep(0.05)
                await http.post("/sandbox/outage?on=true")
                down = await http.post("/orders", json=order, headers={"X-Api-Key": "k-1"})
        finally:
            stop(process)
    assert created.status_code == 201
    assert refused.status_code == 401
    assert down.status_code == 503
    events = [text.split('"event":"', 1)[1].split('"', 1)[0] for text in heard]
    assert events == ["ORDER_ACK", "PICK_CONFIRMED", "PACKED", "SHIPPED"]
    assert all(text.startswith("dc1:") for text in heard)
