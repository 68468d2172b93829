"""945 warehouse shipping advice ↔ canonical `ShippingAdvice`.

Read: W06 (depositor order number, shipment date, shipment id, purchase order number), N1*ST
(where it went), G62*11 (shipped on, else W0603), W27 (SCAC in W2702), REF*BM or N9*BM (bill
of lading), then per LX: W12 (line status, ordered and shipped quantities, unit, UPC and
product id, lot, weight) with N9*LI (the depositor's line) before or after it. W03 totals are
written, not trusted. A W12 without a unit takes the partner's default unit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from crossdock.canonical.common import Quantity, Weight
from crossdock.canonical.shipping_advice import ShippedLine, ShippingAdvice
from crossdock.connectors.edi.x12.asn856 import WEIGHT_UNITS
from crossdock.connectors.edi.x12.items import item_ids
from crossdock.connectors.edi.x12.lexer import Segment
from crossdock.connectors.edi.x12.model import TransactionSet
from crossdock.connectors.edi.x12.parties import PartyLoops, location, location_segments
from crossdock.connectors.edi.x12.values import (
    build,
    canonical_unit,
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

SHIPPED = "11"
BILL_OF_LADING = "BM"
W12_WEIGHT_UNITS = {"L": "LB", "K": "KG"}
"""W1212 weight unit (element 188): L pounds, K kilograms, mapped to the 856 table's codes."""
_WRITE_WEIGHT = {
    unit: code for code, unit in (("L", WEIGHT_UNITS["LB"]), ("K", WEIGHT_UNITS["KG"]))
}
_W12_PAIRS = (7, 7)
_ORDERED, _SHIPPED, _UNIT, _UPC, _LOT, _WEIGHT, _WEIGHT_UNIT = 2, 3, 5, 6, 9, 10, 12


@dataclass
class _Line:
    number: str
    w12: tuple[Segment, int] | None = None
    line_ref: str | None = None


@dataclass
class _Found:
    w06: tuple[Segment, int] | None = None
    shipped: tuple[Segment, int] | None = None
    carrier: str | None = None
    bill_of_lading: str | None = None
    lines: list[_Line] = field(default_factory=list)
    parties: PartyLoops = field(default_factory=PartyLoops)


def _collect(transaction: TransactionSet) -> _Found:
    found = _Found()
    for index, segment in enumerate(transaction.segments):
        tag, position = segment.elements[0], position_of(index)
        if not found.lines and found.parties.feed(segment, position):
            continue
        current = found.lines[-1] if found.lines else None
        if tag == "W06":
            found.w06 = (segment, position)
        elif tag == "G62" and segment.element(1) == SHIPPED:
            found.shipped = (segment, position)
        elif tag == "W27":
            found.carrier = segment.element(2).lower() or None
        elif tag in ("REF", "N9") and segment.element(1) == BILL_OF_LADING and current is None:
            found.bill_of_lading = found.bill_of_lading or segment.element(2) or None
        elif tag == "LX":
            found.lines.append(_Line(segment.element(1) or str(len(found.lines) + 1)))
        elif tag == "W12":
            if current is None or current.w12 is not None:
                current = _Line(str(len(found.lines) + 1))
                found.lines.append(current)
            current.w12 = (segment, position)
        elif current is not None and tag == "N9" and segment.element(1) == "LI":
            current.line_ref = segment.element(2) or None
    return found


def _weight(transaction: TransactionSet, w12: Segment, position: int) -> Weight | None:
    value = x12_decimal(transaction, w12, position, _WEIGHT)
    if value is None:
        return None
    code = W12_WEIGHT_UNITS.get(w12.element(_WEIGHT_UNIT))
    if code is None:
        raise located(
            transaction,
            w12,
            position,
            _WEIGHT_UNIT,
            "weight unit not supported",
            expected="L or K",
            found=w12.element(_WEIGHT_UNIT),
            code="7",
        )
    return build(transaction, lambda: Weight(value=value, unit=WEIGHT_UNITS[code]))


