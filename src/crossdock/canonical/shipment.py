"""Canonical shipment: what was handed to a carrier, in which packages, from where to where."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from crossdock.canonical.common import Dimensions, ExternalRef, Party, Quantity, Weight
from crossdock.canonical.primitives import CanonicalModel, Code, NonEmptyStr


class ContentLine(CanonicalModel):
    """One item inside a package, needed for customs documents and pack verification."""

    sku: NonEmptyStr
    description: str | None = None
    quantity: Quantity


class Package(CanonicalModel):
    """One physical parcel; tracking happens per package, so it carries its own number."""

    package_ref: str | None = None
    """The shipper's own parcel id (e.g. an SSCC), useful before a tracking number exists."""
    tracking_number: str | None = Field(default=None, min_length=1)
    """Optional because some carriers assign numbers only when the manifest closes."""
    weight: Weight
    dimensions: Dimensions | None = None
    contents: list[ContentLine] = Field(default_factory=list)


class Shipment(CanonicalModel):
    """A shipment booked with a carrier; the payload of ``crossdock.shipment.created.v1``."""

    shipment_id: NonEmptyStr
    """Identifier of the shipment in the system that created it."""
    order_reference: str | None = None
    """Order number the shipment fulfils, to link tracking back to the order in Odoo."""
    carrier_code: Code
    service_level: NonEmptyStr
    """The carrier's service code as booked (e.g. ``express``), kept verbatim for rate checks."""
    ship_from: Party
    ship_to: Party
    ship_date: date | None = None
    packages: list[Package] = Field(min_length=1)
    references: list[ExternalRef] = Field(default_factory=list)
