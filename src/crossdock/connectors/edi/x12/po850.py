"""850 purchase order ↔ canonical `PurchaseOrder`.

Read: BEG (number, date), CUR (currency), header DTM*002 (delivery requested), the N1*VN or
N1*SU loop (the vendor, with N3/N4), PO1 lines with PID*F descriptions and line DTM*002.
Segments the canonical model has no place for (terms, allowances, notes) are accepted and
left out. Written: the same segments, so a read → write → read gives the same order.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date

from crossdock.canonical.common import Address, Party, Quantity
from crossdock.canonical.purchase import PurchaseOrder, PurchaseOrderLine
from crossdock.connectors.edi.x12.codes import ErrorLevel
from crossdock.connectors.edi.x12.errors import Location, X12Error
from crossdock.connectors.edi.x12.lexer import Segment
from crossdock.connectors.edi.x12.model import TransactionSet
from crossdock.connectors.edi.x12.values import (
    build,
    canonical_unit,
    fmt_date,
    fmt_decimal,
    located,
    midnight_utc,
    missing_segment,
    position_of,
    x12_date,
    x12_decimal,
    x12_unit,
)
from crossdock.connectors.edi.x12.writer import OutSegment

VENDOR_QUALIFIERS = ("VN", "SU")
SKU_QUALIFIERS = ("BP", "IN", "VN", "SK", "UP", "UA", "EN", "UK")
"""Which PO1 product id becomes the sku: the buyer's own code first, as Odoo knows it."""
DELIVERY_REQUESTED = "002"
_FIRST_PAIR = 6
_LAST_PAIR = 24


@dataclass(frozen=True, slots=True)
class PartnerDefaults:
    """What a partner leaves implicit and the canonical model needs explicitly."""

    country_code: str | None = None
    """ISO country for addresses whose N4 has no N404 (most North American partners)."""
    currency: str | None = None
    """ISO currency when the order has prices but no CUR segment."""


@dataclass
class _Line:
    segment: Segment
    position: int
    description: str | None = None
    expected: date | None = None


def _party(
    transaction: TransactionSet,
    n1: tuple[Segment, int],
    n3: Segment | None,
    n4: tuple[Segment, int] | None,
    defaults: PartnerDefaults,
) -> Party:
    segment, position = n1
    if n3 is None or n4 is None:
        missing = "N3" if n3 is None else "N4"
        raise located(
            transaction,
            segment,
            position,
            None,
            f"vendor address needs an {missing} after the N1",
            expected=missing,
        )
    n4_segment, n4_position = n4
    country = n4_segment.element(4) or defaults.country_code
    if not country:
        raise located(
            transaction,
            n4_segment,
            n4_position,
            4,
            "vendor address has no country",
            expected="N404 or a partner default country",
        )
    city = n4_segment.element(1)
    return Party(
        name=segment.element(2),
        address=Address(
            line1=n3.element(1),
            line2=n3.element(2) or None,
            city=city,
            region=n4_segment.element(2) or None,
            postal_code=n4_segment.element(3) or None,
            country_code=country,
        ),
    )


def _sku(transaction: TransactionSet, segment: Segment, position: int) -> str:
    pairs = {
        segment.element(i): segment.element(i + 1)
        for i in range(_FIRST_PAIR, _LAST_PAIR + 1, 2)
        if segment.element(i) and segment.element(i + 1)
    }
    for qualifier in SKU_QUALIFIERS:
        if qualifier in pairs:
            return pairs[qualifier]
    raise located(
        transaction,
        segment,
        position,
        _FIRST_PAIR,
        "line has no product id",
        expected="a product id qualified " + "/".join(SKU_QUALIFIERS),
    )


class _Collector:
    """Walks the 850 once, keeping what the canonical order needs."""

    def __init__(self, transaction: TransactionSet) -> None:
        self.transaction = transaction
        self.beg: tuple[Segment, int] | None = None
        self.currency: str | None = None
        self.expected_date: date | None = None
        self.vendor_n1: tuple[Segment, int] | None = None
        self.vendor_n3: Segment | None = None
        self.vendor_n4: tuple[Segment, int] | None = None
        self.in_vendor = False
        self.lines: list[_Line] = []
        handlers = {
            "BEG": self._beg,
            "CUR": self._cur,
            "N1": self._n1,
            "N3": self._n3,
            "N4": self._n4,
            "PO1": self._po1,
            "PID": self._pid,
            "DTM": self._dtm,
        }
        for index, segment in enumerate(transaction.segments):
            handler = handlers.get(segment.elements[0])
            if handler is not None:
                handler(segment, position_of(index))

    def _beg(self, segment: Segment, position: int) -> None:
        self.beg = (segment, position)

    def _cur(self, segment: Segment, position: int) -> None:
        self.currency = segment.element(2)

    def _n1(self, segment: Segment, position: int) -> None:
        self.in_vendor = segment.element(1) in VENDOR_QUALIFIERS and self.vendor_n1 is None
        if self.in_vendor:
            self.vendor_n1 = (segment, position)

    def _n3(self, segment: Segment, position: int) -> None:
        if self.in_vendor:
            self.vendor_n3 = segment

    def _n4(self, segment: Segment, position: int) -> None:
        if self.in_vendor:
            self.vendor_n4 = (segment, position)

    def _po1(self, segment: Segment, position: int) -> None:
        self.in_vendor = False
        self.lines.append(_Line(segment, position))

    def _pid(self, segment: Segment, position: int) -> None:
        if self.lines and segment.element(1) == "F":
            self.lines[-1].description = segment.element(5) or None

    def _dtm(self, segment: Segment, position: int) -> None:
        if segment.element(1) != DELIVERY_REQUESTED:
            return
        day = x12_date(self.transaction, segment, position, 2)
        if self.lines:
            self.lines[-1].expected = day
        else:
            self.expected_date = day


