"""RECADV (D96A, D01B) ↔ canonical `ReceiptAdvice`, like the X12 944.

Read: BGM 1004 (the receipt number), DTM 50 (goods received) or else 137, RFF ON (the
order) and AAK (the despatch advice it answers), NAD DP or WH (where the goods came in),
then per LIN: PIA ids, IMD description, GIN BX (batch), RFF LI (the order line), QTY 194
(received and accepted, else 48 received) and QVR variances with their discrepancy (4221:
AC over, AF damaged, BP/CP short...) or change reason (4295: DME damaged, AT item not
ordered...). QTY 195/196 (received, not accepted) become quality exceptions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType

from crossdock.canonical.common import Quantity
from crossdock.canonical.receipt_advice import (
    ReceiptAdvice,
    ReceiptAdviceLine,
    ReceiptCondition,
    ReceiptException,
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
from crossdock.connectors.edi.edifact.parties import location_of, location_segment
from crossdock.connectors.edi.edifact.syntax import OutSegment, Segment
from crossdock.connectors.edi.edifact.values import at, build, day, decimal, fmt_decimal, missing

DISCREPANCIES = MappingProxyType(
    {
        "AC": ReceiptCondition.OVER,  # over-shipped
        "AE": ReceiptCondition.OVER,  # delivered but not advised
        "AF": ReceiptCondition.DAMAGED,  # goods delivered damaged
        "AG": ReceiptCondition.OTHER,  # delivered too late
        "BP": ReceiptCondition.SHORT,  # partial, back order to follow
        "CP": ReceiptCondition.SHORT,  # partial, considered complete
    }
)
"""4221 discrepancy codes EANCOM lists for QVR in RECADV."""
REASONS = MappingProxyType(
    {
        "DME": ReceiptCondition.DAMAGED,  # damaged
        "AT": ReceiptCondition.WRONG_ITEM,  # item not ordered
        "AUE": ReceiptCondition.WRONG_ITEM,  # article code unknown
        "IS": ReceiptCondition.WRONG_ITEM,  # substitution
        "PE": ReceiptCondition.QUALITY,  # durability date unacceptable
        "PC": ReceiptCondition.OTHER,  # pack difference
        "BN": ReceiptCondition.OTHER,  # bar code not readable
    }
)
"""4295 change reasons, used when the QVR gives no 4221 discrepancy."""
NOT_ACCEPTED = ("195", "196")
WRITE_DISCREPANCY = {
    ReceiptCondition.OVER: "AC",
    ReceiptCondition.DAMAGED: "AF",
    ReceiptCondition.SHORT: "CP",
}
WRITE_REASON = {
    ReceiptCondition.WRONG_ITEM: "AT",
    ReceiptCondition.QUALITY: "PE",
    ReceiptCondition.OTHER: "PC",
}
RECEIVED = ("194", "48")
WAREHOUSE_ROLES = ("DP", "WH", "ST")
_DESPATCH = "12"


@dataclass
class _Line:
    lin: Segment
    ids: dict[str, str] = field(default_factory=dict)
    description: str | None = None
    lot: str | None = None
    order_line: str | None = None
    quantities: dict[str, Segment] = field(default_factory=dict)
    variances: list[Segment] = field(default_factory=list)


@dataclass
class _Found:
    bgm: Segment | None = None
    received: date | None = None
    issued: date | None = None
    references: dict[str, str] = field(default_factory=dict)
    warehouse: dict[str, Segment] = field(default_factory=dict)
    lines: list[_Line] = field(default_factory=list)


def _line_segment(line: _Line, segment: Segment) -> None:
    tag, qualifier = segment.tag, segment.value(1, 1)
    if tag == "PIA":
        pia_ids(segment, line.ids)
    elif tag == "IMD" and segment.value(3, 4):
        line.description = segment.value(3, 4)
    elif tag == "GIN" and qualifier == "BX":
        line.lot = line.lot or segment.value(2, 1) or None
    elif tag == "RFF" and qualifier == "LI":
        line.order_line = segment.value(1, 2) or None
    elif tag == "QTY":
        line.quantities.setdefault(qualifier, segment)
    elif tag == "QVR":
        line.variances.append(segment)


def _collect(message: Message) -> _Found:
    found = _Found()
    for segment in message.segments:
        tag, qualifier = segment.tag, segment.value(1, 1)
        if tag == "LIN":
            found.lines.append(_Line(segment))
        elif found.lines:
            _line_segment(found.lines[-1], segment)
        elif tag == "BGM":
            found.bgm = segment
        elif tag == "DTM" and qualifier == "50":
            found.received = day(message, segment)
        elif tag == "DTM" and qualifier == "137":
            found.issued = day(message, segment)
        elif tag == "RFF":
            found.references.setdefault(qualifier, segment.value(1, 2))
        elif tag == "NAD" and qualifier in WAREHOUSE_ROLES:
            found.warehouse.setdefault(qualifier, segment)
    return found


def _variance(message: Message, qvr: Segment, unit: str) -> ReceiptException:
    amount = decimal(message, qvr, 1, 1)
    discrepancy, reason = qvr.value(2), qvr.value(3, 1)
    condition = DISCREPANCIES.get(discrepancy) if discrepancy else REASONS.get(reason)
    if amount is None or condition is None:
        bad_code = amount is not None
        raise at(
            message,
            qvr,
            (2 if discrepancy else 3) if bad_code else 1,
            "quantity variance not understood",
            code=SyntaxErrorCode.VALUE_NOT_SUPPORTED_IN_POSITION
            if bad_code
            else SyntaxErrorCode.MISSING,
            expected="a 4221 of " + ", ".join(DISCREPANCIES) + " or a 4295 of " + ", ".join(REASONS)
            if bad_code
            else "the variance quantity",
            found=discrepancy or reason,
        )
    return build(
        message,
        lambda: ReceiptException(
            condition=condition,
            quantity=Quantity(value=abs(amount), uom=unit),
            raw_code=discrepancy or reason,
            reason_code=(reason or None) if discrepancy else None,
        ),
    )


def _line(message: Message, line: _Line, number: int) -> ReceiptAdviceLine:
    lin = line.lin
    gtin = gtin_of(lin)
    sku = sku_of(line.ids, gtin)
    if sku is None:
        raise at(
            message,
            lin,
            3,
            "received item has no product id",
            code=SyntaxErrorCode.MISSING,
            expected="a GTIN in LIN or PIA item numbers",
        )
    counted = next((line.quantities[q] for q in RECEIVED if q in line.quantities), None)
    if counted is None:
        raise at(
            message,
            lin,
            None,
            "line has no received quantity",
            code=SyntaxErrorCode.MISSING,
            expected="QTY 194 or QTY 48 after the LIN",
        )
    received = quantity(message, counted)
    exceptions = [_variance(message, qvr, received.uom) for qvr in line.variances]
    for qualifier in NOT_ACCEPTED:
        if qualifier in line.quantities:
            refused = quantity(message, line.quantities[qualifier])
            exceptions.append(
                ReceiptException(
                    condition=ReceiptCondition.QUALITY, quantity=refused, raw_code=qualifier
                )
            )
    return build(
        message,
        lambda: ReceiptAdviceLine(
            line_id=lin.value(1) or str(number),
            sku=sku,
            vendor_sku=line.ids.get(SUPPLIER_ID),
            gtin=gtin,
            description=line.description,
            received=received,
            lot=line.lot,
            purchase_line_id=line.order_line,
            exceptions=exceptions,
        ),
    )


def receipt_advice_from_recadv(message: Message) -> ReceiptAdvice:
    """Map a checked RECADV; raises `EdifactError` naming the segment and element."""
    found = _collect(message)
    if found.bgm is None:
        raise missing(message, "BGM", "the receipt number")
    warehouse = next((found.warehouse[r] for r in WAREHOUSE_ROLES if r in found.warehouse), None)
    if warehouse is None:
        raise missing(message, "NAD", "where the goods were received, qualified DP")
    if not found.lines:
        raise missing(message, "LIN", "the received items")
    received = found.received or found.issued
    if received is None:
        raise missing(message, "DTM", "the receipt date, qualified 50 or 137")
    bgm = found.bgm
    lines = [_line(message, line, n) for n, line in enumerate(found.lines, 1)]
    where = location_of(message, warehouse)
    return build(
        message,
        lambda: ReceiptAdvice(
            receipt_id=bgm.value(2, 1),
            purchase_order_reference=found.references.get("ON") or None,
            shipment_reference=found.references.get("AAK") or None,
            warehouse=where,
            received_on=received,
            lines=lines,
        ),
    )


def _qvr(exception: ReceiptException) -> OutSegment:
    raw = exception.raw_code
    amount = [fmt_decimal(-exception.quantity.value), _DESPATCH]
    if raw in DISCREPANCIES:
        return ["QVR", amount, raw, exception.reason_code or ""]
    if raw in REASONS:
        return ["QVR", amount, "", raw]
    code = WRITE_DISCREPANCY.get(exception.condition)
    if code is not None:
        return ["QVR", amount, code]
    return ["QVR", amount, "", WRITE_REASON[exception.condition]]


def receipt_advice_to_recadv(advice: ReceiptAdvice) -> list[OutSegment]:
    """The RECADV body (between UNH and UNT), EANCOM style, for a canonical receipt advice."""
    received = advice.received_on.strftime("%Y%m%d")
    out: list[OutSegment] = [
        ["BGM", "632", advice.receipt_id, "9"],
        ["DTM", ["137", received, "102"]],
        ["DTM", ["50", received, "102"]],
    ]
    if advice.purchase_order_reference:
        out.append(["RFF", ["ON", advice.purchase_order_reference]])
    if advice.shipment_reference:
        out.append(["RFF", ["AAK", advice.shipment_reference]])
    out += [location_segment("DP", advice.warehouse), ["CPS", "1"]]
    for line in advice.lines:
        sku = line.sku if line.sku != line.gtin or line.vendor_sku else None
        out += item_segments(line.line_id, sku, line.vendor_sku, line.gtin)
        if line.description:
            out.append(["IMD", "F", "", ["", "", "", line.description]])
        out.append(qty_segment("194", line.received))
        for exception in line.exceptions:
            if exception.raw_code in NOT_ACCEPTED:
                out.append(qty_segment(exception.raw_code, exception.quantity))
            else:
                out.append(_qvr(exception))
        if line.lot:
            out.append(["GIN", "BX", line.lot])
        if line.purchase_line_id:
            out.append(["RFF", ["LI", line.purchase_line_id]])
    out += [["UNS", "S"], ["CNT", ["2", str(len(advice.lines))]]]
    return out
