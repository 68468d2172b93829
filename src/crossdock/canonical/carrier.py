"""Outbound handover: carrier services, fulfillment requests and the cancellations around them.

Odoo decides *what* leaves the warehouse (a confirmed order, a ready delivery order); the WMS
and the carrier decide *how*. These payloads carry that decision across: the delivery methods
Odoo can book (``CarrierService``), the request to pick and ship a delivery order
(``FulfillmentRequest``), and the cancellations that must stop work already handed over.
"""

from __future__ import annotations

from datetime import date

from pydantic import Field, field_validator

from crossdock.canonical.common import ExternalRef, LocationRef, Party, Quantity
from crossdock.canonical.primitives import CanonicalModel, Code, NonEmptyStr, Timestamp


class CarrierService(CanonicalModel):
    """A delivery method; the payload of ``crossdock.carrier.service_updated.v1``."""

    carrier_code: Code
    """Crossdock's code for the carrier, e.g. ``dhl_express``, used on shipments and tracking."""
    name: NonEmptyStr
    """The delivery method as named in Odoo; also the shipment's ``service_level``."""
    provider: NonEmptyStr
    """Odoo's ``delivery_type``: ``fixed``, ``base_on_rule`` or a carrier integration."""
    active: bool = True
    references: list[ExternalRef] = Field(default_factory=list)


class FulfillmentLine(CanonicalModel):
    """One item to pick; ``line_id`` lets the WMS confirmation point back at the Odoo move."""

    line_id: NonEmptyStr
    sku: NonEmptyStr
    description: str | None = None
    quantity: Quantity
    order_line_id: str | None = None
    """The sale order line this move fulfils, when known."""

    @field_validator("quantity")
    @classmethod
    def _positive(cls, value: Quantity) -> Quantity:
        if value.value <= 0:
            raise ValueError("quantity to fulfil must be greater than zero")
        return value


class FulfillmentRequest(CanonicalModel):
    """A delivery order ready to pick; the payload of ``crossdock.fulfillment.requested.v1``.

    Re-announced on every change while it is ready, so consumers treat it as an upsert
    keyed by ``fulfillment_id``.
    """

    fulfillment_id: NonEmptyStr
    """The delivery order's name in Odoo, e.g. ``WH/OUT/00042``."""
    order_reference: str | None = None
    """The sale order it comes from, to correlate with ``crossdock.order.confirmed.v1``."""
    warehouse: LocationRef
    ship_from: Party | None = None
    ship_to: Party
    carrier_code: Code | None = None
    service_level: str | None = None
    requested_ship_date: date | None = None
    lines: list[FulfillmentLine] = Field(min_length=1)
    references: list[ExternalRef] = Field(default_factory=list)


class FulfillmentCancellation(CanonicalModel):
    """A delivery order withdrawn; the payload of ``crossdock.fulfillment.cancelled.v1``."""

    fulfillment_id: NonEmptyStr
    order_reference: str | None = None
    warehouse: LocationRef | None = None
    cancelled_at: Timestamp
    references: list[ExternalRef] = Field(default_factory=list)


class OrderCancellation(CanonicalModel):
    """An order cancelled in Odoo; the payload of ``crossdock.order.cancelled.v1``.

    Small on purpose: consumers already hold the order from its confirmation and only need
    to know which one to stop.
    """

    order_number: NonEmptyStr
    cancelled_at: Timestamp
    reason: str | None = None
    partner_refs: list[ExternalRef] = Field(default_factory=list)
