"""Canonical receipt advice: what a warehouse counted in against a delivery, with every
discrepancy it found (short, over, damaged, wrong item).

`Receipt` is the Odoo-side fact "these goods are in stock" and only carries positive
quantities; a warehouse's advice also says what did not arrive or arrived broken, which the
procurement flow needs to validate the receipt, decide the backorder and claim from the
vendor. `ReceiptAdvice.to_receipt` gives the plain `Receipt` for what was actually received.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from pydantic import Field, field_validator, model_validator

from crossdock.canonical.common import ExternalRef, LocationRef, Quantity
from crossdock.canonical.primitives import CanonicalModel, NonEmptyStr
from crossdock.canonical.purchase import Receipt, ReceiptLine


class ReceiptCondition(StrEnum):
    """Why a quantity on a receipt line is an exception."""

    SHORT = "short"
    OVER = "over"
    DAMAGED = "damaged"
    WRONG_ITEM = "wrong_item"
    QUALITY = "quality"
    OTHER = "other"


class ReceiptException(CanonicalModel):
    """A quantity of one line that arrived short, over, damaged or otherwise not as sent."""

    condition: ReceiptCondition
    quantity: Quantity
    raw_code: str
    """The warehouse's own condition code (X12 element 412, EDIFACT 4221), kept verbatim."""
    lot: str | None = Field(default=None, min_length=1)
    reason_code: str | None = Field(default=None, min_length=1)
    """The warehouse's reason (X12 damage reason, element 853), when it gave one."""


class ReceiptAdviceLine(CanonicalModel):
    """One product received, with the quantity counted in good order and its exceptions."""

    line_id: NonEmptyStr
    sku: NonEmptyStr
    vendor_sku: str | None = Field(default=None, min_length=1)
    gtin: str | None = Field(default=None, pattern=r"^[0-9]{8,14}$")
    description: str | None = None
    received: Quantity
    """Counted in; zero when the whole line was short."""
    lot: str | None = Field(default=None, min_length=1)
    purchase_line_id: str | None = Field(default=None, min_length=1)
    """The purchase order line this receipt line answers, when the warehouse quoted it."""
    exceptions: list[ReceiptException] = Field(default_factory=list)

    @field_validator("received")
    @classmethod
    def _not_negative(cls, value: Quantity) -> Quantity:
        if value.value < 0:
            raise ValueError("received quantity cannot be negative")
        return value

    def quantity_of(self, condition: ReceiptCondition) -> Decimal:
        """Total exception quantity of one kind on this line (in the exceptions' units)."""
        return sum(
            (e.quantity.value for e in self.exceptions if e.condition is condition), Decimal(0)
        )


class ReceiptAdvice(CanonicalModel):
    """A warehouse's receipt advice; the payload of ``crossdock.receipt.advised.v1``."""

    receipt_id: NonEmptyStr
    """The warehouse's receipt number."""
    purchase_order_reference: str | None = Field(default=None, min_length=1)
    shipment_reference: str | None = Field(default=None, min_length=1)
    """The ship notice or delivery the goods came with, to match the expected receipt."""
    warehouse: LocationRef
    received_on: date
    lines: list[ReceiptAdviceLine] = Field(min_length=1)
    references: list[ExternalRef] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique_lines(self) -> ReceiptAdvice:
        seen: set[str] = set()
        for line in self.lines:
            if line.line_id in seen:
                raise ValueError(f"duplicate line_id {line.line_id!r}")
            seen.add(line.line_id)
        return self

    def has_discrepancies(self) -> bool:
        return any(line.exceptions for line in self.lines)

    def to_receipt(self, received_at: datetime) -> Receipt:
        """The plain `Receipt` of what was counted in (lines received as zero are left out).

        ``received_at`` is needed because an advice often dates the receipt without a time.
        """
        return Receipt(
            receipt_id=self.receipt_id,
            purchase_order_reference=self.purchase_order_reference,
            warehouse=self.warehouse,
            received_at=received_at,
            lines=[
                ReceiptLine(
                    line_id=line.line_id,
                    sku=line.sku,
                    description=line.description,
                    quantity=line.received,
                    lot=line.lot,
                    purchase_line_id=line.purchase_line_id,
                )
                for line in self.lines
                if line.received.value > 0
            ],
            references=self.references,
        )
