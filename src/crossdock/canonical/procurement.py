"""Canonical procurement events between the orders and the receipts: what a supplier answers
to an order, and what the procurement flow raises when something does not match.

The acknowledgement is the payload of ``crossdock.purchase_order.acknowledged.v1`` (X12 855,
EDIFACT ORDRSP); the exception that of ``crossdock.purchase_order.exception_raised.v1``.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import Field

from crossdock.canonical.common import Quantity
from crossdock.canonical.primitives import CanonicalModel, NonEmptyStr, NonNegativeDecimal


class AckStatus(StrEnum):
    """The supplier's answer to the whole order (X12 BAK02, EDIFACT BGM 1225)."""

    ACCEPTED = "accepted"
    ACCEPTED_WITH_CHANGES = "accepted_with_changes"
    REJECTED = "rejected"


class AckLineStatus(StrEnum):
    """The answer for one line (X12 ACK01, EDIFACT LIN 1229)."""

    ACCEPTED = "accepted"
    CHANGED = "changed"
    """Accepted with another quantity, date or price: the line's values say which."""
    BACKORDERED = "backordered"
    REJECTED = "rejected"


class AcknowledgedLine(CanonicalModel):
    line_id: NonEmptyStr
    """The purchase order line the supplier answers (the line id it was sent with)."""
    sku: str | None = None
    status: AckLineStatus
    quantity: Quantity | None = None
    """The quantity the supplier will deliver; absent means as ordered."""
    unit_price: NonNegativeDecimal | None = None
    promised_date: date | None = None


class PurchaseOrderAcknowledgement(CanonicalModel):
    po_number: NonEmptyStr
    status: AckStatus
    acknowledged_on: date | None = None
    vendor_reference: str | None = None
    """The supplier's own order number for the purchase order."""
    promised_date: date | None = None
    lines: list[AcknowledgedLine] = Field(default_factory=list)


class ProcurementExceptionKind(StrEnum):
    LINE_REJECTED = "line_rejected"
    LINE_CHANGED = "line_changed"
    ORDER_REJECTED = "order_rejected"
    UNKNOWN_LINE = "unknown_line"
    SHORT = "short"
    OVER = "over"
    DAMAGED = "damaged"
    WRONG_ITEM = "wrong_item"
    INVOICE_MISMATCH = "invoice_mismatch"


class ProcurementIssue(CanonicalModel):
    """One difference found, on one line where it concerns a line."""

    kind: ProcurementExceptionKind
    line_id: str | None = None
    sku: str | None = None
    expected: str | None = None
    found: str | None = None
    detail: NonEmptyStr


class ProcurementException(CanonicalModel):
    """What the procurement flow could not settle on its own and a buyer must look at."""

    po_number: NonEmptyStr
    step: NonEmptyStr = Field(pattern=r"^(acknowledgement|ship_notice|receipt|invoice)$")
    document: NonEmptyStr
    """The supplier's document that raised it (acknowledgement, notice, receipt or invoice id)."""
    supplier: str | None = None
    issues: list[ProcurementIssue] = Field(min_length=1)