def purchase_order_from_850(
    transaction: TransactionSet, defaults: PartnerDefaults | None = None
) -> PurchaseOrder:
    """Map a checked 850 to a `PurchaseOrder`; raises `X12Error` naming the segment."""
    defaults = defaults or PartnerDefaults()
    found = _Collector(transaction)
    beg, vendor_n1 = found.beg, found.vendor_n1
    if beg is None:
        raise missing_segment(transaction, "BEG")
    if vendor_n1 is None:
        raise missing_segment(transaction, "N1")
    if not found.lines:
        raise missing_segment(transaction, "PO1")
    vendor = build(
        transaction,
        lambda: _party(transaction, vendor_n1, found.vendor_n3, found.vendor_n4, defaults),
    )
    lines = [_line(transaction, line, number) for number, line in enumerate(found.lines, 1)]
    currency = found.currency
    if currency is None and any(line.unit_price is not None for line in lines):
        currency = defaults.currency
    beg_segment, beg_position = beg
    ordered = x12_date(transaction, beg_segment, beg_position, 5)
    return build(
        transaction,
        lambda: PurchaseOrder(
            po_number=beg_segment.element(3),
            vendor=vendor,
            currency=currency,
            ordered_at=midnight_utc(ordered) if ordered else None,
            expected_date=found.expected_date,
            lines=lines,
        ),
    )


def _line(transaction: TransactionSet, line: _Line, number: int) -> PurchaseOrderLine:
    segment, position = line.segment, line.position
    quantity = x12_decimal(transaction, segment, position, 2)
    if quantity is None:
        raise located(
            transaction, segment, position, 2, "line has no quantity", expected="a quantity"
        )
    unit = segment.element(3)
    if not unit:
        raise located(
            transaction, segment, position, 3, "line has no unit of measure", expected="a unit code"
        )
    sku = _sku(transaction, segment, position)
    price = x12_decimal(transaction, segment, position, 4)
    return build(
        transaction,
        lambda: PurchaseOrderLine(
            # PO101 is optional in X12; the line's ordinal keeps line ids unique and stable.
            line_id=segment.element(1) or str(number),
            sku=sku,
            description=line.description,
            quantity=Quantity(value=quantity, uom=x12_unit(unit)),
            unit_price=price,
            expected_date=line.expected,
        ),
    )


def purchase_order_to_850(order: PurchaseOrder) -> list[OutSegment]:
    """The 850 body (between ST and SE) for a canonical purchase order."""
    stamp = order.ordered_at or order.confirmed_at
    if stamp is None:
        # BEG05 is mandatory and inventing a date would put a false fact in the partner's ERP.
        raise X12Error(
            "an 850 needs the order date",
            level=ErrorLevel.ELEMENT,
            location=Location(segment_id="BEG", element_position=5),
            expected="ordered_at or confirmed_at",
        )
    address = order.vendor.address
    segments: list[OutSegment] = [
        ["BEG", "00", "SA", order.po_number, "", fmt_date(stamp.astimezone(UTC).date())],
    ]
    if order.currency:
        segments.append(["CUR", "BY", order.currency])
    if order.expected_date:
        segments.append(["DTM", DELIVERY_REQUESTED, fmt_date(order.expected_date)])
    segments += [
        ["N1", "VN", order.vendor.name],
        ["N3", address.line1, address.line2 or ""],
        ["N4", address.city, address.region or "", address.postal_code or "", address.country_code],
    ]
    for line in order.lines:
        segments.append(
            [
                "PO1",
                line.line_id,
                fmt_decimal(line.quantity.value),
                canonical_unit(line.quantity.uom),
                fmt_decimal(line.unit_price) if line.unit_price is not None else "",
                "",
                "BP",
                line.sku,
            ]
        )
        if line.description:
            segments.append(["PID", "F", "", "", "", line.description])
        if line.expected_date:
            segments.append(["DTM", DELIVERY_REQUESTED, fmt_date(line.expected_date)])
    segments.append(["CTT", str(len(order.lines))])
    return segments
