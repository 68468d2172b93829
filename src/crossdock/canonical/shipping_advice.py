"""Canonical warehouse shipping advice: what a warehouse (a 3PL) says it shipped against a
fulfillment request, line by line, so short picks and lots reach the order in Odoo.

`Shipment` is a carrier booking (parties with full addresses, parcels with weights) and
`FulfillmentRequest` the order to ship; a warehouse's confirmation carries neither the
addresses nor the parcels, but does carry ordered against shipped quantities per line.
"""

from __future__ import annotations

from datetime import date

from pydantic import Field, field_validator, model_validator

from crossdock.canonical.common import ExternalRef, LocationRef, Quantity, Weight
from crossdock.canonical.primitives import CanonicalModel, Code, NonEmptyStr


class ShippedLine(CanonicalModel):
    """One line of the fulfillment request as shipped (zero when it was not)."""

    line_id: NonEmptyStr
    sku: NonEmptyStr
    ordered: Quantity | None = None
    shipped: Quantity
    status: str = ""
    """The warehouse's own line status code (X12 W1201), kept verbatim."""
    lot: str | None = Field(default=None, min_length=1)
    weight: Weight | None = None

    @field_validator("shipped")
    @classmethod
    def _not_negative(cls, value: Quantity) -> Quantity:
        if value.value < 0:
            raise ValueError("shipped quantity cannot be negative")
        return value


class ShippingAdvice(CanonicalModel):
    """A warehouse's shipping advice; the payload of ``crossdock.fulfillment.shipped.v1``."""

    shipment_id: NonEmptyStr
    """The warehouse's shipment (or load) number."""
    fulfillment_id: str | None = Field(default=None, min_length=1)
    """The fulfillment request (the delivery order) it answers, when the warehouse quoted it."""
    order_reference: str | None = Field(default=None, min_length=1)
    shipped_on: date
    carrier_code: Code | None = None
    bill_of_lading: str | None = Field(default=None, min_length=1)
    ship_to: LocationRef | None = None
    lines: list[ShippedLine] = Field(min_length=1)
    references: list[ExternalRef] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique_lines(self) -> ShippingAdvice:
        seen: set[str] = set()
        for line in self.lines:
            if line.line_id in seen:
                raise ValueError(f"duplicate line_id {line.line_id!r}")
            seen.add(line.line_id)
        return self
