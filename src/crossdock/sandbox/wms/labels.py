"""A simulated carrier label API: `POST /shipments` books one label per parcel.

`X-Api-Key` authenticates; `Idempotency-Key` answers a repeated booking with the labels
already made. Labels are small ZPL documents, base64-encoded as label APIs send them.
"""

from __future__ import annotations

import base64
import itertools
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route


class LabelBook:
    def __init__(self, prefix: str = "CDL") -> None:
        self.prefix = prefix
        self.bookings: dict[str, list[dict[str, Any]]] = {}
        self.requests = 0
        self.outage = False
        self._numbers = itertools.count(1)

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
        return labels


def build_app(book: LabelBook, *, api_key: str) -> Starlette:
    async def shipments(request: Request) -> Response:
        book.requests += 1
        if request.headers.get("x-api-key") != api_key:
            return JSONResponse({"title": "Unauthorized", "status": 401}, status_code=401)
        if book.outage:
            return JSONResponse({"title": "Service Unavailable", "status": 503}, status_code=503)
        body = await request.json()
        key = request.headers.get("idempotency-key") or str(body.get("reference"))
        if not body.get("parcels"):
            return JSONResponse({"title": "No parcels", "status": 422}, status_code=422)
        return JSONResponse({"labels": book.book(key, body)}, status_code=201)

    app = Starlette(routes=[Route("/shipments", shipments, methods=["POST"])])
    app.state.book = book
    return app
