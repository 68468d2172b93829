"""A partner's HTTP endpoint with fault switches, standing for a WMS that receives Crossdock's
signed notifications: it fails, throttles or hangs on demand, and keeps what it applied.

It applies each delivery once per `webhook-id` (the idempotency key Crossdock sends; a
retried delivery keeps its id), as a careful receiver does, and counts what came twice, so a
fault run can prove nothing was lost and nothing applied twice.

Run: `python -m crossdock.sandbox.partner_endpoint --port 8095 --secret-file whsec.txt`.
Switch: `POST /sandbox/mode {"mode": "flaky"}`; modes are `ok`, `flaky` (HTTP 500 to every
second call), `throttle` (429 with `Retry-After: retry_after`), `hang` (no answer for
`hang_seconds`). Read: `GET /sandbox/stats`, `GET /sandbox/applied`.
"""

from __future__ import annotations

import argparse
import asyncio
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import orjson
import uvicorn
from standardwebhooks.webhooks import Webhook, WebhookVerificationError
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

Mode = Literal["ok", "flaky", "throttle", "hang"]
MODES: tuple[str, ...] = ("ok", "flaky", "throttle", "hang")


@dataclass
class Applied:
    event_id: str
    subject: str | None
    time: str | None
    at: float  # wall-clock seconds when first applied


@dataclass
class PartnerEndpoint:
    secret: str
    mode: Mode = "ok"
    retry_after: int = 2
    hang_seconds: float = 60.0
    calls: int = 0
    in_flight: int = 0
    max_in_flight: int = 0  # the most requests it held at once: what a bulkhead bounds
    by_status: Counter[int] = field(default_factory=Counter)
    applied: dict[str, Applied] = field(default_factory=dict)
    repeats: Counter[str] = field(default_factory=Counter)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    async def receive(self, request: Request) -> Response:
        body = await request.body()
        headers = {name.lower(): value for name, value in request.headers.items()}
        try:
            Webhook(self.secret).verify(body, headers)
        except WebhookVerificationError:
            return self._answer(401)
        with self._lock:
            self.calls += 1
            call = self.calls
            mode = self.mode
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            return await self._answer_call(request, call, mode, headers, body)
        finally:
            with self._lock:
                self.in_flight -= 1

    async def _answer_call(
        self, request: Request, call: int, mode: Mode, headers: dict[str, str], body: bytes
    ) -> Response:
        if mode == "hang":
            # Held until the caller gives up (or hang_seconds): `in_flight` then counts the
            # calls a client is really waiting on, not abandoned handlers.
            deadline = time.monotonic() + self.hang_seconds
            while time.monotonic() < deadline and not await request.is_disconnected():  # noqa: ASYNC110 - Starlette tells of a disconnect only when asked
                await asyncio.sleep(0.02)
            return self._answer(504)
        if mode == "flaky" and call % 2 == 0:
            return self._answer(500)
        if mode == "throttle":
            return self._answer(429, {"Retry-After": str(self.retry_after)})
        self._apply(headers["webhook-id"], orjson.loads(body))
        return self._answer(204)

    def _answer(self, status: int, headers: dict[str, str] | None = None) -> Response:
        with self._lock:
            self.by_status[status] += 1
        return Response(status_code=status, headers=headers)

    def _apply(self, webhook_id: str, event: dict[str, Any]) -> None:
        with self._lock:
            if webhook_id in self.applied:
                self.repeats[webhook_id] += 1  # deduplicated: applied once already
                return
            self.applied[webhook_id] = Applied(
                str(event.get("id")), event.get("subject"), event.get("time"), time.time()
            )

    async def set_mode(self, request: Request) -> Response:
        wanted = await request.json()
        if wanted.get("mode") not in MODES:
            return JSONResponse({"error": f"mode must be one of {MODES}"}, status_code=400)
        with self._lock:
            self.mode = wanted["mode"]
            self.retry_after = int(wanted.get("retry_after", self.retry_after))
            self.hang_seconds = float(wanted.get("hang_seconds", self.hang_seconds))
        return JSONResponse({"mode": self.mode})

    async def stats(self, _request: Request) -> Response:
        with self._lock:
            return JSONResponse(
                {
                    "mode": self.mode,
                    "calls": self.calls,
                    "max_in_flight": self.max_in_flight,
                    "by_status": {str(k): v for k, v in self.by_status.items()},
                    "applied": len(self.applied),
                    "redelivered": sum(self.repeats.values()),
                }
            )

    async def applied_list(self, _request: Request) -> Response:
        with self._lock:
            rows = [[a.event_id, a.subject, a.time, a.at] for a in self.applied.values()]
        return Response(orjson.dumps(rows), media_type="application/json")

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/hook", self.receive, methods=["POST"]),
                Route("/sandbox/mode", self.set_mode, methods=["POST"]),
                Route("/sandbox/stats", self.stats),
                Route("/sandbox/applied", self.applied_list),
            ]
        )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8095)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--secret-file", type=Path, required=True)
    parser.add_argument("--mode", choices=MODES, default="ok")
    options = parser.parse_args(argv)
    endpoint = PartnerEndpoint(options.secret_file.read_text(encoding="utf-8").strip())
    endpoint.mode = options.mode
    uvicorn.run(
        endpoint.app(), host=options.host, port=options.port, log_level="warning", access_log=False
    )


if __name__ == "__main__":
    main()
