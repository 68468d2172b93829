"""Shared field types and the base class that every canonical model builds on."""

from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal
from typing import Annotated

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    PlainSerializer,
    StringConstraints,
    WithJsonSchema,
)

DECIMAL_PATTERN = r"^-?(0|[1-9][0-9]*)(\.[0-9]+)?$"
NON_NEGATIVE_DECIMAL_PATTERN = r"^(0|[1-9][0-9]*)(\.[0-9]+)?$"
_DECIMAL_RE = re.compile(DECIMAL_PATTERN)


class CanonicalModel(BaseModel):
    """Base for canonical payloads: unknown fields are errors and events are immutable facts."""

    # Forbidding extras turns a mapper's typo into an error instead of silently lost data;
    # attribute docstrings become field descriptions in the exported JSON Schemas.
    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)


def _parse_decimal(value: object) -> object:
    # JSON numbers are rejected because most JSON stacks read them as binary floats and
    # lose exactness; accepting only strings keeps Python and the JSON Schema in agreement.
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError("decimal value must be finite")
        return value
    if isinstance(value, str):
        if not _DECIMAL_RE.fullmatch(value):
            raise ValueError(
                f"decimal value {value!r} must be a plain decimal string such as '12' or '-3.50'"
            )
        return Decimal(value)
    raise ValueError(
        f"decimal values must be given as strings such as '12.50', not {type(value).__name__}"
    )


def _format_decimal(value: Decimal) -> str:
    # Fixed-point notation never produces exponents ("1E+2"), and the scale is kept
    # because trailing zeros can matter (a price of "1.50" in a 2-decimal currency).
    return format(value, "f")


def _require_non_negative(value: Decimal) -> Decimal:
    if value < 0:
        raise ValueError(f"value must not be negative, got {_format_decimal(value)}")
    # "-0" would otherwise serialize with a sign that the schema pattern does not allow.
    return abs(value) if value == 0 else value


DecimalString = Annotated[
    Decimal,
    BeforeValidator(_parse_decimal),
    PlainSerializer(_format_decimal, return_type=str, when_used="json"),
    WithJsonSchema({"type": "string", "pattern": DECIMAL_PATTERN}),
]
"""An exact decimal that travels in JSON as a string, e.g. ``"12.50"``."""

NonNegativeDecimal = Annotated[
    Decimal,
    BeforeValidator(_parse_decimal),
    AfterValidator(_require_non_negative),
    PlainSerializer(_format_decimal, return_type=str, when_used="json"),
    WithJsonSchema({"type": "string", "pattern": NON_NEGATIVE_DECIMAL_PATTERN}),
]
"""A decimal string that may not be negative (weights, prices, dimensions)."""


def _require_whole_minute_offset(value: datetime) -> datetime:
    offset = value.utcoffset()
    # RFC 3339 offsets have minute precision; historical zones with second offsets
    # would serialize to something other systems cannot parse.
    if offset is not None and offset.total_seconds() % 60:
        raise ValueError("timezone offset must be a whole number of minutes (RFC 3339)")
    return value


Timestamp = Annotated[AwareDatetime, AfterValidator(_require_whole_minute_offset)]
"""A timezone-aware instant; naive datetimes are rejected because their meaning is a guess."""

NonEmptyStr = Annotated[str, StringConstraints(min_length=1)]
"""Free text that must not be empty."""

Code = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_.-]{0,63}$")]
"""A Crossdock identifier for a carrier, partner or system: lowercase, e.g. ``dhl_express``."""

UomCode = Annotated[str, StringConstraints(pattern=r"^[A-Z0-9]{1,8}$")]
"""A unit of measure code, preferably UN/ECE Recommendation 20 (``C62``, ``KGM``, ``MTR``)."""

CountryCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]
"""An ISO 3166-1 alpha-2 country code, e.g. ``NL``."""

CurrencyCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
"""An ISO 4217 currency code, e.g. ``EUR``."""