def _line(transaction: TransactionSet, line: _Line, default_unit: str | None) -> ShippedLine:
    if line.w12 is None:
        raise missing_segment(transaction, "W12")
    w12, position = line.w12
    sku = item_ids(w12, _UPC, _W12_PAIRS).sku
    unit = w12.element(_UNIT) or default_unit
    if sku is None or unit is None:
        element = _UNIT if unit is None else _W12_PAIRS[0]
        raise located(
            transaction,
            w12,
            position,
            element,
            "shipped line has no unit" if unit is None else "shipped line has no product id",
            expected="W1205 or a partner default unit" if unit is None else "a product id",
        )
    uom = x12_unit(unit)
    ordered = x12_decimal(transaction, w12, position, _ORDERED)
    shipped = x12_decimal(transaction, w12, position, _SHIPPED)
    weight = _weight(transaction, w12, position)
    return build(
        transaction,
        lambda: ShippedLine(
            line_id=line.line_ref or line.number,
            sku=sku,
            ordered=Quantity(value=ordered, uom=uom) if ordered is not None else None,
            shipped=Quantity(value=shipped if shipped is not None else Decimal(0), uom=uom),
            status=w12.element(1),
            lot=w12.element(_LOT) or None,
            weight=weight,
        ),
    )


def shipping_advice_from_945(
    transaction: TransactionSet, *, default_unit: str | None = None
) -> ShippingAdvice:
    """Map a checked 945; raises `X12Error` naming the segment and element."""
    found = _collect(transaction)
    if found.w06 is None:
        raise missing_segment(transaction, "W06")
    if not found.lines:
        raise missing_segment(transaction, "W12")
    w06, w06_position = found.w06
    shipped = x12_date(transaction, *found.shipped, 2) if found.shipped else None
    shipped = shipped or x12_date(transaction, w06, w06_position, 3)
    ship_to = found.parties.first(("ST",))
    lines = [_line(transaction, line, default_unit) for line in found.lines]
    where = location(transaction, ship_to) if ship_to is not None else None
    return build(
        transaction,
        lambda: ShippingAdvice(
            shipment_id=w06.element(4),
            fulfillment_id=w06.element(2) or None,
            order_reference=w06.element(6) or None,
            shipped_on=shipped,
            carrier_code=found.carrier,
            bill_of_lading=found.bill_of_lading,
            ship_to=where,
            lines=lines,
        ),
    )


def _w12(line: ShippedLine) -> OutSegment:
    ordered = line.ordered
    weight = line.weight
    out = [
        "W12",
        line.status,
        fmt_decimal(ordered.value) if ordered else "",
        fmt_decimal(line.shipped.value),
        "",
        canonical_unit(line.shipped.uom),
        "",
        "BP",
        line.sku,
        line.lot or "",
    ]
    if weight is not None:
        out += [fmt_decimal(weight.value), "G", _WRITE_WEIGHT[weight.unit]]
    return out


def shipping_advice_to_945(advice: ShippingAdvice) -> list[OutSegment]:
    """The 945 body (between ST and SE) for a canonical shipping advice."""
    segments: list[OutSegment] = [
        [
            "W06",
            "N",
            advice.fulfillment_id or "",
            fmt_date(advice.shipped_on),
            advice.shipment_id,
            "",
            advice.order_reference or "",
        ]
    ]
    if advice.ship_to:
        segments += location_segments("ST", advice.ship_to)
    if advice.bill_of_lading:
        segments.append(["N9", BILL_OF_LADING, advice.bill_of_lading])
    segments.append(["G62", SHIPPED, fmt_date(advice.shipped_on)])
    if advice.carrier_code:
        segments.append(["W27", "M", advice.carrier_code.upper()])
    for number, line in enumerate(advice.lines, 1):
        segments += [["LX", str(number)], ["N9", "LI", line.line_id], _w12(line)]
    total = sum((line.shipped.value for line in advice.lines), Decimal(0))
    segments.append(["W03", fmt_decimal(total)])
    return segments
