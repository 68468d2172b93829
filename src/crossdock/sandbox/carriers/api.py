"""The providers' tracking APIs, simulated: what the polling fallback asks when webhooks
do not come. One app serves all four on their real paths, from one book of scenarios.

Endpoints, auth and shapes (sources in each provider's `tracking_api.py` and renderer):
- EasyPost  `GET /v2/trackers?tracking_code=` (HTTP Basic, API key as user)
  → `{"trackers": [Tracker], "has_more": false}`; an unknown number gives an empty list.
- AfterShip `GET /tracking/2024-07/trackings?tracking_numbers=&slug=` (`as-api-key`)
  → `{"meta": {"code": 200}, "data": {…, "trackings": [tracking]}}`.
- Shippo    `GET /tracks/{carrier}/{tracking_number}` (`Authorization: ShippoToken <key>`)
  → the Track object; 404 for a number it does not know.
- Generic   `GET /generic/track/{tracking_number}` (`Authorization: Bearer <key>`)
  → the generic carrier document; 404 for a number it does not know.

Each provider has its own request budget (`max_per_second`); beyond it the answer is 429
with `Retry-After`, as the real APIs throttle. Scans can be revealed one at a time
(`advance`, or automatically every `advance_every`) so a demo shows polling catch up.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import math
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from crossdock.sandbox.carriers import aftership, easypost, generic, shippo
from crossdock.sandbox.carriers.scenario import Scenario

Endpoint = Callable[[Request], Awaitable[Response]]


@dataclass
class _Entry:
    scenario: Scenario
    visible: int
    added_at: datetime


@dataclass
class TrackingBook:
    """The shipments the simulated providers know, and how much of each story is told."""

    advance_every: timedelta | None = None
    now: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))
    _entries: dict[str, _Entry] = field(default_factory=dict)

    def add(self, scenario: Scenario, visible: int | None = None) -> None:
        """Know `scenario`, with its first `visible` scans told (all by default)."""
        count = len(scenario.steps) if visible is None else visible
        self._entries[scenario.tracking_number] = _Entry(scenario, count, self.now())

    def advance(self, tracking_number: str, scans: int = 1) -> None:
        self._entries[tracking_number].visible += scans

    def get(self, tracking_number: str) -> Scenario | None:
        """The scenario as far as the provider knows it now; None for unknown numbers."""
        entry = self._entries.get(tracking_number)
        if entry is None:
            return None
        visible = entry.visible
        if self.advance_every is not None:
            elapsed = (self.now() - entry.added_at) / self.advance_every
            visible += math.floor(elapsed)
        return entry.scenario.upto(visible)

    def numbers(self) -> list[str]:
        return list(self._entries)


class RateBudget:
    """At most `per_second` requests in any one-second window; beyond, how long to wait."""

    def __init__(self, per_second: int | None, clock: Callable[[], float] = time.monotonic) -> None:
        self.per_second = per_second
        self._clock = clock
        self._window = 0
        self._used = 0

    def take(self) -> int | None:
        """None when the request may go ahead, else the Retry-After in whole seconds."""
        if self.per_second is None:
            return None
        second = math.floor(self._clock())
        if second != self._window:
            self._window, self._used = second, 0
        if self._used >= self.per_second:
            return 1
        self._used += 1
        return None


def _easypost_error(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message, "errors": []}}, status)


def _aftership_error(status: int, kind: str, message: str) -> JSONResponse:
    meta = {"code": status, "type": kind, "message": message}
    return JSONResponse({"meta": meta, "data": {}}, status)


def _basic_user(request: Request) -> str | None:
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(value, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    return decoded.partition(":")[0]


def _same(given: str | None, expected: str) -> bool:
    return given is not None and hmac.compare_digest(given.encode(), expected.encode())


def build_app(
    book: TrackingBook,
    api_key: str,
    *,
    max_per_second: int | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> Starlette:
    """The simulated tracking APIs; `app.state.book` and `app.state.requests` for tests."""
    budgets = {
        name: RateBudget(max_per_second, clock)
        for name in ("easypost", "aftership", "shippo", "generic")
    }
    requests: dict[str, int] = dict.fromkeys(budgets, 0)

    def throttled(name: str, error: Callable[[], JSONResponse]) -> Response | None:
        requests[name] += 1
        wait = budgets[name].take()
        if wait is None:
            return None
        response = error()
        response.headers["Retry-After"] = str(wait)
        return response

    async def easypost_trackers(request: Request) -> Response:
        if not _same(_basic_user(request), api_key):
            return _easypost_error(401, "APIKEY.INACTIVE", "The API key is missing or invalid.")
        limited = throttled(
            "easypost",
            lambda: _easypost_error(429, "RATE_LIMITED", "You have exceeded the rate limit."),
        )
        if limited is not None:
            return limited
        number = request.query_params.get("tracking_code", "")
        scenario = book.get(number)
        carrier = request.query_params.get("carrier")
        found = scenario is not None and (
            carrier is None or carrier.lower() == scenario.carrier.lower()
        )
        trackers = [easypost.tracker(scenario)] if found and scenario is not None else []
        return JSONResponse({"trackers": trackers, "has_more": False})

    async def aftership_trackings(request: Request) -> Response:
        if not _same(request.headers.get("as-api-key"), api_key):
            return _aftership_error(401, "Unauthorized", "Invalid API key.")
        limited = throttled(
            "aftership",
            lambda: _aftership_error(
                429, "TooManyRequests", "You have exceeded the API call rate limit."
            ),
        )
        if limited is not None:
            return limited
        numbers = [n for n in request.query_params.get("tracking_numbers", "").split(",") if n]
        slug = request.query_params.get("slug")
        trackings: list[dict[str, Any]] = []
        for number in numbers:
            scenario = book.get(number)
            if scenario is not None and (slug is None or slug == scenario.carrier):
                trackings.append(aftership.tracking(scenario))
        data = {"page": 1, "limit": 100, "count": len(trackings), "trackings": trackings}
        return JSONResponse({"meta": {"code": 200}, "data": data})

    async def shippo_track(request: Request) -> Response:
        if not _same(_bearer(request, "ShippoToken"), api_key):
            return JSONResponse({"detail": "Invalid token."}, 401)
        limited = throttled(
            "shippo", lambda: JSONResponse({"detail": "Request was throttled."}, 429)
        )
        if limited is not None:
            return limited
        scenario = book.get(request.path_params["tracking_number"])
        if scenario is None or scenario.carrier != request.path_params["carrier"]:
            return JSONResponse({"detail": "Not found."}, 404)
        return JSONResponse(shippo.track(scenario))

    async def generic_track(request: Request) -> Response:
        if not _same(_bearer(request, "Bearer"), api_key):
            return JSONResponse({"error": "unauthorized"}, 401)
        limited = throttled("generic", lambda: JSONResponse({"error": "rate limited"}, 429))
        if limited is not None:
            return limited
        scenario = book.get(request.path_params["tracking_number"])
        if scenario is None:
            return JSONResponse({"error": "unknown tracking number"}, 404)
        return JSONResponse(generic.document(scenario))

    app = Starlette(
        routes=[
            Route("/v2/trackers", easypost_trackers, methods=["GET"]),
            Route("/tracking/2024-07/trackings", aftership_trackings, methods=["GET"]),
            Route("/tracks/{carrier}/{tracking_number}", shippo_track, methods=["GET"]),
            Route("/generic/track/{tracking_number}", generic_track, methods=["GET"]),
        ]
    )
    app.state.book = book
    app.state.requests = requests
    return app


def _bearer(request: Request, scheme: str) -> str | None:
    given, _, value = request.headers.get("authorization", "").partition(" ")
    return value.strip() if given == scheme else None
