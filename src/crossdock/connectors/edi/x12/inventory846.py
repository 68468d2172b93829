"""846 inventory inquiry/advice ↔ canonical `InventoryBalance` (one per LIN).

Read: BIA (date and time of the snapshot), the header N1*WH warehouse or an N1 inside the
LIN loop, LIN product ids, QTY*17 (on hand) and QTY*33 (available for sale, which the
dictionary calls the stock quantity, so it is also the on-hand figure when no QTY*17 is
sent) and QTY*QH (on hold, reported as reserved). X12 dates carry no zone: the snapshot
time is read as UTC unless the partner's zone is given.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from decimal import Decimal

from crossdock.canonical.common import LocationRef
from crossdock.canonical.inventory import InventoryBalance
from crossdock.connectors.edi.x12.codes import ElementSyntaxError, ErrorLevel
from crossdock.connectors.edi.x12.errors import Location, X12Error
from crossdock.connectors.edi.x12.lexer import Segment
from crossdock.connectors.edi.x12.model import TransactionSet
from crossdock.connectors.edi.x12.parties import PartyLoop, location, location_segments
from crossdock.connectors.edi.x12.po850 import SKU_QUALIFIERS
from crossdock.connectors.edi.x12.values import (
    build,
    canonical_unit,
    fmt_date,
    fmt_decimal,
    id_pairs,
    located,
    missing_segment,
    position_of,
    x12_date,
    x12_decimal,
    x12_unit,
)
from crossdock.connectors.edi.x12.writer import OutSegment

ON_HAND = "17"
AVAILABLE = "33"
ON_HOLD = "QH"
WAREHOUSE_ROLES = ("WH", "SN", "RL")
"""N1 roles that name the stocking location: warehouse, store, reporting location."""
_LIN_PAIRS = (2, 30)
_TIME_DIGITS = 4


@dataclass
class _Item:
    lin: tuple[Segment, int]
    quantities: dict[str, tuple[Segment, int]] = field(default_factory=dict)
    location: PartyLoop | None = None


@dataclass
class _Found:
    bia: tuple[Segment, int] | None = None
    location: PartyLoop | None = None
    items: list[_Item] = field(default_factory=list)


def _collect(transaction: TransactionSet) -> _Found:
    found = _Found()
    last: PartyLoop | None = None
    for index, segment in enumerate(transaction.segments):
        tag, position = segment.elements[0], position_of(index)
        item = found.items[-1] if found.items else None
        if tag == "N4" and last is not None and last.n4 is None:
            last.n4 = (segment, position)
        last = None if tag not in ("N1", "N2", "N3") else last
        if tag == "BIA":
            found.bia = (segment, position)
        elif tag == "LIN":
            found.items.append(_Item((segment, position)))
        elif tag == "N1" and segment.element(1) in WAREHOUSE_ROLES:
            loop = last = PartyLoop(segment, position)
            if item is None:
                found.location = found.location or loop
            else:
                item.location = item.location or loop
        elif tag == "QTY" and item is not None:
            item.quantities.setdefault(segment.element(1), (segment, position))
    return found


def _as_of(transaction: TransactionSet, bia: Segment, position: int, zone: tzinfo) -> datetime:
    day = x12_date(transaction, bia, position, 4)
    if day is None:
        raise located(transaction, bia, position, 4, "snapshot has no date", expected="CCYYMMDD")
    clock = bia.element(5)
    if clock and not (clock.isdigit() and len(clock) >= _TIME_DIGITS):
        raise located(
            transaction,
            bia,
            position,
            5,
            "invalid time",
            expected="HHMM",
            found=clock,
            code=ElementSyntaxError.INVALID_TIME,
        )
    hour, minute = (int(clock[:2]), int(clock[2:4])) if clock else (0, 0)
    try:
        return datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone)
    except ValueError:
        raise located(
            transaction,
            bia,
            position,
            5,
            "invalid time",
            expected="HHMM",
            found=clock,
            code=ElementSyntaxError.INVALID_TIME,
        ) from None


def _balance(
    transaction: TransactionSet,
    item: _Item,
    where: LocationRef,
    as_of: datetime,
    default_unit: str | None,
) -> InventoryBalance:
    lin, position = item.lin
    ids = id_pairs(lin, *_LIN_PAIRS)
    sku = next((ids[q] for q in SKU_QUALIFIERS if q in ids), None)
    if sku is None:
        raise located(
            transaction,
            lin,
            position,
            2,
            "item has no product id",
            expected="a product id qualified " + "/".join(SKU_QUALIFIERS),
        )
    values: dict[str, Decimal | None] = {}
    units: set[str] = set()
    for code, (segment, qty_position) in item.quantities.items():
        values[code] = x12_decimal(transaction, segment, qty_position, 2)
        unit = segment.components(3)[0] if segment.element(3) else default_unit
        if unit is None:
            raise located(
                transaction,
                segment,
                qty_position,
                3,
                "quantity has no unit",
                expected="QTY03 or a partner default unit",
            )
        units.add(x12_unit(unit))
    on_hand = values.get(ON_HAND, values.get(AVAILABLE))
    if on_hand is None or len(units) != 1:
        raise located(
            transaction,
            lin,
            position,
            None,
            "item needs its stock in one unit",
            expected="QTY*17 or QTY*33 after the LIN, all in the same unit",
        )
    (uom,) = units
    return build(
        transaction,
        lambda: InventoryBalance(
            sku=sku,
            location=where,
            uom=uom,
            on_hand=on_hand,
            available=values.get(AVAILABLE),
            reserved=values.get(ON_HOLD),
            as_of=as_of,
        ),
    )


def inventory_from_846(
    transaction: TransactionSet, *, zone: tzinfo = UTC, default_unit: str | None = None
) -> list[InventoryBalance]:
    """Map a checked 846 to one `InventoryBalance` per item; raises `X12Error` with the place."""
    found = _collect(transaction)
    if found.bia is None:
        raise missing_segment(transaction, "BIA")
    if not found.items:
        raise missing_segment(transaction, "LIN")
    as_of = _as_of(transaction, *found.bia, zone)
    balances: list[InventoryBalance] = []
    for item in found.items:
        loop = item.location or found.location
        if loop is None:
            raise missing_segment(transaction, "N1")
        if not loop.n1.element(4):
            raise located(
                transaction,
                loop.n1,
                loop.position,
                4,
                "stock location has no code",
                expected="N104: the warehouse code",
            )
        balances.append(
            _balance(transaction, item, location(transaction, loop), as_of, default_unit)
        )
    return balances


def inventory_to_846(balances: Sequence[InventoryBalance], report_id: str) -> list[OutSegment]:
    """The 846 body for balances of one snapshot (one ``as_of``), written in UTC."""
    if not balances or len({b.as_of for b in balances}) != 1:
        raise X12Error(
            "an 846 reports one snapshot",
            level=ErrorLevel.TRANSACTION,
            location=Location(segment_id="BIA", element_position=4),
            expected="at least one balance, all with the same as_of",
        )
    stamp = balances[0].as_of.astimezone(UTC)
    shared = len({b.location for b in balances}) == 1
    segments: list[OutSegment] = [
        ["BIA", "00", "SI", report_id, fmt_date(stamp.date()), stamp.strftime("%H%M")]
    ]
    if shared:
        segments += location_segments("WH", balances[0].location)
    for number, balance in enumerate(balances, 1):
        segments.append(["LIN", str(number), "BP", balance.sku])
        if not shared:
            segments += location_segments("WH", balance.location)
        unit = canonical_unit(balance.uom)
        segments.append(["QTY", ON_HAND, fmt_decimal(balance.on_hand), unit])
        if balance.available is not None:
            segments.append(["QTY", AVAILABLE, fmt_decimal(balance.available), unit])
        if balance.reserved is not None:
            segments.append(["QTY", ON_HOLD, fmt_decimal(balance.reserved), unit])
    segments.append(["CTT", str(len(balances))])
    return segments
