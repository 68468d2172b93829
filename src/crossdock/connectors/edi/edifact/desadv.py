"""DESADV (D96A, D01B) ↔ canonical `AdvanceShipNotice`, following the CPS hierarchy.

Header: BGM 1004 (notice id), DTM 137 issued, 11 despatched, 17 estimated delivery, RFF ON
(the one purchase order, with DTM 171 after it as the order date), RFF BM bill of lading,
NAD SF (else SH, else SU) ship-from and DP ship-to. Packing: a CPS without a parent (or
naming itself, as some senders do) is the consignment level, whose PAC counts give the
package count and whose LINs are shipped loose; a CPS with a parent is a package, a pallet
(tare) when its PAC type is a pallet code, else a carton (pack), with GIN BJ as its SSCC.
Items: LIN (line number, GTIN), PIA IN buyer's item, SA supplier's item, NB batch, QTY 12.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from crossdock.canonical.asn import AdvanceShipNotice, AsnItem, AsnOrder, AsnPackage
from crossdock.canonical.common import LocationRef, Quantity
from crossdock.connectors.edi.edifact.codes import SyntaxErrorCode
from crossdock.connectors.edi.edifact.errors import EdifactError, Place
from crossdock.connectors.edi.edifact.model import Message
from crossdock.connectors.edi.edifact.orders import DIRECTORIES, GTIN_TYPES
from crossdock.connectors.edi.edifact.syntax import OutSegment, Segment
from crossdock.connectors.edi.edifact.values import (
    DEFAULT_UNIT,
    at,
    build,
    day,
    decimal,
    fmt_decimal,
    missing,
)

PALLET_TYPES = frozenset({"200", "201", "202", "203", "PX", "PE", "AH"})
"""7065 codes for pallets (EANCOM ISO pallets, Rec. 21 PX/PE/AH); anything else is a pack."""
PALLET, CARTON = "201", "CT"
SSCC = "BJ"
_DATES = {"137": "issued", "11": "shipped", "17": "expected"}
_SHIP_FROM = ("SF", "SH", "SU")


@dataclass
class _Item:
    lin: Segment
    ids: dict[str, str] = field(default_factory=dict)
    quantity: Segment | None = None


@dataclass
class _Node:
    cps: Segment
    consignment: bool
    pacs: list[Segment] = field(default_factory=list)
    ssccs: list[tuple[str, Segment]] = field(default_factory=list)
    children: list[_Node] = field(default_factory=list)
    items: list[_Item] = field(default_factory=list)


@dataclass
class _Header:
    bgm: Segment | None = None
    dates: dict[str, date] = field(default_factory=dict)
    order: Segment | None = None
    order_date: date | None = None
    bill_of_lading: str | None = None
    parties: dict[str, LocationRef] = field(default_factory=dict)
    tops: list[_Node] = field(default_factory=list)


def _cps(message: Message, segment: Segment, nodes: dict[str, _Node], head: _Header) -> _Node:
    own, parent = segment.value(1), segment.value(2)
    if not own:
        raise at(
            message,
            segment,
            1,
            "CPS has no hierarchical id",
            code=SyntaxErrorCode.MISSING,
            expected="CPS 7164",
        )
    top = not parent or parent == own
    if not top and parent not in nodes:
        raise at(
            message,
            segment,
            2,
            "CPS names a parent not seen before it",
            code=SyntaxErrorCode.INVALID_VALUE,
            expected="an earlier CPS id",
            found=parent,
        )
    node = _Node(segment, consignment=top)
    if top:
        head.tops.append(node)
    else:
        nodes[parent].children.append(node)
    # Ids should be unique; where a sender repeats one, later children hang under the latest.
    nodes[own] = node
    return node


def _party(message: Message, nad: Segment) -> LocationRef:
    return build(
        message,
        lambda: LocationRef(
            code=nad.value(2, 1) or None,
            name=nad.value(4, 1) or None,
            city=nad.value(6) or None,
            region=nad.value(7, 1) or None,
            postal_code=nad.value(8) or None,
            country_code=nad.value(9) or None,
        ),
    )


def _header_segment(
    message: Message, head: _Header, segment: Segment, previous: Segment | None
) -> None:
    tag, qualifier = segment.tag, segment.value(1, 1)
    if tag == "BGM":
        head.bgm = segment
    elif tag == "DTM" and qualifier in _DATES:
        head.dates[_DATES[qualifier]] = day(message, segment)
    elif tag == "DTM" and qualifier == "171" and head.order is not None and previous is head.order:
        head.order_date = day(message, segment)
    elif tag == "RFF" and qualifier == "ON" and head.order is None:
        head.order = segment
    elif tag == "RFF" and qualifier == "BM":
        head.bill_of_lading = segment.value(1, 2) or None
    elif tag == "NAD":
        head.parties.setdefault(qualifier, _party(message, segment))


def _node_segment(node: _Node, segment: Segment) -> None:
    tag, qualifier = segment.tag, segment.value(1, 1)
    item = node.items[-1] if node.items else None
    if tag == "PAC":
        node.pacs.append(segment)
    elif tag == "GIN" and qualifier == SSCC:
        node.ssccs += [(segment.value(e, 1), segment) for e in range(2, 7) if segment.value(e, 1)]
    elif tag == "LIN":
        node.items.append(_Item(segment))
    elif item is not None and tag == "PIA":
        for element in range(2, 7):
            if segment.value(element, 1) and segment.value(element, 2):
                item.ids.setdefault(segment.value(element, 2), segment.value(element, 1))
    elif item is not None and tag == "QTY" and qualifier == "12":
        item.quantity = segment


def _walk(message: Message) -> _Header:
    head = _Header()
    nodes: dict[str, _Node] = {}
    node: _Node | None = None
    previous: Segment | None = None
    for segment in message.segments:
        if segment.tag == "CPS":
            node = _cps(message, segment, nodes, head)
        elif node is None:
            _header_segment(message, head, segment, previous)
        else:
            _node_segment(node, segment)
        previous = segment
    return head


def _item(message: Message, item: _Item) -> AsnItem:
    lin = item.lin
    gtin = lin.value(3, 1) if lin.value(3, 2) in GTIN_TYPES else None
    sku = item.ids.get("IN") or item.ids.get("SA") or gtin
    if sku is None:
        raise at(
            message,
            lin,
            3,
            "item has no product id",
            code=SyntaxErrorCode.MISSING,
            expected="a LIN GTIN or a PIA IN/SA item number",
        )
    if item.quantity is None:
        raise at(
            message,
            lin,
            None,
            "item has no despatch quantity",
            code=SyntaxErrorCode.MISSING,
            expected="QTY 12 after the LIN",
        )
    quantity = decimal(message, item.quantity, 1, 2)
    if quantity is None:
        raise at(
            message,
            item.quantity,
            1,
            "QTY has no value",
            code=SyntaxErrorCode.MISSING,
            expected="a quantity",
            component=2,
        )
    unit = item.quantity.value(1, 3) or DEFAULT_UNIT
    return build(
        message,
        lambda: AsnItem(
            sku=sku,
            vendor_sku=item.ids.get("SA"),
            gtin=gtin,
            lot=item.ids.get("NB"),
            line_id=lin.value(1) or None,
            quantity=Quantity(value=quantity, uom=unit),
        ),
    )


def _sscc(message: Message, node: _Node) -> str | None:
    codes = {code for code, _ in node.ssccs}
    if len(codes) > 1 or (codes and node.consignment):
        segment = node.ssccs[-1][1]
        reason = (
            "SSCC at the consignment level, where the canonical notice has no package"
            if node.consignment
            else "several SSCCs in one CPS, where the canonical package holds one"
        )
        raise at(
            message,
            segment,
            2,
            reason,
            code=SyntaxErrorCode.NOT_SUPPORTED_IN_POSITION,
            expected="one GIN BJ per package CPS",
            found=segment.value(2, 1),
        )
    return codes.pop() if codes else None


def _package(message: Message, node: _Node) -> AsnPackage:
    kind = node.pacs[0].value(3, 1) if node.pacs else ""
    sscc = _sscc(message, node)
    return build(
        message,
        lambda: AsnPackage(
            kind="tare" if kind in PALLET_TYPES else "pack",
            sscc=sscc,
            packages=[_package(message, child) for child in node.children],
            items=[_item(message, item) for item in node.items],
        ),
    )


def ship_notice_from_desadv(message: Message) -> AdvanceShipNotice:
    """Map a checked DESADV to an `AdvanceShipNotice`; raises `EdifactError` naming the segment."""
    ident = message.identifier
    if ident.type != "DESADV" or ident.directory not in DIRECTORIES:
        raise at(
            message,
            None,
            2,
            "message type or directory not supported",
            code=SyntaxErrorCode.VALUE_NOT_SUPPORTED_IN_POSITION,
            expected="DESADV D96A or D01B",
            found=f"{ident.type} {ident.directory}",
        )
    head = _walk(message)
    if head.bgm is None or not head.bgm.value(2, 1):
        raise missing(message, "BGM", "with the notice number in 1004")
    if "issued" not in head.dates:
        raise missing(message, "DTM", "qualified 137, the document date")
    if head.order is None or not head.order.value(1, 2):
        raise missing(message, "RFF", "qualified ON, the purchase order")
    packages: list[AsnPackage] = []
    items: list[AsnItem] = []
    counted: list[int] = []
    for top in head.tops:
        _sscc(message, top)
        packages += [_package(message, child) for child in top.children]
        items += [_item(message, item) for item in top.items]
        for pac in top.pacs:
            count = decimal(message, pac, 1, 1)
            counted.append(int(count) if count is not None else 0)
    order_ref, order_date, bgm = head.order.value(1, 2), head.order_date, head.bgm
    ship_from = next((head.parties[q] for q in _SHIP_FROM if q in head.parties), None)
    return build(
        message,
        lambda: AdvanceShipNotice(
            asn_id=bgm.value(2, 1),
            issued_on=head.dates["issued"],
            shipped_on=head.dates.get("shipped"),
            expected_on=head.dates.get("expected"),
            ship_from=ship_from,
            ship_to=head.parties.get("DP"),
            package_count=sum(counted) if counted else None,
            bill_of_lading=head.bill_of_lading,
            orders=[
                AsnOrder(
                    purchase_order_reference=order_ref,
                    purchase_order_date=order_date,
                    packages=packages,
                    items=items,
                )
            ],
        ),
    )


def _date(qualifier: str, value: date) -> OutSegment:
    return ["DTM", [qualifier, value.strftime("%Y%m%d"), "102"]]


def _nad(role: str, where: LocationRef) -> OutSegment:
    return [
        "NAD",
        role,
        [where.code or "", "", "9" if where.code else ""],
        "",
        where.name or "",
        "",
        where.city or "",
        where.region or "",
        where.postal_code or "",
        where.country_code or "",
    ]


class _Writer:
    def __init__(self) -> None:
        self.count = 0
        self.out: list[OutSegment] = []

    def items(self, items: list[AsnItem]) -> None:
        for item in items:
            gtin = [item.gtin, "SRV" if len(item.gtin) == 14 else "EN"] if item.gtin else ""
            self.out.append(["LIN", item.line_id or "", "", gtin])
            self.out.append(["PIA", "5", [item.sku, "IN"]])
            if item.vendor_sku:
                self.out.append(["PIA", "1", [item.vendor_sku, "SA"]])
            if item.lot:
                self.out.append(["PIA", "1", [item.lot, "NB"]])
            quantity = item.quantity
            self.out.append(["QTY", ["12", fmt_decimal(quantity.value), quantity.uom]])

    def package(self, parent: int, package: AsnPackage) -> None:
        self.count += 1
        number = self.count
        self.out.append(["CPS", str(number), str(parent)])
        self.out.append(["PAC", "1", "", PALLET if package.kind == "tare" else CARTON])
        if package.sscc:
            self.out.append(["GIN", SSCC, package.sscc])
        self.items(package.items)
        for child in package.packages:
            self.package(number, child)


def ship_notice_to_desadv(notice: AdvanceShipNotice) -> list[OutSegment]:
    """The DESADV body (between UNH and UNT) for a ship notice about one purchase order."""
    if len(notice.orders) != 1:
        # The order reference lives in the header RFF; splitting per order is the caller's call.
        raise EdifactError(
            "a DESADV carries one purchase order; split the notice per order",
            place=Place(segment_tag="RFF", element_position=1),
            code=SyntaxErrorCode.TOO_MANY_CONSTITUENTS,
            expected="1 order",
            found=str(len(notice.orders)),
        )
    order = notice.orders[0]
    out: list[OutSegment] = [["BGM", "351", notice.asn_id, "9"], _date("137", notice.issued_on)]
    if notice.shipped_on:
        out.append(_date("11", notice.shipped_on))
    if notice.expected_on:
        out.append(_date("17", notice.expected_on))
    out.append(["RFF", ["ON", order.purchase_order_reference]])
    if order.purchase_order_date:
        out.append(_date("171", order.purchase_order_date))
    if notice.bill_of_lading:
        out.append(["RFF", ["BM", notice.bill_of_lading]])
    if notice.ship_from:
        out.append(_nad("SF", notice.ship_from))
    if notice.ship_to:
        out.append(_nad("DP", notice.ship_to))
    writer = _Writer()
    writer.count = 1
    writer.out.append(["CPS", "1"])
    if notice.package_count is not None:
        writer.out.append(["PAC", str(notice.package_count)])
    writer.items(order.items)
    for package in order.packages:
        writer.package(1, package)
    return [*out, *writer.out, ["CNT", ["2", str(_lines(order))]]]


def _lines(order: AsnOrder) -> int:
    def count(package: AsnPackage) -> int:
        return len(package.items) + sum(count(child) for child in package.packages)

    return len(order.items) + sum(count(package) for package in order.packages)
