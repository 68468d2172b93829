"""Canonical advance ship notice: what a vendor says is on its way, packed how, for which order.

Neither `Shipment` (a carrier booking with parcels and weights) nor `Receipt` (what was
counted in) describes a notice of goods in transit with their pallet and carton structure,
which is what the warehouse needs to plan the dock and scan SSCCs at receipt.
"""

from __future__ import annotations

from datetime import date

from pydantic import Field, field_validator

from crossdock.canonical.common import ExternalRef, LocationRef, Quantity, Weight
from crossdock.canonical.primitives import CanonicalModel, NonEmptyStr


class AsnItem(CanonicalModel):
    """One product in a package or order, with the quantity shipped."""

    sku: NonEmptyStr
    """The buyer's product code where the vendor gave it, else the vendor's, else the GTIN."""
    vendor_sku: str | None = Field(default=None, min_length=1)
    gtin: str | None = Field(default=None, pattern=r"^[0-9]{8,14}$")
    lot: str | None = Field(default=None, min_length=1)
    line_id: str | None = Field(default=None, min_length=1)
    """The line number the vendor assigned, usually the purchase order line."""
    quantity: Quantity

    @field_validator("quantity")
    @classmethod
    def _positive(cls, value: Quantity) -> Quantity:
        if value.value <= 0:
            raise ValueError("shipped quantity must be greater than zero")
        return value


class AsnPackage(CanonicalModel):
    """A pallet (tare) or carton (pack); pallets hold cartons, cartons hold items."""

    kind: NonEmptyStr = Field(pattern=r"^(tare|pack)$")
    sscc: str | None = Field(default=None, min_length=1)
    """The serial shipping container code on the label, scanned at receipt."""
    packages: list[AsnPackage] = Field(default_factory=list)
    items: list[AsnItem] = Field(default_factory=list)


class AsnOrder(CanonicalModel):
    """The part of the shipment that fulfils one purchase order."""

    purchase_order_reference: NonEmptyStr
    purchase_order_date: date | None = None
    packages: list[AsnPackage] = Field(default_factory=list)
    items: list[AsnItem] = Field(default_factory=list)
    """Items shipped loose, outside any package."""


class AdvanceShipNotice(CanonicalModel):
    """A vendor's notice of goods shipped, for inbound dock planning and receipt matching."""

    asn_id: NonEmptyStr
    """The vendor's shipment identification, quoted on the delivery."""
    issued_on: date
    shipped_on: date | None = None
    expected_on: date | None = None
    ship_from: LocationRef | None = None
    ship_to: LocationRef | None = None
    carrier_code: str | None = Field(default=None, min_length=1)
    """The carrier's SCAC or equivalent code, as the vendor gave it."""
    gross_weight: Weight | None = None
    package_count: int | None = Field(default=None, ge=0)
    bill_of_lading: str | None = Field(default=None, min_length=1)
    orders: list[AsnOrder] = Field(min_length=1)
    references: list[ExternalRef] = Field(default_factory=list)
