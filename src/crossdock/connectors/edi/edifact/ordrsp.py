"""ORDRSP (D96A, D01B) ↔ canonical `PurchaseOrderAcknowledgement`, like the X12 855.

Read: BGM 1004 (the response number) and 1225 (29 accepted, 4 changed, 27 not accepted),
DTM 137 (response date), DTM 2 or 69 (delivery requested or promised, header or line),
RFF ON with its DTM 171 (the buyer's order number and date), CUX, and per LIN its action
code 1229 (5 accepted, 3 changed, 7 not accepted...), PIA ids, QTY 21 (ordered) and 113
(to be delivered, the promise) and PRI. Unknown codes are errors at their element.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType

from crossdock.canonical.purchase_ack import (
    AckLineStatus,
    PurchaseOrderAckLine,
    PurchaseOrderAcknowledgement,
)
from crossdock.connectors.edi.edifact.codes import SyntaxErrorCode
from crossdock.connectors.edi.edifact.lines import (
    SUPPLIER_ID,
    gtin_of,
    item_segments,
    pia_ids,
    qty_segment,
    quantity,
    sku_of,
)
from crossdock.connectors.edi.edifact.model import Message
from crossdock.connectors.edi.edifact.orders import PRICE_QUALIFIERS
from crossdock.connectors.edi.edifact.syntax import OutSegment, Segment
from crossdock.connectors.edi.edifact.values import (
    at,
    build,
    day,
    decimal,
    fmt_decimal,
    missing,
)

A, C, R = AckLineStatus.ACCEPTED, AckLineStatus.CHANGED, AckLineStatus.REJECTED
FUNCTIONS = MappingProxyType({"29": A, "4": C, "27": R, "9": A})
"""BGM 1225: accepted without amendment, change, not accepted, original (no exception)."""
ACTIONS = MappingProxyType({"5": A, "4": A, "3": C, "6": C, "1": C, "7": R, "2": R, "10": R})
"""LIN 1229: accepted, no action, changed, accepted with amendment, added; not accepted,
deleted, not found."""
WRITE_FUNCTION = {A: "29", C: "4", R: "27"}
WRITE_ACTION = {A: "5", C: "3", R: "7"}
DELIVERY = ("2", "69")
ORDERED, PROMISED = "21", "113"


@dataclass
class _Line:
    lin: Segment
    ids: dict[str, str] = field(default_factory=dict)
    quantities: dict[str, Segment] = field(default_factory=dict)
    price: Segment | None = None
    promised: date | None = None


@dataclass
class _Found:
    bgm: Segment | None = None
    issued: date | None = None
    promised: date | None = None
    order: Segment | None = None
    order_date: date | None = None
    currency: str | None = None
    lines: list[_Line] = field(default_factory=list)


def _line_segment(line: _Line, segment: Segment) -> None:
    tag, qualifier = segment.tag, segment.value(1, 1)
    if tag == "PIA":
        pia_ids(segment, line.ids)
    elif tag == "QTY":
        line.quantities.setdefault(qualifier, segment)
    elif tag == "PRI" and qualifier in PRICE_QUALIFIERS and line.price is None:
        line.price = segment


def _header_segment(message: Message, found: _Found, segment: Segment, after_order: bool) -> None:
    tag, qualifier = segment.tag, segment.value(1, 1)
    if tag == "BGM":
        found.bgm = segment
    elif tag == "DTM" and qualifier == "137":
        found.issued = day(message, segment)
    elif tag == "DTM" and qualifier == "171" and after_order:
        found.order_date = day(message, segment)
    elif tag == "CUX" and qualifier == "2":
        found.currency = segment.value(1, 2) or None
    elif tag == "RFF" and qualifier == "ON":
        found.order = segment


def _collect(message: Message) -> _Found:
    found = _Found()
    after_order = False
    for segment in message.segments:
        tag, qualifier = segment.tag, segment.value(1, 1)
        line = found.lines[-1] if found.lines else None
        if tag == "LIN":
            found.lines.append(_Line(segment))
        elif tag == "DTM" and qualifier in DELIVERY:
            if line is None:
                found.promised = found.promised or day(message, segment)
            else:
                line.promised = line.promised or day(message, segment)
        elif line is not None:
            _line_segment(line, segment)
        else:
            _header_segment(message, found, segment, after_order)
        # DTM 171 belongs to the RFF it follows; any other segment ends that group.
        after_order = (tag == "RFF" and qualifier == "ON") or (after_order and tag == "DTM")
    return found


def _code(
    message: Message,
    segment: Segment,
    element: int,
    table: MappingProxyType[str, AckLineStatus],
    what: str,
) -> AckLineStatus:
    value = segment.value(element)
    status = table.get(value)
    if status is None:
        raise at(
            message,
            segment,
            element,
            f"{what} not supported",
            code=SyntaxErrorCode.VALUE_NOT_SUPPORTED_IN_POSITION,
            expected="one of " + ", ".join(sorted(table)),
            found=value,
        )
    return status


def _line(message: Message, line: _Line, header: AckLineStatus) -> PurchaseOrderAckLine:
    lin = line.lin
    raw = lin.value(2)
    status = _code(message, lin, 2, ACTIONS, "line action") if raw else header
    ordered = line.quantities.get(ORDERED)
    promised = line.quantities.get(PROMISED)
    gtin = gtin_of(lin)
    price = decimal(message, line.price, 1, 2) if line.price else None
    return build(
        message,
        lambda: PurchaseOrderAckLine(
            line_id=lin.value(1) or "1",
            sku=sku_of(line.ids, gtin),
            vendor_sku=line.ids.get(SUPPLIER_ID),
            status=status,
            raw_status=raw,
            ordered_quantity=quantity(message, ordered) if ordered else None,
            promised_quantity=quantity(message, promised) if promised else None,
            promised_date=line.promised,
            unit_price=price,
        ),
    )


def acknowledgement_from_ordrsp(message: Message) -> PurchaseOrderAcknowledgement:
    """Map a checked ORDRSP; raises `EdifactError` naming the segment and element."""
    found = _collect(message)
    if found.bgm is None:
        raise missing(message, "BGM", "the response number")
    if found.order is None:
        raise missing(message, "RFF", "the buyer's order number, qualified ON")
    if found.issued is None:
        raise missing(message, "DTM", "the response date, qualified 137")
    bgm, order = found.bgm, found.order
    status = _code(message, bgm, 3, FUNCTIONS, "message function")
    lines = [_line(message, line, status) for line in found.lines]
    return build(
        message,
        lambda: PurchaseOrderAcknowledgement(
            po_number=order.value(1, 2),
            po_date=found.order_date,
            acknowledgement_id=bgm.value(2, 1) or None,
            status=status,
            raw_status=bgm.value(3),
            acknowledged_on=found.issued,
            promised_date=found.promised,
            currency=found.currency,
            lines=lines,
        ),
    )


def _dtm(qualifier: str, value: date) -> OutSegment:
    return ["DTM", [qualifier, value.strftime("%Y%m%d"), "102"]]


def acknowledgement_to_ordrsp(ack: PurchaseOrderAcknowledgement) -> list[OutSegment]:
    """The ORDRSP body (between UNH and UNT), EANCOM style, for a canonical acknowledgement."""
    out: list[OutSegment] = [
        [
            "BGM",
            "231",
            ack.acknowledgement_id or ack.po_number,
            ack.raw_status or WRITE_FUNCTION[ack.status],
        ],
        _dtm("137", ack.acknowledged_on),
    ]
    if ack.promised_date:
        out.append(_dtm("2", ack.promised_date))
    out.append(["RFF", ["ON", ack.po_number]])
    if ack.po_date:
        out.append(_dtm("171", ack.po_date))
    if ack.currency:
        out.append(["CUX", ["2", ack.currency, "9"]])
    for line in ack.lines:
        items = item_segments(line.line_id, line.sku, line.vendor_sku, None)
        items[0] = ["LIN", line.line_id, line.raw_status or WRITE_ACTION[line.status]]
        out += items
        if line.ordered_quantity:
            out.append(qty_segment(ORDERED, line.ordered_quantity))
        if line.promised_quantity:
            out.append(qty_segment(PROMISED, line.promised_quantity))
        if line.promised_date:
            out.append(_dtm("2", line.promised_date))
        if line.unit_price is not None:
            out.append(["PRI", ["AAA", fmt_decimal(line.unit_price)]])
    out += [["UNS", "S"], ["CNT", ["2", str(len(ack.lines))]]]
    return out
