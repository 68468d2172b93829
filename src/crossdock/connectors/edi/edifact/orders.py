"""ORDERS (D96A, D01B) ↔ canonical `PurchaseOrder`, like the X12 850 mapping.

Read: BGM 1004 (order number), DTM 137 (order date) and 2 (delivery requested, header or
line), NAD SU (the vendor, with name and address or looked up by its GLN), CUX (currency),
LIN/PIA/IMD/QTY 21/PRI lines, CNT 2 checked against the lines. NAD BY and DP are read but
the canonical order has no place for them (as the X12 850 leaves out its ship-to).
Written: the same segments, so a read → write → read gives the same order.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from crossdock.canonical.common import Address, Party, Quantity
from crossdock.canonical.purchase import PurchaseOrder, PurchaseOrderLine
from crossdock.connectors.edi.edifact.codes import SyntaxErrorCode
from crossdock.connectors.edi.edifact.errors import EdifactError, Place
from crossdock.connectors.edi.edifact.model import Message
from crossdock.connectors.edi.edifact.syntax import OutSegment, Segment
from crossdock.connectors.edi.edifact.values import (
    DEFAULT_UNIT,
    at,
    build,
    day,
    decimal,
    fmt_decimal,
    fmt_stamp,
    missing,
    stamp,
)

DIRECTORIES = ("D96A", "D01B")
SKU_QUALIFIERS = ("IN", "SA")
"""PIA 7143 preference: the buyer's item number first (as Odoo knows it), then the supplier's."""
GTIN_TYPES = ("EN", "SRV", "UP")
"""LIN 7143 codes for a GTIN: EN (D96A EANCOM), SRV (GS1 from D01B), UP (UPC)."""
PRICE_QUALIFIERS = ("AAA", "AAB")
"""PRI 5125: net calculation price first, then gross."""


@dataclass(frozen=True, slots=True)
class PartnerDefaults:
    """What a partner leaves to master data and the canonical model needs explicitly."""

    parties: Mapping[str, Party] = field(default_factory=dict)
    """Parties by GLN: EANCOM partners send NAD with a GLN only, the address lives elsewhere."""
    currency: str | None = None
    """ISO currency when the order has prices but no CUX."""


@dataclass
class _Line:
    lin: Segment
    ids: dict[str, str] = field(default_factory=dict)
    description: str | None = None
    quantity: Segment | None = None
    prices: dict[str, Segment] = field(default_factory=dict)
    expected: date | None = None


@dataclass
class _Order:
    bgm: Segment | None = None
    ordered: datetime | None = None
    expected: date | None = None
    currency: str | None = None
    parties: dict[str, Segment] = field(default_factory=dict)
    lines: list[_Line] = field(default_factory=list)
    count: Segment | None = None


def _line_segment(line: _Line, segment: Segment) -> None:
    tag, qualifier = segment.tag, segment.value(1, 1)
    if tag == "PIA":
        for element in range(2, 7):
            if segment.value(element, 1) and segment.value(element, 2):
                line.ids.setdefault(segment.value(element, 2), segment.value(element, 1))
    elif tag == "IMD" and segment.value(3, 4):
        line.description = segment.value(3, 4)
    elif tag == "QTY" and qualifier == "21":
        line.quantity = segment
    elif tag == "PRI" and qualifier in PRICE_QUALIFIERS:
        line.prices.setdefault(qualifier, segment)


def _collect(message: Message) -> _Order:
    found = _Order()
    for segment in message.segments:
        tag, qualifier = segment.tag, segment.value(1, 1)
        line = found.lines[-1] if found.lines else None
        if tag == "DTM" and qualifier == "2":
            if line is None:
                found.expected = day(message, segment)
            else:
                line.expected = day(message, segment)
        elif tag == "LIN":
            found.lines.append(_Line(segment))
        elif tag == "CNT" and qualifier == "2":
            found.count = segment
        elif line is not None:
            _line_segment(line, segment)
        elif tag == "BGM":
            found.bgm = segment
        elif tag == "DTM" and qualifier == "137":
            found.ordered = stamp(message, segment)
        elif tag == "NAD":
            found.parties.setdefault(qualifier, segment)
        elif tag == "CUX" and qualifier == "2":
            found.currency = segment.value(1, 2)
    return found


def _vendor(message: Message, order: _Order, defaults: PartnerDefaults) -> Party:
    nad = order.parties.get("SU")
    if nad is None:
        raise missing(message, "NAD", "the supplier, qualified SU")
    gln = nad.value(2, 1)
    if not nad.value(5, 1) and gln in defaults.parties:
        return defaults.parties[gln]
    if not (nad.value(4, 1) and nad.value(5, 1) and nad.value(6) and nad.value(9)):
        raise at(
            message,
            nad,
            5,
            "supplier has no address and its GLN is not known",
            code=SyntaxErrorCode.MISSING,
            expected="name, street, city and country, or a known GLN",
            found=gln,
        )
    return build(
        message,
        lambda: Party(
            name=nad.value(4, 1),
            address=Address(
                line1=nad.value(5, 1),
                line2=nad.value(5, 2) or None,
                city=nad.value(6),
                region=nad.value(7, 1) or None,
                postal_code=nad.value(8) or None,
                country_code=nad.value(9),
            ),
        ),
    )


def _line(message: Message, line: _Line, number: int) -> PurchaseOrderLine:
    lin = line.lin
    if lin.value(3, 1) and lin.value(3, 2) in GTIN_TYPES:
        line.ids.setdefault("GTIN", lin.value(3, 1))
    sku = next((line.ids[q] for q in (*SKU_QUALIFIERS, "GTIN") if q in line.ids), None)
    if sku is None:
        raise at(
            message,
            lin,
            3,
            "line has no product id",
            code=SyntaxErrorCode.MISSING,
            expected="a LIN GTIN or a PIA IN/SA item number",
        )
    if line.quantity is None:
        raise at(
            message,
            lin,
            None,
            "line has no ordered quantity",
            code=SyntaxErrorCode.MISSING,
            expected="QTY 21 after the LIN",
        )
    quantity = decimal(message, line.quantity, 1, 2)
    if quantity is None:
        raise at(
            message,
            line.quantity,
            1,
            "QTY has no value",
            code=SyntaxErrorCode.MISSING,
            expected="a quantity",
            component=2,
        )
    price: Decimal | None = None
    pri = next((line.prices[q] for q in PRICE_QUALIFIERS if q in line.prices), None)
    if pri is not None:
        price = decimal(message, pri, 1, 2)
        basis = decimal(message, pri, 1, 5)
        if price is not None and basis:
            price = price / basis
    unit = line.quantity.value(1, 3) or DEFAULT_UNIT
    return build(
        message,
        lambda: PurchaseOrderLine(
            # LIN 1082 is mandatory, but the ordinal keeps ids unique if a sender omits it.
            line_id=lin.value(1) or str(number),
            sku=sku,
            description=line.description,
            quantity=Quantity(value=quantity, uom=unit),
            unit_price=price,
            expected_date=line.expected,
        ),
    )


def purchase_order_from_orders(
    message: Message, defaults: PartnerDefaults | None = None
) -> PurchaseOrder:
    """Map a checked ORDERS to a `PurchaseOrder`; raises `EdifactError` naming the segment."""
    defaults = defaults or PartnerDefaults()
    ident = message.identifier
    if ident.type != "ORDERS" or ident.directory not in DIRECTORIES:
        raise at(
            message,
            None,
            2,
            "message type or directory not supported",
            code=SyntaxErrorCode.VALUE_NOT_SUPPORTED_IN_POSITION,
            expected="ORDERS D96A or D01B",
            found=f"{ident.type} {ident.directory}",
        )
    order = _collect(message)
    if order.bgm is None or not order.bgm.value(2, 1):
        raise missing(message, "BGM", "with the order number in 1004")
    vendor = _vendor(message, order, defaults)
    lines = [_line(message, line, n) for n, line in enumerate(order.lines, start=1)]
    if order.count is not None and decimal(message, order.count, 1, 2) != len(lines):
        raise at(
            message,
            order.count,
            1,
            "CNT line count differs from the LINs",
            code=SyntaxErrorCode.CONTROL_COUNT_MISMATCH,
            expected=str(len(lines)),
            found=order.count.value(1, 2),
            component=2,
        )
    number = order.bgm.value(2, 1)
    currency = order.currency or defaults.currency
    return build(
        message,
        lambda: PurchaseOrder(
            po_number=number,
            vendor=vendor,
            currency=currency,
            ordered_at=order.ordered,
            expected_date=order.expected,
            lines=lines,
        ),
    )


def purchase_order_to_orders(
    order: PurchaseOrder, *, buyer_gln: str = "", delivery_gln: str = ""
) -> list[OutSegment]:
    """The ORDERS body (between UNH and UNT), EANCOM style, for a canonical order."""
    stamp_ = order.ordered_at or order.confirmed_at
    if stamp_ is None:
        # DTM 137 is mandatory; an invented date would be a false fact in the partner's ERP.
        raise EdifactError(
            "an ORDERS needs the order date",
            place=Place(segment_tag="DTM", element_position=1),
            code=SyntaxErrorCode.MISSING,
            expected="ordered_at or confirmed_at",
        )
    address = order.vendor.address
    out: list[OutSegment] = [
        ["BGM", "220", order.po_number, "9"],
        ["DTM", ["137", *fmt_stamp(stamp_)]],
    ]
    if order.expected_date:
        out.append(["DTM", ["2", order.expected_date.strftime("%Y%m%d"), "102"]])
    if buyer_gln:
        out.append(["NAD", "BY", [buyer_gln, "", "9"]])
    out.append(
        [
            "NAD",
            "SU",
            "",
            "",
            order.vendor.name,
            [address.line1, address.line2 or ""],
            address.city,
            address.region or "",
            address.postal_code or "",
            address.country_code,
        ]
    )
    if delivery_gln:
        out.append(["NAD", "DP", [delivery_gln, "", "9"]])
    if order.currency:
        out.append(["CUX", ["2", order.currency, "9"]])
    for line in order.lines:
        out.append(["LIN", line.line_id])
        out.append(["PIA", "5", [line.sku, "IN"]])
        if line.description:
            out.append(["IMD", "F", "", ["", "", "", line.description]])
        out.append(["QTY", ["21", fmt_decimal(line.quantity.value), line.quantity.uom]])
        if line.expected_date:
            out.append(["DTM", ["2", line.expected_date.strftime("%Y%m%d"), "102"]])
        if line.unit_price is not None:
            out.append(["PRI", ["AAA", fmt_decimal(line.unit_price)]])
    out += [["UNS", "S"], ["CNT", ["2", str(len(order.lines))]]]
    return out
