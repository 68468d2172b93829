"""Line-item pieces several messages share: LIN/PIA product ids and QTY quantities."""

from __future__ import annotations

from decimal import Decimal

from crossdock.canonical.common import Quantity
from crossdock.connectors.edi.edifact.codes import SyntaxErrorCode
from crossdock.connectors.edi.edifact.model import Message
from crossdock.connectors.edi.edifact.orders import GTIN_TYPES
from crossdock.connectors.edi.edifact.syntax import OutSegment, Segment
from crossdock.connectors.edi.edifact.values import DEFAULT_UNIT, at, build, decimal, fmt_decimal

BUYER_ID = "IN"
SUPPLIER_ID = "SA"
_PIA_ELEMENTS = range(2, 7)


def pia_ids(segment: Segment, ids: dict[str, str]) -> None:
    """PIA C212 item numbers by their type (7143), first of each type winning."""
    for element in _PIA_ELEMENTS:
        if segment.value(element, 1) and segment.value(element, 2):
            ids.setdefault(segment.value(element, 2), segment.value(element, 1))


def gtin_of(lin: Segment) -> str | None:
    """LIN C212 item number when its type is a GTIN (EN, SRV, UP)."""
    return lin.value(3, 1) if lin.value(3, 2) in GTIN_TYPES and lin.value(3, 1) else None


def quantity(message: Message, segment: Segment) -> Quantity:
    """QTY C186 as a canonical quantity; a missing unit counts pieces."""
    value = decimal(message, segment, 1, 2)
    if value is None:
        raise at(
            message,
            segment,
            1,
            "quantity has no value",
            code=SyntaxErrorCode.MISSING,
            expected="QTY 6060",
            component=2,
        )
    unit = segment.value(1, 3) or DEFAULT_UNIT
    return build(message, lambda: Quantity(value=value, uom=unit))


def qty_segment(qualifier: str, value: Quantity) -> OutSegment:
    return ["QTY", [qualifier, fmt_decimal(value.value), value.uom]]


def item_segments(
    number: str, sku: str | None, vendor_sku: str | None, gtin: str | None
) -> list[OutSegment]:
    """LIN (with the GTIN) and PIA (buyer's and supplier's numbers) for one line."""
    out: list[OutSegment] = [["LIN", number, "", [gtin, "SRV"]] if gtin else ["LIN", number]]
    pia: list[str | list[str]] = ["PIA", "5"]
    if sku:
        pia.append([sku, BUYER_ID])
    if vendor_sku:
        pia.append([vendor_sku, SUPPLIER_ID])
    if len(pia) > 2:
        out.append(pia)
    return out


def sku_of(ids: dict[str, str], gtin: str | None) -> str | None:
    return ids.get(BUYER_ID) or ids.get(SUPPLIER_ID) or gtin


ZERO = Decimal(0)
