"""Canonical inbound procurement: purchase orders confirmed to vendors and the goods received.

A WMS needs the purchase order before the truck arrives (to plan the dock and check the
delivery) and Odoo needs the receipt afterwards; both travel in these payloads.
"""

from __future__ import annotations

from datetime import date

from pydantic import Field, field_validator, model_validator

from crossdock.canonical.common import ExternalRef, LocationRef, Party, Quantity
from crossdock.canonical.primitives import (
    CanonicalModel,
    CurrencyCode,
    NonEmptyStr,
    NonNegativeDecimal,
    Timestamp,
)


def _require_positive(value: Quantity, what: str) -> Quantity:
    if value.value <= 0:
        raise ValueError(f"{what} must be greater than zero")
    return value


class PurchaseOrderLine(CanonicalModel):
    """One ordered item, with the date the vendor promised it."""

    line_id: NonEmptyStr
    """Stable id of the line (the Odoo purchase.order.line id), for receipts to point at."""
    sku: NonEmptyStr
    description: str | None = None
    quantity: Quantity
    unit_price: NonNegativeDecimal | None = None
    """Price per ``quantity.uom`` in the order's currency."""
    expected_date: date | None = None

    @field_validator("quantity")
    @classmethod
    def _positive(cls, value: Quantity) -> Quantity:
        return _require_positive(value, "ordered quantity")


class PurchaseOrder(CanonicalModel):
    """A purchase order confirmed to a vendor; the payload of
    ``crossdock.purchase_order.confirmed.v1``."""

    po_number: NonEmptyStr
    """The order's name in Odoo, e.g. ``P00042``; the vendor quotes it on the ASN."""
    vendor: Party
    vendor_reference: str | None = None
    """The vendor's own order or confirmation number."""
    origin: str | None = None
    currency: CurrencyCode | None = None
    ordered_at: Timestamp | None = None
    confirmed_at: Timestamp | None = None
    expected_date: date | None = None
    lines: list[PurchaseOrderLine] = Field(min_length=1)
    partner_refs: list[ExternalRef] = Field(default_factory=list)

    @model_validator(mode="after")
    def _consistent_lines(self) -> PurchaseOrder:
        seen: set[str] = set()
        for line in self.lines:
            if line.line_id in seen:
                raise ValueError(f"duplicate line_id {line.line_id!r}")
            seen.add(line.line_id)
        if self.currency is None and any(line.unit_price is not None for line in self.lines):
            raise ValueError("currency is required when any line has a unit_price")
        return self


class ReceiptLine(CanonicalModel):
    """What was counted in: one SKU, optionally one lot or serial, against one PO line."""

    line_id: NonEmptyStr
    sku: NonEmptyStr
    description: str | None = None
    quantity: Quantity
    lot: str | None = Field(default=None, min_length=1)
    """Lot or serial number recorded at receipt, for traceability."""
    purchase_line_id: str | None = None

    @field_validator("quantity")
    @classmethod
    def _positive(cls, value: Quantity) -> Quantity:
        return _require_positive(value, "received quantity")


class Receipt(CanonicalModel):
    """Goods received into a warehouse; the payload of ``crossdock.receipt.recorded.v1``."""

    receipt_id: NonEmptyStr
    """The receipt's name in the system that recorded it, e.g. ``WH/IN/00007``."""
    purchase_order_reference: str | None = None
    supplier: Party | None = None
    warehouse: LocationRef
    received_at: Timestamp
    lines: list[ReceiptLine] = Field(min_length=1)
    references: list[ExternalRef] = Field(default_factory=list)
