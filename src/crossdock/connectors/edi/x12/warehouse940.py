"""940 warehouse shipping order ↔ canonical `FulfillmentRequest`.

Read: W05 (depositor order number as the fulfillment id, purchase order as the order
reference), N1 loops WH (the warehouse), ST or CN (ship-to, with address), SF (ship-from,
when it has one), G62*10 (requested ship date), W66 (W6605 routing as service level, W6610
SCAC as carrier), then per LX (or per W01): W01 quantity, unit, UPC and product ids, G69
description, N9*LI the depositor's line number. Written: the same segments.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from crossdock.canonical.carrier import FulfillmentLine, FulfillmentRequest
from crossdock.canonical.common import Quantity
from crossdock.connectors.edi.x12.items import ITEM_QUALIFIERS, item_ids
from crossdock.connectors.edi.x12.lexer import Segment
from crossdock.connectors.edi.x12.model import TransactionSet
from crossdock.connectors.edi.x12.parties import (
    PartyLoops,
    location,
    location_segments,
    party,
    party_segments,
)
from crossdock.connectors.edi.x12.po850 import PartnerDefaults
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

SHIP_TO = ("ST", "CN")
REQUESTED_SHIP = "10"
_W01_PAIRS = (4, 6)
_SCAC, _ROUTING = 10, 5


@dataclass
class _Line:
    number: str
    w01: tuple[Segment, int] | None = None
    description: str | None = None
    line_ref: str | None = None


@dataclass
class _Found:
    w05: tuple[Segment, int] | None = None
    ship_date: tuple[Segment, int] | None = None
    w66: Segment | None = None
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
        if tag == "W05":
            found.w05 = (segment, position)
        elif tag == "G62" and segment.element(1) == REQUESTED_SHIP:
            found.ship_date = (segment, position)
        elif tag == "W66":
            found.w66 = segment
        elif tag == "LX":
            found.lines.append(_Line(segment.element(1) or str(len(found.lines) + 1)))
            open_lx = True
        elif tag == "W01":
            if current is None or current.w01 is not None or not open_lx:
                current = _Line(str(len(found.lines) + 1))
                found.lines.append(current)
            current.w01 = (segment, position)
            open_lx = False
        elif current is not None and tag == "G69":
            current.description = segment.element(1) or None
        elif current is not None and tag == "N9" and segment.element(1) == "LI":
            current.line_ref = segment.element(2) or None
    return found


def _line(transaction: TransactionSet, line: _Line) -> FulfillmentLine:
    if line.w01 is None:
        raise missing_segment(transaction, "W01")
    w01, position = line.w01
    sku = item_ids(w01, 3, _W01_PAIRS).sku
    if sku is None:
        raise located(
            transaction,
            w01,
            position,
            4,
            "item to ship has no product id",
            expected="a UPC in W0103 or a product id qualified " + "/".join(ITEM_QUALIFIERS),
        )
    quantity = x12_decimal(transaction, w01, position, 1)
    unit = x12_unit(w01.element(2))
    return build(
        transaction,
        lambda: FulfillmentLine(
            line_id=line.line_ref or line.number,
            sku=sku,
            description=line.description,
            quantity=Quantity(value=quantity, uom=unit),
        ),
    )


def fulfillment_from_940(
    transaction: TransactionSet, defaults: PartnerDefaults | None = None
) -> FulfillmentRequest:
    """Map a checked 940; raises `X12Error` naming the segment and element."""
    defaults = defaults or PartnerDefaults()
    found = _collect(transaction)
    if found.w05 is None:
        raise missing_segment(transaction, "W05")
    warehouse = found.parties.first(("WH",))
    ship_to = found.parties.first(SHIP_TO)
    if warehouse is None or ship_to is None:
        raise missing_segment(transaction, "N1")
    if not found.lines:
        raise missing_segment(transaction, "W01")
    w05, _ = found.w05
    ship_from = found.parties.first(("SF",))
    requested = x12_date(transaction, *found.ship_date, 2) if found.ship_date else None
    w66 = found.w66
    carrier = w66.element(_SCAC).lower() if w66 is not None and w66.element(_SCAC) else None
    service = (w66.element(_ROUTING) or None) if w66 is not None else None
    lines = [_line(transaction, line) for line in found.lines]
    where = location(transaction, warehouse)
    to = party(transaction, ship_to, defaults.country_code)
    origin = (
        party(transaction, ship_from, defaults.country_code)
        if ship_from is not None and ship_from.n3 is not None
        else None
    )
    return build(
        transaction,
        lambda: FulfillmentRequest(
            fulfillment_id=w05.element(2),
            order_reference=w05.element(3) or None,
            warehouse=where,
            ship_from=origin,
            ship_to=to,
            carrier_code=carrier,
            service_level=service,
            requested_ship_date=requested,
            lines=lines,
        ),
    )


def fulfillment_to_940(request: FulfillmentRequest) -> list[OutSegment]:
    """The 940 body (between ST and SE) for a canonical fulfillment request."""
    segments: list[OutSegment] = [
        ["W05", "N", request.fulfillment_id, request.order_reference or ""],
        *location_segments("WH", request.warehouse),
        *party_segments("ST", request.ship_to),
    ]
    if request.ship_from:
        segments += party_segments("SF", request.ship_from)
    if request.requested_ship_date:
        segments.append(["G62", REQUESTED_SHIP, fmt_date(request.requested_ship_date)])
    if request.carrier_code or request.service_level:
        w66 = ["W66", "PP", "M", "", "", request.service_level or "", "", "", "", ""]
        segments.append([*w66, (request.carrier_code or "").upper()])
    for number, line in enumerate(request.lines, 1):
        segments += [
            ["LX", str(number)],
            [
                "W01",
                fmt_decimal(line.quantity.value),
                canonical_unit(line.quantity.uom),
                "",
                "BP",
                line.sku,
            ],
        ]
        if line.description:
            segments.append(["G69", line.description])
        segments.append(["N9", "LI", line.line_id])
    total = sum((line.quantity.value for line in request.lines), Decimal(0))
    segments.append(["W76", fmt_decimal(total)])
    return segments
