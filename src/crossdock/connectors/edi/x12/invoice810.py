"""810 invoice ↔ canonical `Invoice` (a vendor bill, for three-way matching).

Read: BIG (date, number, purchase order), CUR, the vendor's N1 loop (SE, else SU, VN, RE,
II), ITD net due date or net days, IT1 lines with PID*F and their TXI, TDS (the total, two
implied decimals) and summary TXI (the tax). Totals are taken as the vendor states them, not
recomputed: a vendor whose lines and total disagree is exactly what the match must see.
Allowances and charges (SAC) are accepted and not mapped yet.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from crossdock.canonical.common import Quantity
from crossdock.canonical.invoice import Invoice, InvoiceDirection, InvoiceLine, InvoiceTotals
from crossdock.connectors.edi.x12.codes import ErrorLevel
from crossdock.connectors.edi.x12.errors import Location, X12Error
from crossdock.connectors.edi.x12.lexer import Segment
from crossdock.connectors.edi.x12.model import TransactionSet
from crossdock.connectors.edi.x12.parties import PartyLoops, party, party_segments
from crossdock.connectors.edi.x12.po850 import SKU_QUALIFIERS, PartnerDefaults
from crossdock.connectors.edi.x12.values import (
    build,
    canonical_unit,
    fmt_date,
    fmt_decimal,
    id_pairs,
    located,
    missing_segment,
    position_of,
    x12_date,
    x12_decimal,
    x12_unit,
)
from crossdock.connectors.edi.x12.writer import OutSegment

VENDOR_ROLES = ("SE", "SU", "VN", "RE", "II")
_IT1_PAIRS = (6, 24)
_CENTS = Decimal(100)
TAX = "TX"
"""TXI01 written for taxes (all taxes); any code is read."""


@dataclass
class _Line:
    it1: tuple[Segment, int]
    description: str | None = None
    tax: Decimal = Decimal(0)


@dataclass
class _Found:
    big: tuple[Segment, int] | None = None
    currency: str | None = None
    itd: tuple[Segment, int] | None = None
    tds: tuple[Segment, int] | None = None
    tax: Decimal = Decimal(0)
    lines: list[_Line] = field(default_factory=list)
    parties: PartyLoops = field(default_factory=PartyLoops)


def _collect(transaction: TransactionSet) -> _Found:
    found = _Found()
    for index, segment in enumerate(transaction.segments):
        tag, position = segment.elements[0], position_of(index)
        if found.parties.feed(segment, position):
            continue
        if tag == "BIG":
            found.big = (segment, position)
        elif tag == "CUR":
            found.currency = segment.element(2) or None
        elif tag == "ITD" and found.itd is None:
            found.itd = (segment, position)
        elif tag == "IT1":
            found.lines.append(_Line((segment, position)))
        elif tag == "PID" and found.lines and segment.element(1) == "F":
            found.lines[-1].description = segment.element(5) or None
        elif tag == "TDS":
            found.tds = (segment, position)
        elif tag == "TXI":
            amount = x12_decimal(transaction, segment, position, 2) or Decimal(0)
            # A TXI inside an IT1 loop taxes that line; one after TDS is the summary's.
            if found.lines and found.tds is None:
                found.lines[-1].tax += amount
            else:
                found.tax += amount
    return found


def _required(
    transaction: TransactionSet, segment: Segment, position: int, element: int, what: str
) -> Decimal:
    value = x12_decimal(transaction, segment, position, element)
    if value is None:
        raise located(
            transaction, segment, position, element, f"line has no {what}", expected=f"a {what}"
        )
    return value


def _line(transaction: TransactionSet, line: _Line, number: int) -> InvoiceLine:
    it1, position = line.it1
    quantity = _required(transaction, it1, position, 2, "quantity")
    price = _required(transaction, it1, position, 4, "unit price")
    unit = it1.element(3)
    if not unit:
        raise located(transaction, it1, position, 3, "line has no unit", expected="a unit code")
    ids = id_pairs(it1, *_IT1_PAIRS)
    subtotal = quantity * price
    return build(
        transaction,
        lambda: InvoiceLine(
            line_id=it1.element(1) or str(number),
            sku=next((ids[q] for q in SKU_QUALIFIERS if q in ids), None),
            description=line.description,
            quantity=Quantity(value=quantity, uom=x12_unit(unit)),
            unit_price=price,
            subtotal=subtotal,
            total=subtotal + line.tax,
        ),
    )


def invoice_from_810(
    transaction: TransactionSet, defaults: PartnerDefaults | None = None
) -> Invoice:
    """Map a checked 810 to a vendor `Invoice`; raises `X12Error` naming the segment."""
    defaults = defaults or PartnerDefaults()
    found = _collect(transaction)
    if found.big is None:
        raise missing_segment(transaction, "BIG")
    if found.tds is None:
        raise missing_segment(transaction, "TDS")
    if not found.lines:
        raise missing_segment(transaction, "IT1")
    vendor_loop = found.parties.first(VENDOR_ROLES)
    if vendor_loop is None:
        raise missing_segment(transaction, "N1")
    vendor = party(transaction, vendor_loop, defaults.country_code)
    big, big_position = found.big
    currency = found.currency or defaults.currency
    if currency is None:
        raise located(
            transaction,
            big,
            big_position,
            None,
            "invoice has no currency",
            expected="a CUR segment or a partner default currency",
        )
    invoiced = x12_date(transaction, big, big_position, 1)
    due = None
    if found.itd is not None:
        itd, itd_position = found.itd
        due = x12_date(transaction, itd, itd_position, 6)
        days = x12_decimal(transaction, itd, itd_position, 7)
        if due is None and days is not None and invoiced is not None:
            due = invoiced + timedelta(days=int(days))
    tds, tds_position = found.tds
    total = (x12_decimal(transaction, tds, tds_position, 1) or Decimal(0)).scaleb(-2)
    lines = [_line(transaction, line, n) for n, line in enumerate(found.lines, 1)]
    tax = found.tax + sum((line.tax for line in found.lines), Decimal(0))
    return build(
        transaction,
        lambda: Invoice(
            number=big.element(2),
            direction=InvoiceDirection.VENDOR,
            partner=vendor,
            origin=big.element(4) or None,
            invoice_date=invoiced,
            due_date=due,
            currency=currency,
            lines=lines,
            totals=InvoiceTotals(untaxed=total - tax, tax=tax, total=total),
        ),
    )


def _cents(value: Decimal, element: str) -> str:
    cents = value * _CENTS
    if cents != cents.to_integral_value():
        # TDS01 is N2: a third decimal would be silently cut by the partner's translator.
        raise X12Error(
            "amount has more than two decimals",
            level=ErrorLevel.ELEMENT,
            location=Location(segment_id=element[:3], element_position=int(element[3:])),
            expected="at most two decimals",
            found=str(value),
        )
    return format(cents.to_integral_value(), "f")


def invoice_to_810(invoice: Invoice) -> list[OutSegment]:
    """The 810 body (between ST and SE) for a canonical invoice, the vendor as N1*SE."""
    segments: list[OutSegment] = [
        ["BIG", fmt_date(invoice.invoice_date), invoice.number, "", invoice.origin or ""],
        ["CUR", "SE", invoice.currency],
        *party_segments("SE", invoice.partner),
    ]
    if invoice.due_date:
        segments.append(["ITD", "", "", "", "", "", fmt_date(invoice.due_date)])
    line_tax = Decimal(0)
    for line in invoice.lines:
        it1 = [
            "IT1",
            line.line_id,
            fmt_decimal(line.quantity.value),
            canonical_unit(line.quantity.uom),
            fmt_decimal(line.unit_price),
        ]
        if line.sku:
            it1 += ["", "BP", line.sku]
        segments.append(it1)
        if line.description:
            segments.append(["PID", "F", "", "", "", line.description])
        tax = line.total - line.subtotal
        if tax:
            segments.append(["TXI", TAX, fmt_decimal(tax)])
            line_tax += tax
    segments.append(["TDS", _cents(invoice.totals.total, "TDS01")])
    rest = invoice.totals.tax - line_tax
    if rest:
        segments.append(["TXI", TAX, fmt_decimal(rest)])
    segments.append(["CTT", str(len(invoice.lines))])
    return segments
