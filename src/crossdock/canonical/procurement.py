"""Canonical procurement exceptions: what the procurement flow could not settle between an
order, its acknowledgement, ship notice, receipt and invoice; the payload of
``crossdock.purchase_order.exception_raised.v1``."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from crossdock.canonical.primitives import CanonicalModel, NonEmptyStr


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
