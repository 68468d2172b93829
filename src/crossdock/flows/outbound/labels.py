"""Booking a shipment's labels for a warehouse that does not book the carrier: at the order's
service through the one label partner, or, with rate shopping, at the cheapest rate meeting
the order's service level across every configured label partner (`rate_shopping.py`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from crossdock.canonical.carrier import FulfillmentRequest
from crossdock.canonical.shipment import Package
from crossdock.errors import PermanentError
from crossdock.flows.outbound.gateway import Label, LabelGateway, Rate, WarehouseGateways
from crossdock.flows.outbound.rate_shopping import choose_rate, requested_level
from crossdock.flows.outbound.settings import OutboundConfig


@dataclass(frozen=True)
class Booking:
    partner: str
    labels: list[Label]
    rate: dict[str, Any] | None
    """The rate chosen and why (`RateChoice.record`), when the labels were shopped."""


def _gateway(gateways: WarehouseGateways, partner: str) -> LabelGateway:
    gateway = gateways.labels(partner)
    if gateway is None:
        raise PermanentError(f"outbound.label_carrier {partner!r} is not a label partner")
    return gateway


async def book_labels(
    gateways: WarehouseGateways,
    config: OutboundConfig,
    request: FulfillmentRequest,
    packages: list[Package],
) -> Booking:
    """Book the labels; `NoRateForLevel` when shopping finds no rate meeting the level.

    An outage of any label partner propagates (the job is retried): shopping without a
    partner's quotes would silently pick from fewer rates than configured.
    """
    partners = config.label_carriers
    shopping = config.rate_shopping
    if shopping is None:
        [partner] = partners[:1]
        return Booking(partner, await _gateway(gateways, partner).book(request, packages), None)
    level = requested_level(request.service_level, shopping)
    quotes: list[Rate] = []
    for partner in partners:
        quotes.extend(await _gateway(gateways, partner).rates(request, packages))
    choice = choose_rate(quotes, level, shopping.currency)
    chosen = choice.rate.partner
    labels = await _gateway(gateways, chosen).book(request, packages, choice.rate)
    return Booking(chosen, labels, choice.record())
