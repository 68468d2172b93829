"""A simulated carrier label API: `POST /rates` quotes a shipment per service, `POST /shipments`
books one label per parcel.

`X-Api-Key` authenticates; `Idempotency-Key` answers a repeated booking with the labels
already made. Labels are small ZPL documents, base64-encoded as label APIs send them. The
services quoted and their prices are configurable (`services`): a quote is the service's
price per parcel times the parcels, in the book's currency, with its transit days.
"""

from __future__ import annotations

import base64
import itertools
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route


@dataclass(frozen=True)
class ServicePrice:
    """One service the simulated carrier sells: its level, price per parcel, transit days."""

    level: str
    price: Decimal
    transit_days: int


DEFAULT_SERVICES: dict[str, ServicePrice] = {
    "EXPRESS": ServicePrice("express", Decimal("14.90"), 1),
    "STANDARD": ServicePrice("standard", Decimal("6.95"), 2),
    "ECONOMY": ServicePrice("economy", Decimal("4.50"), 5),
}


class LabelBook:
    def __init__(
        self,
        prefix: str = "CDL",
        *,
        services: dict[str, ServicePrice] | None = None,
        currency: str = "EUR",
    ) -> None:
        self.prefix = prefix
        self.services = dict(DEFAULT_SERVICES if services is None else services)
        self.currency = currency
        self.bookings: dict[str, list[dict[str, Any]]] = {}
        self.booked_services: dict[str, str] = {}
        self.requests = 0
        self.quotes = 0
        self.outage = False
        self._numbers = itertools.count(1)

    def rates(self, body: dict[str, Any]) -> list[dict[str, Any]]:
        parcels = len(body.get("parcels") or [])
        return [
            {
                "service": code,
                "level": service.level,
                "price": str(service.price * parcels),
                "currency": self.currency,
                "transit_days": service.transit_days,
            }
            for code, service in self.services.items()
        ]

    def book(self, key: str, body: dict[str, Any]) -> list[dict[str, Any]]:
        if key in self.bookings:
            return self.bookings[key]
        labels = []
        for parcel in body.get("parcels") or []:
            number = f"{self.prefix}{next(self._numbers):09d}"
            zpl = f"^XA^FO50,50^BCN,100^FD{number}^FS^FO50,200^FD{body.get('service')}^FS^XZ"
            labels.append(
                {
                    "tracking_number": number,
                    "parcel": parcel.get("reference"),
                    "label_format": "ZPL",
                    "label": base64.b64encode(zpl.encode()).decode(),
                }
            )
        self.bookings[key] = labels
        self.booked_services[key] = str(body.get("service"))
        return labels


def _problem(title: str, status: int) -> JSONResponse:
    return JSONResponse(
        {"title": title, "status": status},
        status_code=status,
        media_type="application/problem+json",
    )


def build_app(book: LabelBook, *, api_key: str) -> Starlette:
    async def refused(request: Request) -> Response | None:
        if request.headers.get("x-api-key") != api_key:
            return _problem("Unauthorized", 401)
        if book.outage:
            return _problem("Service Unavailable", 503)
        return None

    async def rates(request: Request) -> Response:
        book.quotes += 1
        if (problem := await refused(request)) is not None:
            return problem
        body = await request.json()
        if not body.get("parcels"):
            return _problem("No parcels", 422)
        return JSONResponse({"rates": book.rates(body)})

    async def shipments(request: Request) -> Response:
        book.requests += 1
        if (problem := await refused(request)) is not None:
            return problem
        body = await request.json()
        key = request.headers.get("idempotency-key") or str(body.get("reference"))
        if not body.get("parcels"):
            return _problem("No parcels", 422)
        return JSONResponse({"labels": book.book(key, body)}, status_code=201)

    app = Starlette(
        routes=[
            Route("/rates", rates, methods=["POST"]),
            Route("/shipments", shipments, methods=["POST"]),
        ]
    )
    app.state.book = book
    return app
