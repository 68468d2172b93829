"""Canonical inventory balance: how much of a SKU a location holds at a point in time."""

from __future__ import annotations

from pydantic import field_validator, model_validator

from crossdock.canonical.common import LocationRef
from crossdock.canonical.primitives import (
    CanonicalModel,
    DecimalString,
    NonEmptyStr,
    Timestamp,
    UomCode,
)


class InventoryBalance(CanonicalModel):
    """A stock snapshot; the payload of ``crossdock.inventory.balance_reported.v1``.

    The quantities share one ``uom`` so they can never be reported in mixed units.
    They may be negative because some warehouses allow overselling and report it.
    """

    sku: NonEmptyStr
    location: LocationRef
    """Where the stock is; ``location.code`` is required to tell warehouses apart."""
    uom: UomCode
    on_hand: DecimalString
    """Physically present, including stock that is reserved."""
    available: DecimalString | None = None
    """Free to promise to new orders."""
    reserved: DecimalString | None = None
    """Allocated to orders but not yet shipped."""
    as_of: Timestamp
    """When the warehouse counted; older snapshots must not overwrite newer ones."""

    @field_validator("location")
    @classmethod
    def _location_has_code(cls, value: LocationRef) -> LocationRef:
        if value.code is None:
            raise ValueError("inventory location needs a code (warehouse or bin)")
        return value

    @model_validator(mode="after")
    def _has_split(self) -> InventoryBalance:
        # Warehouses report either the free or the allocated part; with neither the
        # balance cannot drive availability in Odoo.
        if self.available is None and self.reserved is None:
            raise ValueError("inventory balance needs available, reserved or both")
        return self
