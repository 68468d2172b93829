"""855 purchase order acknowledgement ↔ canonical `PurchaseOrderAcknowledgement`.

Read: BAK (type, PO number and date, the vendor's order number, BAK09 acknowledgement
date, else BAK04), CUR, header DTM delivery dates, PO1 lines with their ACK (status,
promised quantity and date) and line DTM. A line without ACK takes the header's verdict;
an unknown BAK02 or ACK01 code is an error at that element rather than a guess.
Written: the same segments, so read → write → read gives the same acknowledgement.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from crossdock.canonical.common import Quantity
from crossdock.canonical.purchase_ack import (
    AckLineStatus,
    PurchaseOrderAckLine,
    PurchaseOrderAcknowledgement,
)
from crossdock.connectors.edi.x12.codes855 import (
    ACK_TYPES,
    DEFAULT_ACK_TYPE,
    DEFAULT_LINE_STATUS,
    DELIVERY_DATES,
    LINE_STATUSES,
    PROMISED_DELIVERY,
)
from crossdock.connectors.edi.x12.lexer import Segment
from crossdock.connectors.edi.x12.model import TransactionSet
from crossdock.connectors.edi.x12.po850 import SKU_QUALIFIERS
from crossdock.connectors.edi.x12.values import (
    build,
    canonical_unit,
    code_of,
    fmt_date,
    fmt_decimal,
    id_pairs,
    missing_segment,
    position_of,
    x12_date,
    x12_decimal,
    x12_unit,
)
from crossdock.connectors.edi.x12.writer import OutSegment

_PO1_PAIRS = (6, 24)
_ACK_PAIRS = (7, 27)


@dataclass
class _Line:
    po1: tuple[Segment, int]
    ack: tuple[Segment, int] | None = None
    dates: dict[str, date | None] = field(default_factory=dict)


@dataclass
class _Found:
    bak: tuple[Segment, int] | None = None
    currency: str | None = None
    dates: dict[str, date | None] = field(default_factory=dict)
    lines: list[_Line] = field(default_factory=list)


def _collect(transaction: TransactionSet) -> _Found:
    found = _Found()
    for index, segment in enumerate(transaction.segments):
        tag, position = segment.elements[0], position_of(index)
        if tag == "BAK":
            found.bak = (segment, position)
        elif tag == "CUR":
            found.currency = segment.element(2) or None
        elif tag == "PO1":
            found.lines.append(_Line((segment, position)))
        elif tag == "ACK" and found.lines and found.lines[-1].ack is None:
            found.lines[-1].ack = (segment, position)
        elif tag == "DTM" and segment.element(1) in DELIVERY_DATES:
            target = found.lines[-1].dates if found.lines else found.dates
            target.setdefault(segment.element(1), x12_date(transaction, segment, position, 2))
    return found


def _first_date(dates: dict[str, date | None]) -> date | None:
    return next((dates[q] for q in DELIVERY_DATES if dates.get(q)), None)


def _line(
    transaction: TransactionSet, line: _Line, number: int, header: AckLineStatus
) -> PurchaseOrderAckLine:
    po1, po1_position = line.po1
    ids = id_pairs(po1, *_PO1_PAIRS)
    sku = next((ids[q] for q in SKU_QUALIFIERS if q in ids), None)
    ordered = x12_decimal(transaction, po1, po1_position, 2)
    unit = po1.element(3)
    status, raw = header, ""
    promised: Quantity | None = None
    promised_date = _first_date(line.dates)
    if line.ack is not None:
        ack, ack_position = line.ack
        raw = ack.element(1)
        status = code_of(transaction, ack, ack_position, 1, LINE_STATUSES, "line item status")
        quantity = x12_decimal(transaction, ack, ack_position, 2)
        if quantity is not None:
            ack_unit = x12_unit(ack.element(3) or unit)
            promised = build(transaction, lambda: Quantity(value=quantity, uom=ack_unit))
        if ack.element(4) in DELIVERY_DATES:
            promised_date = x12_date(transaction, ack, ack_position, 5) or promised_date
    price = x12_decimal(transaction, po1, po1_position, 4)
    return build(
        transaction,
        lambda: PurchaseOrderAckLine(
            line_id=po1.element(1) or str(number),
            sku=sku,
            vendor_sku=ids.get("VN"),
            status=status,
            raw_status=raw,
            ordered_quantity=(
                Quantity(value=ordered, uom=x12_unit(unit)) if ordered is not None else None
            ),
            promised_quantity=promised,
            promised_date=promised_date,
            unit_price=price,
        ),
    )


def acknowledgement_from_855(transaction: TransactionSet) -> PurchaseOrderAcknowledgement:
    """Map a checked 855; raises `X12Error` naming the segment and element."""
    found = _collect(transaction)
    if found.bak is None:
        raise missing_segment(transaction, "BAK")
    bak, bak_position = found.bak
    status = code_of(transaction, bak, bak_position, 2, ACK_TYPES, "acknowledgement type")
    po_date = x12_date(transaction, bak, bak_position, 4)
    acknowledged = x12_date(transaction, bak, bak_position, 9) or po_date
    lines = [_line(transaction, line, n, status) for n, line in enumerate(found.lines, 1)]
    return build(
        transaction,
        lambda: PurchaseOrderAcknowledgement(
            po_number=bak.element(3),
            po_date=po_date,
            acknowledgement_id=bak.element(8) or None,
            status=status,
            raw_status=bak.element(2),
            acknowledged_on=acknowledged,
            promised_date=_first_date(found.dates),
            currency=found.currency,
            lines=lines,
        ),
    )


def _po1(line: PurchaseOrderAckLine) -> OutSegment:
    ordered = line.ordered_quantity
    out = [
        "PO1",
        line.line_id,
        fmt_decimal(ordered.value) if ordered else "",
        canonical_unit(ordered.uom) if ordered else "",
        fmt_decimal(line.unit_price) if line.unit_price is not None else "",
        "",
    ]
    if line.sku:
        out += ["BP", line.sku]
    if line.vendor_sku:
        out += ["VN", line.vendor_sku]
    return out


def _line_status(line: PurchaseOrderAckLine) -> list[OutSegment]:
    # A line read without ACK (raw_status empty) goes back without one: its date as a
    # line DTM, so the header's verdict still applies when it is read again.
    promised = line.promised_quantity
    day = line.promised_date
    if not (line.raw_status or promised):
        return [["DTM", PROMISED_DELIVERY, fmt_date(day)]] if day else []
    return [
        [
            "ACK",
            line.raw_status or DEFAULT_LINE_STATUS[line.status],
            fmt_decimal(promised.value) if promised else "",
            canonical_unit(promised.uom) if promised else "",
            PROMISED_DELIVERY if day else "",
            fmt_date(day) if day else "",
        ]
    ]


def acknowledgement_to_855(ack: PurchaseOrderAcknowledgement) -> list[OutSegment]:
    """The 855 body (between ST and SE) for a canonical acknowledgement."""
    segments: list[OutSegment] = [
        [
            "BAK",
            "00",
            ack.raw_status or DEFAULT_ACK_TYPE[ack.status],
            ack.po_number,
            fmt_date(ack.po_date or ack.acknowledged_on),
            "",
            "",
            "",
            ack.acknowledgement_id or "",
            fmt_date(ack.acknowledged_on),
        ]
    ]
    if ack.currency:
        segments.append(["CUR", "SE", ack.currency])
    if ack.promised_date:
        segments.append(["DTM", PROMISED_DELIVERY, fmt_date(ack.promised_date)])
    for line in ack.lines:
        segments.append(_po1(line))
        segments += _line_status(line)
    if ack.lines:
        segments.append(["CTT", str(len(ack.lines))])
    return segments
