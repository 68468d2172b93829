"""INVOIC (D96A, D01B) ↔ canonical `Invoice` (a vendor bill), like the X12 810.

Read: BGM 1004 (invoice number), DTM 137 (invoice date) and 13 (due date), RFF ON (the
purchase order), NAD SU (the vendor, its address or a known GLN), CUX, per LIN: PIA ids,
IMD, QTY 47 (invoiced), PRI AAA/AAB, MOA 203 (line amount, else quantity times price) and a line
MOA 124 (its tax); after UNS: MOA 77 (invoice total, required), 125 or 79 (untaxed), 176
or 124 (tax, else the sum of the lines' taxes) and 9 (amount due). Amounts as stated.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from crossdock.canonical.invoice import Invoice, InvoiceDirection, InvoiceLine, InvoiceTotals
from crossdock.connectors.edi.edifact.codes import SyntaxErrorCode
from crossdock.connectors.edi.edifact.lines import (
    gtin_of,
    item_segments,
    pia_ids,
    qty_segment,
    quantity,
    sku_of,
)
from crossdock.connectors.edi.edifact.model import Message
from crossdock.connectors.edi.edifact.orders import PRICE_QUALIFIERS, PartnerDefaults
from crossdock.connectors.edi.edifact.parties import party_of, party_segment
from crossdock.connectors.edi.edifact.syntax import OutSegment, Segment
from crossdock.connectors.edi.edifact.values import at, build, day, decimal, fmt_decimal, missing

INVOICED = "47"
LINE_AMOUNT, TAX, TOTAL, UNTAXED, LINES_TOTAL, TAX_TOTAL, DUE = (
    "203",
    "124",
    "77",
    "125",
    "79",
    "176",
    "9",
)


@dataclass
class _Line:
    lin: Segment
    ids: dict[str, str] = field(default_factory=dict)
    description: str | None = None
    quantity: Segment | None = None
    price: Segment | None = None
    amounts: dict[str, Segment] = field(default_factory=dict)


@dataclass
class _Found:
    bgm: Segment | None = None
    dates: dict[str, date] = field(default_factory=dict)
    order: str | None = None
    vendor: Segment | None = None
    currency: str | None = None
    lines: list[_Line] = field(default_factory=list)
    summary: dict[str, Segment] = field(default_factory=dict)
    in_summary: bool = False


def _line_segment(line: _Line, segment: Segment) -> None:
    tag, qualifier = segment.tag, segment.value(1, 1)
    if tag == "PIA":
        pia_ids(segment, line.ids)
    elif tag == "IMD" and segment.value(3, 4):
        line.description = segment.value(3, 4)
    elif tag == "QTY" and qualifier == INVOICED:
        line.quantity = segment
    elif tag == "PRI" and qualifier in PRICE_QUALIFIERS and line.price is None:
        line.price = segment
    elif tag == "MOA":
        line.amounts.setdefault(qualifier, segment)


def _collect(message: Message) -> _Found:
    found = _Found()
    for segment in message.segments:
        tag, qualifier = segment.tag, segment.value(1, 1)
        if tag == "UNS":
            found.in_summary = True
        elif found.in_summary:
            if tag == "MOA":
                found.summary.setdefault(qualifier, segment)
        elif tag == "LIN":
            found.lines.append(_Line(segment))
        elif found.lines:
            _line_segment(found.lines[-1], segment)
        elif tag == "BGM":
            found.bgm = segment
        elif tag == "DTM" and qualifier in ("137", "13"):
            found.dates.setdefault(qualifier, day(message, segment))
        elif tag == "RFF" and qualifier == "ON":
            found.order = found.order or segment.value(1, 2) or None
        elif tag == "NAD" and qualifier == "SU":
            found.vendor = found.vendor or segment
        elif tag == "CUX" and qualifier == "2":
            found.currency = segment.value(1, 2) or None
    return found


def _amount(message: Message, segment: Segment | None) -> Decimal | None:
    return decimal(message, segment, 1, 2) if segment is not None else None


def _line(message: Message, line: _Line, number: int) -> InvoiceLine:
    lin = line.lin
    if line.quantity is None or line.price is None:
        raise at(
            message,
            lin,
            None,
            "invoice line needs its quantity and price",
            code=SyntaxErrorCode.MISSING,
            expected="QTY 47 and PRI AAA or AAB after the LIN",
        )
    invoiced = quantity(message, line.quantity)
    price = decimal(message, line.price, 1, 2)
    if price is None:
        raise at(
            message,
            line.price,
            1,
            "price has no value",
            code=SyntaxErrorCode.MISSING,
            expected="PRI 5118",
            component=2,
        )
    subtotal = _amount(message, line.amounts.get(LINE_AMOUNT))
    if subtotal is None:
        subtotal = invoiced.value * price
    tax = _amount(message, line.amounts.get(TAX)) or Decimal(0)
    return build(
        message,
        lambda: InvoiceLine(
            line_id=lin.value(1) or str(number),
            sku=sku_of(line.ids, gtin_of(lin)),
            description=line.description,
            quantity=invoiced,
            unit_price=price,
            subtotal=subtotal,
            total=subtotal + tax,
        ),
    )


def invoice_from_invoic(message: Message, defaults: PartnerDefaults | None = None) -> Invoice:
    """Map a checked INVOIC to a vendor `Invoice`; raises `EdifactError` with the place."""
    defaults = defaults or PartnerDefaults()
    found = _collect(message)
    if found.bgm is None:
        raise missing(message, "BGM", "the invoice number")
    if found.vendor is None:
        raise missing(message, "NAD", "the supplier, qualified SU")
    if "137" not in found.dates:
        raise missing(message, "DTM", "the invoice date, qualified 137")
    if not found.lines:
        raise missing(message, "LIN", "the invoiced items")
    total = _amount(message, found.summary.get(TOTAL))
    if total is None:
        raise missing(message, "MOA", "the invoice total, qualified 77, after UNS")
    currency = found.currency or defaults.currency
    if currency is None:
        raise missing(message, "CUX", "the invoice currency")
    vendor = party_of(message, found.vendor, defaults.parties)
    lines = [_line(message, line, n) for n, line in enumerate(found.lines, 1)]
    line_tax = sum((line.total - line.subtotal for line in lines), Decimal(0))
    summary = found.summary
    tax = _amount(message, summary.get(TAX_TOTAL) or summary.get(TAX))
    tax = line_tax if tax is None else tax
    untaxed = _amount(message, summary.get(UNTAXED) or summary.get(LINES_TOTAL))
    due = _amount(message, summary.get(DUE))
    bgm = found.bgm
    return build(
        message,
        lambda: Invoice(
            number=bgm.value(2, 1),
            direction=InvoiceDirection.VENDOR,
            partner=vendor,
            origin=found.order,
            invoice_date=found.dates["137"],
            due_date=found.dates.get("13"),
            currency=currency,
            lines=lines,
            totals=InvoiceTotals(
                untaxed=total - tax if untaxed is None else untaxed,
                tax=tax,
                total=total,
                amount_due=due,
            ),
        ),
    )


def _moa(qualifier: str, value: Decimal) -> OutSegment:
    return ["MOA", [qualifier, fmt_decimal(value)]]


def invoice_to_invoic(invoice: Invoice) -> list[OutSegment]:
    """The INVOIC body (between UNH and UNT), EANCOM style, the vendor as NAD SU."""
    out: list[OutSegment] = [
        ["BGM", "380", invoice.number, "9"],
        ["DTM", ["137", invoice.invoice_date.strftime("%Y%m%d"), "102"]],
    ]
    if invoice.due_date:
        out.append(["DTM", ["13", invoice.due_date.strftime("%Y%m%d"), "102"]])
    if invoice.origin:
        out.append(["RFF", ["ON", invoice.origin]])
    out += [party_segment("SU", invoice.partner), ["CUX", ["2", invoice.currency, "4"]]]
    for line in invoice.lines:
        out += item_segments(line.line_id, line.sku, None, None)
        if line.description:
            out.append(["IMD", "F", "", ["", "", "", line.description]])
        out += [
            qty_segment(INVOICED, line.quantity),
            _moa(LINE_AMOUNT, line.subtotal),
            ["PRI", ["AAA", fmt_decimal(line.unit_price)]],
        ]
        if line.total != line.subtotal:
            out.append(_moa(TAX, line.total - line.subtotal))
    totals = invoice.totals
    out += [
        ["UNS", "S"],
        ["CNT", ["2", str(len(invoice.lines))]],
        _moa(TOTAL, totals.total),
        _moa(UNTAXED, totals.untaxed),
        _moa(TAX_TOTAL, totals.tax),
    ]
    if totals.amount_due is not None:
        out.append(_moa(DUE, totals.amount_due))
    return out
