"""944 warehouse stock transfer receipt advice ↔ canonical `ReceiptAdvice`.

Read: W17 (reporting code, date, receipt number, depositor order number, shipment id), the
N1*WH warehouse, header N9*PO, then per line (LX, or each W07 when the warehouse sends no
LX): W07 quantity, unit, UPC, product ids and lot, G69 description, N9*LT lot and N9*LI
purchase order line, and W13 exceptions with their receiving condition code (element 412).
W14 totals are written but not trusted on read: real files disagree with their own lines.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from types import MappingProxyType

from crossdock.canonical.common import Quantity
from crossdock.canonical.receipt_advice import (
    ReceiptAdvice,
    ReceiptAdviceLine,
    ReceiptCondition,
    ReceiptException,
)
from crossdock.connectors.edi.x12.codes import ErrorLevel
from crossdock.connectors.edi.x12.errors import Location, X12Error
from crossdock.connectors.edi.x12.items import ITEM_QUALIFIERS, item_ids
from crossdock.connectors.edi.x12.lexer import Segment
from crossdock.connectors.edi.x12.model import TransactionSet
from crossdock.connectors.edi.x12.parties import (
    PartyLoops,
    location,
    location_segments,
)
from crossdock.connectors.edi.x12.values import (
    build,
    canonical_unit,
    code_of,
    fmt_date,
    fmt_decimal,
    located,
    missing_segment,
    position_of,
    x12_date,
    x12_decimal,
    x12_unit,
)
from crossdock.connectors.edi.x12.writer import OutSegment

CONDITIONS = MappingProxyType(
    {
        "01": ReceiptCondition.DAMAGED,  # damaged product or container
        "02": ReceiptCondition.SHORT,  # quantity short
        "03": ReceiptCondition.OVER,  # quantity over
        "04": ReceiptCondition.QUALITY,  # quality problem
        "05": ReceiptCondition.WRONG_ITEM,  # incorrect product
        "06": ReceiptCondition.OTHER,  # non-standard container
        "08": ReceiptCondition.QUALITY,  # rejected
        "09": ReceiptCondition.OTHER,  # hold
        "10": ReceiptCondition.DAMAGED,  # material scrapped
        "12": ReceiptCondition.OVER,  # quantity over, returned to supplier
    }
)
"""Receiving condition codes (X12 element 412) to the canonical conditions."""
WRITE_CONDITION = {
    ReceiptCondition.DAMAGED: "01",
    ReceiptCondition.SHORT: "02",
    ReceiptCondition.OVER: "03",
    ReceiptCondition.QUALITY: "04",
    ReceiptCondition.WRONG_ITEM: "05",
    ReceiptCondition.OTHER: "06",
}
GTIN_BY_LENGTH = {8: "EN", 13: "EN", 14: "UK"}
_W07_PAIR_SLOTS = 4
_UPC_LENGTH = 12
_W07_PAIRS = (4, 6)
_LOT = "LT"
_PO_LINE = "LI"
_PO = "PO"


@dataclass
class _Line:
    number: str
    w07: tuple[Segment, int] | None = None
    description: str | None = None
    lot: str | None = None
    purchase_line: str | None = None
    exceptions: list[tuple[Segment, int]] = field(default_factory=list)


@dataclass
class _Found:
    w17: tuple[Segment, int] | None = None
    order: str | None = None
    lines: list[_Line] = field(default_factory=list)
    parties: PartyLoops = field(default_factory=PartyLoops)


def _collect(transaction: TransactionSet) -> _Found:
    found = _Found()
    open_lx = False
    for index, segment in enumerate(transaction.segments):
        tag, position = segment.elements[0], position_of(index)
        if not found.lines and found.parties.feed(segment, position):
            continue
        current = found.lines[-1] if found.lines else None
        if tag == "W17":
            found.w17 = (segment, position)
        elif tag == "LX":
            found.lines.append(_Line(segment.element(1) or str(len(found.lines) + 1)))
            open_lx = True
        elif tag == "W07":
            if current is None or current.w07 is not None or not open_lx:
                current = _Line(str(len(found.lines) + 1))
                found.lines.append(current)
            current.w07 = (segment, position)
            open_lx = False
        elif current is None:
            if tag == "N9" and segment.element(1) == _PO:
                found.order = found.order or segment.element(2) or None
        elif tag == "G69":
            current.description = segment.element(1) or None
        elif tag == "N9" and segment.element(1) == _LOT:
            current.lot = current.lot or segment.element(2) or None
        elif tag == "N9" and segment.element(1) == _PO_LINE:
            current.purchase_line = segment.element(2) or None
        elif tag == "W13":
            current.exceptions.append((segment, position))
    return found


def _exception(transaction: TransactionSet, segment: Segment, position: int) -> ReceiptException:
    condition = code_of(transaction, segment, position, 3, CONDITIONS, "receiving condition")
    quantity = x12_decimal(transaction, segment, position, 1)
    unit = x12_unit(segment.element(2))
    return build(
        transaction,
        lambda: ReceiptException(
            condition=condition,
            quantity=Quantity(value=quantity, uom=unit),
            raw_code=segment.element(3),
            lot=segment.element(4) or None,
            reason_code=segment.element(5) or None,
        ),
    )


def _line(transaction: TransactionSet, line: _Line) -> ReceiptAdviceLine:
    if line.w07 is None:
        raise missing_segment(transaction, "W07")
    w07, position = line.w07
    sku, gtin, ids = item_ids(w07, 3, _W07_PAIRS)
    if sku is None:
        raise located(
            transaction,
            w07,
            position,
            4,
            "received item has no product id",
            expected="a UPC in W0703 or a product id qualified " + "/".join(ITEM_QUALIFIERS),
        )
    received = x12_decimal(transaction, w07, position, 1)
    unit = x12_unit(w07.element(2))
    exceptions = [_exception(transaction, s, p) for s, p in line.exceptions]
    return build(
        transaction,
        lambda: ReceiptAdviceLine(
            line_id=line.number,
            sku=sku,
            vendor_sku=ids.get("VN"),
            gtin=gtin,
            description=line.description,
            received=Quantity(value=received, uom=unit),
            lot=w07.element(8) or line.lot,
            purchase_line_id=line.purchase_line,
            exceptions=exceptions,
        ),
    )


def receipt_advice_from_944(transaction: TransactionSet) -> ReceiptAdvice:
    """Map a checked 944; raises `X12Error` naming the segment and element."""
    found = _collect(transaction)
    if found.w17 is None:
        raise missing_segment(transaction, "W17")
    warehouse = found.parties.first(("WH",))
    if warehouse is None:
        raise missing_segment(transaction, "N1")
    if not found.lines:
        raise missing_segment(transaction, "W07")
    w17, w17_position = found.w17
    received = x12_date(transaction, w17, w17_position, 2)
    lines = [_line(transaction, line) for line in found.lines]
    where = location(transaction, warehouse)
    return build(
        transaction,
        lambda: ReceiptAdvice(
            receipt_id=w17.element(3),
            purchase_order_reference=w17.element(4) or found.order,
            shipment_reference=w17.element(5) or None,
            warehouse=where,
            received_on=received,
            lines=lines,
        ),
    )


def _w07(line: ReceiptAdviceLine) -> OutSegment:
    gtin = line.gtin
    upc = gtin if gtin and len(gtin) == _UPC_LENGTH else ""
    pairs: list[str] = []
    if line.sku != gtin or line.vendor_sku:
        pairs += ["BP", line.sku]
    if line.vendor_sku:
        pairs += ["VN", line.vendor_sku]
    if gtin and not upc:
        pairs += [GTIN_BY_LENGTH.get(len(gtin), "UK"), gtin]
    if len(pairs) > _W07_PAIR_SLOTS:
        raise X12Error(
            "W07 holds two product ids besides the 12-digit UPC",
            level=ErrorLevel.SEGMENT,
            location=Location(segment_id="W07", element_position=4),
            expected="sku, vendor sku or a 12-digit GTIN",
            found=gtin,
        )
    out = [
        "W07",
        fmt_decimal(line.received.value),
        canonical_unit(line.received.uom),
        upc,
        *pairs,
    ]
    if line.lot:
        out += [""] * (8 - len(out)) + [line.lot]
    return out


def receipt_advice_to_944(advice: ReceiptAdvice) -> list[OutSegment]:
    """The 944 body (between ST and SE) for a canonical receipt advice."""
    segments: list[OutSegment] = [
        [
            "W17",
            "F" if not advice.has_discrepancies() else "X",
            fmt_date(advice.received_on),
            advice.receipt_id,
            advice.purchase_order_reference or "",
            advice.shipment_reference or "",
        ],
        *location_segments("WH", advice.warehouse),
    ]
    for number, line in enumerate(advice.lines, 1):
        lx = line.line_id if line.line_id.isdigit() and len(line.line_id) <= 6 else str(number)
        segments += [["LX", lx], _w07(line)]
        if line.description:
            segments.append(["G69", line.description])
        if line.purchase_line_id:
            segments.append(["N9", _PO_LINE, line.purchase_line_id])
        segments += [
            [
                "W13",
                fmt_decimal(e.quantity.value),
                canonical_unit(e.quantity.uom),
                e.raw_code or WRITE_CONDITION[e.condition],
                e.lot or "",
                e.reason_code or "",
            ]
            for e in line.exceptions
        ]
    total = sum((line.received.value for line in advice.lines), Decimal(0))
    segments.append(["W14", fmt_decimal(total)])
    return segments
