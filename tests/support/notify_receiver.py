"""A subscriber's endpoint for notification tests: verifies Standard Webhooks signatures with
the `standardwebhooks` library, as a real receiver would, and answers what the test scripts."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
from standardwebhooks.webhooks import Webhook, WebhookVerificationError
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from crossdock.canonical.envelope import Envelope
from crossdock.clock import FrozenClock
from crossdock.connectors.notify.signing import new_secret


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes
    verified: bool
    status: int

    @property
    def event(self) -> dict[str, Any]:
        result: dict[str, Any] = orjson.loads(self.body)
        return result


@dataclass
class Receiver:
    """Answers each request with the next scripted status (the last one repeats)."""

    secret: str
    script: list[tuple[int, dict[str, str]]] = field(default_factory=lambda: [(204, {})])
    received: list[Received] = field(default_factory=list)

    def answers(self, *statuses: int | tuple[int, dict[str, str]]) -> None:
        self.script = [s if isinstance(s, tuple) else (s, {}) for s in statuses]

    def _next(self) -> tuple[int, dict[str, str]]:
        return self.script.pop(0) if len(self.script) > 1 else self.script[0]

    async def endpoint(self, request: Request) -> Response:
        body = await request.body()
        headers = {name.lower(): value for name, value in request.headers.items()}
        try:
            Webhook(self.secret).verify(body, headers)
        except WebhookVerificationError:
            self.received.append(Received(headers, body, verified=False, status=401))
            return Response(status_code=401)
        status, extra = self._next()
        self.received.append(Received(headers, body, verified=True, status=status))
        return Response(status_code=status, headers=extra)

    def app(self) -> Starlette:
        return Starlette(routes=[Route("/hook", self.endpoint, methods=["POST"])])

    @property
    def verified(self) -> list[Received]:
        return [r for r in self.received if r.verified]


def secret_file(tmp_path: Path, name: str = "subscriber") -> tuple[str, str]:
    """A fresh signing secret in a file; returns (secret, file: reference)."""
    secret = new_secret()
    path = tmp_path / f"{name}.whsec"
    path.write_text(secret + "\n", encoding="utf-8")
    return secret, f"file:{path}"


def real_time_clock() -> FrozenClock:
    """Frozen at the real time: receivers check webhook-timestamp against their own clock."""
    return FrozenClock(datetime.now(UTC).replace(microsecond=0))


_counter: Iterator[int] = iter(range(1, 1_000_000))


def milestone_event(
    *,
    tracking: str = "1Z999",
    milestone: str = "in_transit",
    partner: str | None = "easypost",
    time: datetime | None = None,
) -> Envelope:
    n = next(_counter)
    return Envelope(
        id=f"evt-{n:06d}",
        source="/carriers/test",
        type="crossdock.shipment.milestone_recorded.v1",
        subject=tracking,
        time=time or datetime(2026, 1, 1, 12, 0, tzinfo=UTC),
        data={
            "tracking_number": tracking,
            "carrier_code": "ups",
            "milestone": milestone,
            "occurred_at": "2026-01-01T12:00:00Z",
            "raw_code": "IT",
            "raw_text": "In transit",
        },
        partner=partner,
        lanekey=f"parcel:{tracking}",
        schemaversion=1,
    )
