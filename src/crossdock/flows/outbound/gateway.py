"""What the outbound flow needs from a warehouse system, whatever its transport.

A WMS connector (REST, file drop…) registers one gateway per partner; the flow releases and
cancels through it and hears back through canonical events (`crossdock.fulfillment.*`), so
the flow never knows how a WMS talks.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Protocol

from crossdock.canonical.carrier import FulfillmentRequest


class CancelOutcome(StrEnum):
    CANCELLED = "cancelled"
    ALREADY_SHIPPED = "already_shipped"


class WarehouseGateway(Protocol):
    async def release(self, request: FulfillmentRequest) -> str:
        """Hand the delivery order over; answers the WMS's order id. Must be idempotent
        per `request.fulfillment_id`: a retry after a lost answer creates nothing new."""
        ...

    async def cancel(self, fulfillment_id: str, wms_order_id: str | None) -> CancelOutcome:
        """Withdraw a released order; ALREADY_SHIPPED when it is too late."""
        ...


class WarehouseGateways:
    """The gateways of the configured warehouse partners, by partner id."""

    def __init__(self) -> None:
        self._by_partner: dict[str, WarehouseGateway] = {}

    def add(self, partner: str, gateway: WarehouseGateway) -> None:
        self._by_partner[partner] = gateway

    def get(self, partner: str) -> WarehouseGateway | None:
        return self._by_partner.get(partner)

    def partners(self) -> list[str]:
        return sorted(self._by_partner)
