"""The label API's I/O: `POST /rates` quotes the shipment per service, `POST /shipments`
books it with the parcels, labels and numbers back.

The delivery order's name is the `Idempotency-Key` of a booking, so a retry after a lost
answer gets the labels already booked instead of a second shipment (and a second bill from
the carrier). A quote books nothing and needs no key.
"""

from __future__ import annotations

import asyncio
from decimal import Decimal, InvalidOperation
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
from crossdock.flows.outbound.gateway import Label, Rate


def shipment_body(
    request: FulfillmentRequest,
    packages: list[Package],
    settings: LabelApiSettings,
    rate: Rate | None = None,
) -> dict[str, Any]:
    """Pure: the booking (or quote) request from the delivery order and its packed parcels,
    at the shopped rate's service when there is one."""
    service = rate.service_code if rate else request.service_level or settings.default_service
    return {
        "reference": request.fulfillment_id,
        "service": service,
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

    async def _post(
        self, path: str, body: dict[str, Any], what: str, headers: dict[str, str]
    ) -> dict[str, Any]:
        """POST to the API; an outage is retryable, a refusal is not, both say which call."""
        key = resolve_key(self.settings.api_key, self.partner)
        try:
            response = await self._client().post(
                f"{self.settings.base_url.rstrip('/')}{path}",
                json=body,
                headers={"X-Api-Key": key, **headers},
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
                f"{self.partner} refused {what}: HTTP {response.status_code} {response.text[:300]}"
            )
        answer = response.json()
        if not isinstance(answer, dict):
            raise ProviderRefused(f"{self.partner} answered {what} with {type(answer).__name__}")
        return answer

    async def rates(self, request: FulfillmentRequest, packages: list[Package]) -> list[Rate]:
        body = shipment_body(request, packages, self.settings)
        what = f"the rate quote for {request.fulfillment_id}"
        answer = await self._post("/rates", body, what, {})
        return [self._rate(item, index) for index, item in enumerate(answer.get("rates") or [])]

    def _rate(self, item: Any, index: int) -> Rate:
        """One quote checked: a malformed one is refused naming its place, never guessed."""
        place = f"{self.partner} rates[{index}]"
        if not isinstance(item, dict):
            raise ProviderRefused(f"{place}: a rate is an object, not {type(item).__name__}")
        try:
            price = Decimal(str(item["price"]))
            days = int(item["transit_days"])
            service, level, currency = (str(item[k]) for k in ("service", "level", "currency"))
        except KeyError as exc:
            raise ProviderRefused(f"{place}: missing {exc.args[0]!r}") from None
        except (InvalidOperation, ValueError, TypeError):
            raise ProviderRefused(f"{place}: price or transit_days is not a number") from None
        if not price.is_finite() or price < 0 or days < 0:
            raise ProviderRefused(f"{place}: negative or infinite price or transit days")
        return Rate(
            partner=self.partner,
            carrier_code=str(item.get("carrier_code") or self.settings.carrier_code),
            service_code=service,
            service_level=level,
            price=price,
            currency=currency,
            transit_days=days,
        )

    async def book(
        self, request: FulfillmentRequest, packages: list[Package], rate: Rate | None = None
    ) -> list[Label]:
        body = shipment_body(request, packages, self.settings, rate)
        what = f"the booking of {request.fulfillment_id}"
        answer = await self._post(
            "/shipments", body, what, {"Idempotency-Key": request.fulfillment_id}
        )
        labels = answer.get("labels") or []
        if len(labels) != len(packages):
            raise ProviderRefused(
                f"{self.partner} answered {len(labels)} labels for {len(packages)} parcels"
            )
        return [
            Label(
                tracking_number=str(item["tracking_number"]),
                carrier_code=rate.carrier_code if rate else self.settings.carrier_code,
                service_level=rate.service_level if rate else body["service"],
                label_format=str(item.get("label_format") or self.settings.label_format),
                content=str(item["label"]),
            )
            for item in labels
        ]

    async def aclose(self) -> None:
        client = self._http.pop(id(asyncio.get_running_loop()), None)
        if client is not None:
            await client.aclose()
