"""Canonical product: the item master a warehouse needs before it can receive or pick a SKU."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from crossdock.canonical.common import ExternalRef, Weight
from crossdock.canonical.primitives import CanonicalModel, NonEmptyStr, UomCode


class ProductKind(StrEnum):
    """What kind of thing the SKU is, so a WMS only loads what it can hold.

    Odoo spells this differently per version (16/17 ``detailed_type``, 18+ ``type`` plus
    ``is_storable``); the canonical kind is the same for all of them.
    """

    GOODS = "goods"
    """Physical goods (Odoo ``consu``, and ``product`` in 16/17)."""
    SERVICE = "service"
    COMBO = "combo"
    """A bundle whose components are sold as separate lines (Odoo 18+)."""


class Product(CanonicalModel):
    """A product as Odoo knows it; the payload of ``crossdock.product.updated.v1``."""

    sku: NonEmptyStr
    """The internal reference (Odoo ``default_code``) every partner uses to name the item."""
    name: NonEmptyStr
    barcode: str | None = Field(default=None, min_length=1)
    """EAN/UPC or internal barcode scanned at receipt and pick, when one is set."""
    uom: UomCode
    """The unit stock is counted in."""
    kind: ProductKind
    storable: bool
    """Whether stock is tracked (on-hand quantities exist), as opposed to consumables."""
    weight: Weight | None = None
    """Weight of one ``uom``, for carrier pre-advice and package weights."""
    active: bool = True
    """False once archived: partners should stop offering the SKU but keep its history."""
    references: list[ExternalRef] = Field(default_factory=list)
