"""Canonical purchase order acknowledgement: the vendor's answer to a purchase order.

A `PurchaseOrder` says what was asked; the acknowledgement says, line by line, what the
vendor will deliver and when. The procurement flow compares the two to update promised
dates and quantities and to raise an exception for every changed or rejected line, so the
vendor's own status code travels verbatim beside the normalised one.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import Field, model_validator

from crossdock.canonical.common import ExternalRef, Quantity
from crossdock.canonical.primitives import (
    CanonicalModel,
    CurrencyCode,
    NonEmptyStr,
    NonNegativeDecimal,
)


class AckLineStatus(StrEnum):
    """What the vendor did with one line (or the whole order)."""

    ACCEPTED = "accepted"
    CHANGED = "changed"
    """Accepted with a different quantity, date, price or product: needs a buyer's look."""
    REJECTED = "rejected"


class PurchaseOrderAckLine(CanonicalModel):
    """The vendor's answer for one purchase order line."""

    line_id: NonEmptyStr
    """The purchase order line the vendor answers (its own numbering when it sent none)."""
    sku: NonEmptyStr | None = None
    vendor_sku: str | None = Field(default=None, min_length=1)
    status: AckLineStatus
    raw_status: str
    """The vendor's own line status code (X12 element 668, EDIFACT 1229), empty when none."""
    ordered_quantity: Quantity | None = None
    """The quantity as the vendor read it from the order."""
    promised_quantity: Quantity | None = None
    """What the vendor will deliver; None means as ordered."""
    promised_date: date | None = None
    unit_price: NonNegativeDecimal | None = None


class PurchaseOrderAcknowledgement(CanonicalModel):
    """A vendor's acknowledgement of a purchase order; the payload of
    ``crossdock.purchase_order.acknowledged.v1``."""

    po_number: NonEmptyStr
    """The buyer's purchase order number the vendor answers."""
    po_date: date | None = None
    """The purchase order's date as the vendor quotes it."""
    acknowledgement_id: str | None = Field(default=None, min_length=1)
    """The vendor's own number for this acknowledgement or its sales order."""
    status: AckLineStatus
    raw_status: str
    """The vendor's header code (X12 BAK02, EDIFACT BGM 1225), kept verbatim."""
    acknowledged_on: date
    promised_date: date | None = None
    """The delivery date promised for the whole order, when given at header level."""
    currency: CurrencyCode | None = None
    lines: list[PurchaseOrderAckLine] = Field(default_factory=list)
    """Empty when the vendor acknowledged without detail."""
    references: list[ExternalRef] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique_lines(self) -> PurchaseOrderAcknowledgement:
        seen: set[str] = set()
        for line in self.lines:
            if line.line_id in seen:
                raise ValueError(f"duplicate line_id {line.line_id!r}")
            seen.add(line.line_id)
        return self

    def exceptions(self) -> list[PurchaseOrderAckLine]:
        """The lines a buyer must look at: changed or rejected."""
        return [line for line in self.lines if line.status is not AckLineStatus.ACCEPTED]
