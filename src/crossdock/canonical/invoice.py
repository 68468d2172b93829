"""Canonical invoice: a posted customer invoice or vendor bill, for billing and 3PL reconciliation.

Odoo owns financial truth, so an invoice travels only once it is posted (numbered and
immutable); drafts change too often to be worth announcing.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import Field, model_validator

from crossdock.canonical.common import ExternalRef, Party, Quantity
from crossdock.canonical.primitives import (
    CanonicalModel,
    CurrencyCode,
    DecimalString,
    NonEmptyStr,
)


class InvoiceDirection(StrEnum):
    """Who owes whom: a customer invoice is money in, a vendor bill money out."""

    CUSTOMER = "customer"
    VENDOR = "vendor"


class InvoiceLine(CanonicalModel):
    """One invoiced item; amounts are in the invoice's currency and may be negative (discounts)."""

    line_id: NonEmptyStr
    sku: str | None = None
    """Absent for lines without a product (a free-text fee or a rounding line)."""
    description: str | None = None
    quantity: Quantity
    unit_price: DecimalString
    discount_percent: DecimalString | None = None
    subtotal: DecimalString
    """Line amount without taxes."""
    total: DecimalString
    """Line amount with taxes."""


class InvoiceTotals(CanonicalModel):
    """The invoice's amounts as Odoo computed them; consumers must not recompute them."""

    untaxed: DecimalString
    tax: DecimalString
    total: DecimalString
    amount_due: DecimalString | None = None
    """What is still unpaid when the event was produced."""


class Invoice(CanonicalModel):
    """A posted invoice or bill; the payload of ``crossdock.invoice.posted.v1``."""

    number: NonEmptyStr
    """The legal invoice number, e.g. ``INV/2025/00001``."""
    direction: InvoiceDirection
    partner: Party
    """The customer invoiced, or the vendor who billed."""
    origin: str | None = None
    """The source documents, e.g. ``SO042`` or ``P00007`` (several are comma-separated)."""
    reference: str | None = None
    """The customer's reference, or the vendor's own bill number."""
    invoice_date: date
    due_date: date | None = None
    currency: CurrencyCode
    lines: list[InvoiceLine] = Field(min_length=1)
    totals: InvoiceTotals
    payment_state: str | None = None
    """Odoo's ``payment_state`` as sent (``not_paid``, ``partial``, ``paid``...)."""
    references: list[ExternalRef] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique_lines(self) -> Invoice:
        seen: set[str] = set()
        for line in self.lines:
            if line.line_id in seen:
                raise ValueError(f"duplicate line_id {line.line_id!r}")
            seen.add(line.line_id)
        return self
