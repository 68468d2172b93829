"""Building blocks shared by the canonical models: addresses, parties, quantities, measures."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field, model_validator

from crossdock.canonical.primitives import (
    CanonicalModel,
    Code,
    CountryCode,
    DecimalString,
    NonEmptyStr,
    NonNegativeDecimal,
    UomCode,
)


class WeightUnit(StrEnum):
    """Weight units as partners send them; values are not converted, so they stay exact."""

    KG = "kg"
    G = "g"
    LB = "lb"
    OZ = "oz"


class LengthUnit(StrEnum):
    """Length units for package dimensions, kept as sent so no rounding happens in transit."""

    MM = "mm"
    CM = "cm"
    M = "m"
    IN = "in"
    FT = "ft"


class Address(CanonicalModel):
    """A postal address in the shape carriers and WMSs agree on, so mappers need no guessing."""

    line1: NonEmptyStr
    line2: str | None = None
    line3: str | None = None
    city: NonEmptyStr
    postal_code: str | None = None
    """Optional because some countries have no postal codes."""
    region: str | None = None
    """State, province or county code where the country uses one (e.g. ``CA``)."""
    country_code: CountryCode


class Party(CanonicalModel):
    """Someone goods are shipped from or to: a contact plus the address carriers need."""

    name: NonEmptyStr
    company: str | None = None
    email: str | None = None
    phone: str | None = None
    address: Address


class ExternalRef(CanonicalModel):
    """An identifier of the same thing in another system, so every side can find its own record."""

    system: Code
    """Which system issued the value, e.g. ``odoo`` or ``acme_wms``."""
    value: NonEmptyStr


class Quantity(CanonicalModel):
    """An amount with its unit of measure, because a number without a unit is ambiguous."""

    value: DecimalString
    uom: UomCode
    """Unit of measure code, preferably UN/ECE Recommendation 20 (``C62`` = one, ``KGM`` = kg)."""


class Weight(CanonicalModel):
    """A weight with an explicit unit, since carriers differ between metric and imperial."""

    value: NonNegativeDecimal
    unit: WeightUnit


class Dimensions(CanonicalModel):
    """Outer dimensions of a package, used by carriers for dimensional-weight pricing."""

    length: NonNegativeDecimal
    width: NonNegativeDecimal
    height: NonNegativeDecimal
    unit: LengthUnit


class LocationRef(CanonicalModel):
    """Where something is: a facility code, a place, or both, as sources give either."""

    code: str | None = Field(default=None, min_length=1)
    """Facility, warehouse or bin code in the system that reported it."""
    name: str | None = None
    city: str | None = None
    region: str | None = None
    postal_code: str | None = None
    country_code: CountryCode | None = None

    @model_validator(mode="after")
    def _not_empty(self) -> LocationRef:
        # An all-empty location carries no information and usually hides a mapping bug.
        if not any((self.code, self.name, self.city, self.postal_code, self.country_code)):
            raise ValueError(
                "location needs at least one of code, name, city, postal_code or country_code"
            )
        return self
