"""What the outbound flow needs from a warehouse system, whatever its transport.

A WMS connector (REST, file drop…) registers one gateway per partner; the flow releases and
cancels through it and hears back through canonical events (`crossdock.fulfillment.*`), so
the flow never knows how a WMS talks.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Protocol

from crossdock.canonical.carrier import FulfillmentRequest
from crossdock.canonical.shipment import Package


class CancelOutcome(StrEnum):
    CANCELLED = "cancelled"
    ALREADY_SHIPPED = "already_shipped"


@dataclass(frozen=True)
class Label:
    """A carrier label booked for one package: its tracking number and the printable label."""

    tracking_number: str
    carrier_code: str
    service_level: str | None
    label_format: str
    content: str
    """The label as the carrier sent it, base64 for binary formats."""


@dataclass(frozen=True)
class Rate:
    """One price a label partner quotes for a shipment: a service at a level, with its price
    and transit time, as rate shopping compares them (`rate_shopping.py`)."""

    partner: str
    carrier_code: str
    service_code: str
    service_level: str
    price: Decimal
    currency: str
    transit_days: int


class WarehouseGateway(Protocol):
    books_carrier: bool
    """Whether the WMS books the carrier itself (else Crossdock books labels for it)."""

    async def release(self, request: FulfillmentRequest) -> str:
        """Hand the delivery order over; answers the WMS's order id. Must be idempotent
        per `request.fulfillment_id`: a retry after a lost answer creates nothing new."""
        ...

    async def cancel(self, fulfillment_id: str, wms_order_id: str | None) -> CancelOutcome:
        """Withdraw a released order; ALREADY_SHIPPED when it is too late."""
        ...

    async def send_labels(
        self, fulfillment_id: str, wms_order_id: str | None, labels: list[Label]
    ) -> None:
        """Hand the labels Crossdock booked to the warehouse, which prints and ships them."""
        ...


class LabelGateway(Protocol):
    async def book(
        self, request: FulfillmentRequest, packages: list[Package], rate: Rate | None = None
    ) -> list[Label]:
        """One label per package, at `rate`'s service when one was shopped (else the order's
        service); idempotent per `request.fulfillment_id`."""
        ...

    async def rates(self, request: FulfillmentRequest, packages: list[Package]) -> list[Rate]:
        """What the partner would charge for the shipment, per service it offers."""
        ...


class WarehouseGateways:
    """The gateways of the configured warehouse and carrier label partners, by partner id."""

    def __init__(self) -> None:
        self._by_partner: dict[str, WarehouseGateway] = {}
        self._labels: dict[str, LabelGateway] = {}

    def add_labels(self, partner: str, gateway: LabelGateway) -> None:
        self._labels[partner] = gateway

    def labels(self, partner: str) -> LabelGateway | None:
        return self._labels.get(partner)

    def add(self, partner: str, gateway: WarehouseGateway) -> None:
        self._by_partner[partner] = gateway

    def get(self, partner: str) -> WarehouseGateway | None:
        return self._by_partner.get(partner)

    def partners(self) -> list[str]:
        return sorted(self._by_partner)
