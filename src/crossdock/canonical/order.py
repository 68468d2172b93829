"""Canonical sales order as confirmed in Odoo and sent on to warehouses and suppliers."""

from __future__ import annotations

from datetime import date

from pydantic import Field, field_validator, model_validator

from crossdock.canonical.common import ExternalRef, Party, Quantity
from crossdock.canonical.primitives import (
    CanonicalModel,
    CurrencyCode,
    NonEmptyStr,
    NonNegativeDecimal,
)


class OrderLine(CanonicalModel):
    """One ordered item; line ids let acknowledgements and shipments point back at it."""

    line_id: NonEmptyStr
    """Stable id of the line within the order (e.g. the Odoo sale.order.line id)."""
    sku: NonEmptyStr
    description: str | None = None
    quantity: Quantity
    unit_price: NonNegativeDecimal | None = None
    """Price per ``quantity.uom`` in the order's currency; absent for unpriced moves."""

    @field_validator("quantity")
    @classmethod
    def _positive_quantity(cls, value: Quantity) -> Quantity:
        # A zero or negative ordered quantity is a cancellation or return, which are
        # different events, so it is refused here.
        if value.value <= 0:
            raise ValueError("ordered quantity must be greater than zero")
        return value


class Order(CanonicalModel):
    """A confirmed order; the payload of ``crossdock.order.confirmed.v1``."""

    order_number: NonEmptyStr
    """The order number as shown in Odoo (e.g. ``S00042``)."""
    partner_refs: list[ExternalRef] = Field(default_factory=list)
    """The same order's ids elsewhere: customer PO number, WMS order id, and so on."""
    customer: Party | None = None
    ship_to: Party
    requested_ship_date: date | None = None
    currency: CurrencyCode | None = None
    """ISO 4217 code that every ``unit_price`` is in; one currency per order, as in Odoo."""
    lines: list[OrderLine] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent_lines(self) -> Order:
        # Duplicate line ids would make acknowledgements ambiguous, and a price without
        # a currency cannot be used for customs or invoicing.
        seen: set[str] = set()
        for line in self.lines:
            if line.line_id in seen:
                raise ValueError(f"duplicate line_id {line.line_id!r}")
            seen.add(line.line_id)
        if self.currency is None and any(line.unit_price is not None for line in self.lines):
            raise ValueError("currency is required when any line has a unit_price")
        return self
