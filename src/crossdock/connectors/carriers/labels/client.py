"""The label API's only I/O: `POST /shipments` with the parcels, labels and numbers back.

The delivery order's name is the `Idempotency-Key`, so a retry after a lost answer gets the
labels already booked instead of a second shipment (and a second bill from the carrier).
"""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from crossdock.canonical.carrier import FulfillmentRequest
from crossdock.canonical.shipment import Package
from crossdock.connectors.carriers.labels.settings import LabelApiSettings
from crossdock.connectors.carriers.tracking_http import (
    ProviderRefused,
    ProviderUnavailable,
    parse_retry_after,
)
from crossdock.connectors.carriers.tracking_http import api_key as resolve_key
from crossdock.flows.outbound.gateway import Label


def shipment_body(
    request: FulfillmentRequest, packages: list[Package], settings: LabelApiSettings
) -> dict[str, Any]:
    """Pure: the booking request from the delivery order and its packed parcels."""
    return {
        "reference": request.fulfillment_id,
        "service": request.service_level or settings.default_service,
        "label_format": settings.label_format,
        "ship_to": request.ship_to.model_dump(mode="json"),
        "ship_from": request.ship_from.model_dump(mode="json") if request.ship_from else None,
        "parcels": [
            {
                "reference": package.package_ref,
                "weight": package.weight.model_dump(mode="json"),
                "dimensions": package.dimensions.model_dump(mode="json")
                if package.dimensions
                else None,
            }
            for package in packages
        ],
    }


class LabelApiGateway:
    def __init__(self, partner: str, settings: LabelApiSettings) -> None:
        self.partner = partner
        self.settings = settings
        self._http: dict[int, httpx.AsyncClient] = {}

    def _client(self) -> httpx.AsyncClient:
        loop = id(asyncio.get_running_loop())
        if loop not in self._http:
            self._http[loop] = httpx.AsyncClient()
        return self._http[loop]

    async def book(self, request: FulfillmentRequest, packages: list[Package]) -> list[Label]:
        body = shipment_body(request, packages, self.settings)
        key = resolve_key(self.settings.api_key, self.partner)
        try:
            response = await self._client().post(
                f"{self.settings.base_url.rstrip('/')}/shipments",
                json=body,
                headers={"X-Api-Key": key, "Idempotency-Key": request.fulfillment_id},
                timeout=self.settings.timeout_seconds,
            )
        except httpx.TransportError as exc:
            raise ProviderUnavailable(f"{self.partner} could not be reached: {exc!r}") from None
        if response.status_code == 429 or response.status_code >= 500:
            raise ProviderUnavailable(
                f"{self.partner} answered HTTP {response.status_code}",
                retry_after=parse_retry_after(response.headers.get("retry-after")),
            )
        if response.status_code >= 300:
            raise ProviderRefused(
                f"{self.partner} refused the booking of {request.fulfillment_id}: "
                f"HTTP {response.status_code} {response.text[:300]}"
            )
        labels = response.json().get("labels") or []
        if len(labels) != len(packages):
            raise ProviderRefused(
                f"{self.partner} answered {len(labels)} labels for {len(packages)} parcels"
            )
        return [
            Label(
                tracking_number=str(item["tracking_number"]),
                carrier_code=self.settings.carrier_code,
                service_level=body["service"],
                label_format=str(item.get("label_format") or self.settings.label_format),
                content=str(item["label"]),
            )
            for item in labels
        ]

    async def aclose(self) -> None:
        client = self._http.pop(id(asyncio.get_running_loop()), None)
        if client is not None:
            await client.aclose()
