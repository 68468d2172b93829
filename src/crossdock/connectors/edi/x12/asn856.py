"""856 ship notice ↔ canonical `AdvanceShipNotice`, following the HL hierarchy.

Supported is the standard (order-first) structure: shipment (S) → order (O) → tare (T, a
pallet) → pack (P, a carton) → item (I), where tares and packs are optional and items may
hang under any of O, T or P. Shipment level: DTM*011 shipped, DTM*017 expected delivery,
TD1 package count and gross weight, TD5 carrier SCAC, REF*BM bill of lading, N1 loops for
ship-from (SF, else SH) and ship-to (ST). Order level: PRF. Packages: MAN*GM (SSCC).
Items: LIN (BP buyer's part, VN vendor's part, UP/EN/UK GTIN, LT lot) and SN1.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import partial

from crossdock.canonical.asn import AdvanceShipNotice, AsnItem, AsnPackage
from crossdock.canonical.common import LocationRef, WeightUnit
from crossdock.connectors.edi.x12.codes import ElementSyntaxError
from crossdock.connectors.edi.x12.lexer import Segment
from crossdock.connectors.edi.x12.model import TransactionSet
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

PARENTS = {"S": ("",), "O": ("S",), "T": ("O",), "P": ("O", "T"), "I": ("O", "T", "P")}
"""Which level each HL level may hang under in the supported structure."""
GTIN_QUALIFIERS = {12: "UP", 13: "EN", 14: "UK"}
_GTIN_READ = ("UP", "EN", "UK", "UA")
WEIGHT_UNITS = {"LB": WeightUnit.LB, "KG": WeightUnit.KG, "OZ": WeightUnit.OZ, "GR": WeightUnit.G}
_WEIGHT_CODES = {unit: code for code, unit in WEIGHT_UNITS.items()}
SHIPPED = "011"
EXPECTED = "017"
SSCC = "GM"
_LAST_LIN = 31


class _Node:
    """One HL level and what belongs to it; a plain slotted class, as one is made per HL of
    every notice (an item's LIN and SN1 live on the node itself)."""

    __slots__ = ("children", "hl", "level", "lin", "prf", "sn1", "sscc")

    def __init__(self, level: str, hl: tuple[Segment, int]) -> None:
        self.level = level
        self.hl = hl
        self.sscc: str | None = None
        self.prf: tuple[Segment, int] | None = None
        self.children: list[_Node] = []
        self.lin: tuple[Segment, int] | None = None
        self.sn1: tuple[Segment, int] | None = None


@dataclass
class _Shipment:
    shipped: date | None = None
    expected: date | None = None
    carrier: str | None = None
    bill_of_lading: str | None = None
    weight: dict[str, object] | None = None
    packages: int | None = None
    parties: dict[str, dict[str, str | None]] = field(default_factory=dict)
    """N1 / N4 per role as plain data: only the roles the notice uses (SF or SH, ST) are
    validated, with the rest of the notice, in one call."""


def _hierarchy(transaction: TransactionSet) -> tuple[_Node, _Shipment, Segment]:
    nodes: dict[str, _Node] = {}
    root: _Node | None = None
    current: _Node | None = None
    shipment = _Shipment()
    bsn: Segment | None = None
    party: tuple[str, Segment] | None = None
    for position, segment in enumerate(transaction.segments, 2):  # ST is position 1
        tag = segment.elements[0]
        if tag == "BSN":
            bsn = segment
        elif tag == "HL":
            current = _hl(transaction, segment, position, nodes)
            root = root or current
            party = None
        elif current is None:
            continue
        elif current.level == "S":
            party = _shipment_segment(transaction, segment, position, shipment, party)
        elif tag == "PRF" and current.level == "O":
            current.prf = (segment, position)
        elif tag == "MAN" and current.level in "TP" and segment.element(1) == SSCC:
            current.sscc = segment.element(2)
        elif tag == "LIN" and current.level == "I":
            current.lin = (segment, position)
        elif tag == "SN1" and current.level == "I":
            current.sn1 = (segment, position)
    if bsn is None:
        raise missing_segment(transaction, "BSN")
    if root is None:
        raise missing_segment(transaction, "HL")
    return root, shipment, bsn


def _hl(
    transaction: TransactionSet, segment: Segment, position: int, nodes: dict[str, _Node]
) -> _Node:
    number, parent_id, level = segment.element(1), segment.element(2), segment.element(3)
    if level not in PARENTS:
        raise located(
            transaction,
            segment,
            position,
            3,
            "hierarchical level not supported",
            expected="S, O, T, P or I",
            found=level,
            code=ElementSyntaxError.INVALID_CODE_VALUE,
        )
    if not number or number in nodes:
        raise located(
            transaction,
            segment,
            position,
            1,
            "HL id missing or repeated",
            expected="a new HL id",
            found=number,
        )
    parent = nodes.get(parent_id)
    parent_level = parent.level if parent else ""
    if (parent_id and parent is None) or parent_level not in PARENTS[level]:
        raise located(
            transaction,
            segment,
            position,
            2,
            f"level {level} under the wrong parent",
            expected="an earlier HL of level " + " or ".join(p or "none" for p in PARENTS[level]),
            found=parent_id,
        )
    node = _Node(level, (segment, position))
    nodes[number] = node
    if parent is not None:
        parent.children.append(node)
    return node


def _shipment_segment(
    transaction: TransactionSet,
    segment: Segment,
    position: int,
    shipment: _Shipment,
    party: tuple[str, Segment] | None,
) -> tuple[str, Segment] | None:
    tag = segment.elements[0]
    value = segment.element
    if tag == "DTM" and value(1) in (SHIPPED, EXPECTED):
        day = x12_date(transaction, segment, position, 2)
        if value(1) == SHIPPED:
            shipment.shipped = day
        else:
            shipment.expected = day
    elif tag == "TD1":
        count = x12_decimal(transaction, segment, position, 2)
        shipment.packages = int(count) if count is not None else shipment.packages
        weight = x12_decimal(transaction, segment, position, 7)
        if weight is not None:
            unit = WEIGHT_UNITS.get(value(8))
            if unit is None:
                raise located(
                    transaction,
                    segment,
                    position,
                    8,
                    "weight unit not supported",
                    expected="LB, KG, OZ or GR",
                    found=value(8),
                    code=ElementSyntaxError.INVALID_CODE_VALUE,
                )
            shipment.weight = {"value": weight, "unit": unit}
    elif tag == "TD5" and value(3):
        shipment.carrier = value(3)
    elif tag == "REF" and value(1) == "BM":
        shipment.bill_of_lading = value(2) or None
    elif tag == "N1":
        role = value(1)
        shipment.parties.setdefault(role, {"code": value(4) or None, "name": value(2) or None})
        return (role, segment)
    elif tag == "N4" and party is not None:
        shipment.parties[party[0]].update(
            city=value(1) or None,
            region=value(2) or None,
            postal_code=value(3) or None,
            country_code=value(4) or None,
        )
    return party


def _item(transaction: TransactionSet, node: _Node) -> dict[str, object]:
    segment, position = node.hl
    if node.lin is None or node.sn1 is None:
        raise located(
            transaction,
            segment,
            position,
            None,
            "item level without LIN and SN1",
            expected="LIN and SN1 after HL*I",
        )
    lin, lin_position = node.lin
    sn1, sn1_position = node.sn1
    ids = id_pairs(lin, 2, _LAST_LIN - 1)
    gtin = next((ids[q] for q in _GTIN_READ if q in ids), None)
    sku = ids.get("BP") or ids.get("VN") or gtin
    if sku is None:
        raise located(
            transaction,
            lin,
            lin_position,
            2,
            "item has no product id",
            expected="a BP, VN, UP, EN or UK product id",
        )
    quantity = x12_decimal(transaction, sn1, sn1_position, 2)
    return {
        "sku": sku,
        "vendor_sku": ids.get("VN"),
        "gtin": gtin,
        "lot": ids.get("LT"),
        "line_id": lin.element(1) or None,
        "quantity": {"value": quantity, "uom": x12_unit(sn1.element(3))},
    }


# The tree is built as plain data and validated once, at the top: pydantic checks nested
# data in one call far faster than model by model, and its error path (orders.0.packages.1
# ...) names the place as precisely as the per-model checks did.
def _package(transaction: TransactionSet, node: _Node) -> dict[str, object]:
    return {
        "kind": "tare" if node.level == "T" else "pack",
        "sscc": node.sscc,
        "packages": [_package(transaction, c) for c in node.children if c.level in "TP"],
        "items": [_item(transaction, c) for c in node.children if c.level == "I"],
    }


def _order(transaction: TransactionSet, node: _Node) -> dict[str, object]:
    if node.prf is None:
        segment, position = node.hl
        raise located(
            transaction,
            segment,
            position,
            None,
            "order level without PRF",
            expected="PRF after HL*O",
        )
    prf, prf_position = node.prf
    purchase_date = x12_date(transaction, prf, prf_position, 4)
    return {
        "purchase_order_reference": prf.element(1),
        "purchase_order_date": purchase_date,
        "packages": [_package(transaction, c) for c in node.children if c.level in "TP"],
        "items": [_item(transaction, c) for c in node.children if c.level == "I"],
    }


def ship_notice_from_856(transaction: TransactionSet) -> AdvanceShipNotice:
    """Map a checked 856 to an `AdvanceShipNotice`; raises `X12Error` naming the segment."""
    root, shipment, bsn = _hierarchy(transaction)
    bsn_position = position_of(transaction.segments.index(bsn))
    issued = x12_date(transaction, bsn, bsn_position, 3)
    parties = shipment.parties
    used = {"SF" if "SF" in parties else "SH", "ST"}
    for role in parties.keys() - used:  # still checked, as every N1 loop was, though not carried
        build(transaction, partial(LocationRef.model_validate, parties[role]))
    return build(
        transaction,
        lambda: AdvanceShipNotice.model_validate(
            {
                "asn_id": bsn.element(2),
                "issued_on": issued,
                "shipped_on": shipment.shipped,
                "expected_on": shipment.expected,
                "ship_from": parties.get("SF") or parties.get("SH"),
                "ship_to": parties.get("ST"),
                "carrier_code": shipment.carrier,
                "gross_weight": shipment.weight,
                "package_count": shipment.packages,
                "bill_of_lading": shipment.bill_of_lading,
                "orders": [_order(transaction, child) for child in root.children],
            }
        ),
    )


class _HlWriter:
    def __init__(self) -> None:
        self.count = 0
        self.segments: list[OutSegment] = []

    def hl(self, parent: int, level: str) -> int:
        self.count += 1
        self.segments.append(["HL", str(self.count), str(parent) if parent else "", level])
        return self.count

    def item(self, parent: int, item: AsnItem) -> None:
        self.hl(parent, "I")
        lin: list[str] = ["LIN", item.line_id or "", "BP", item.sku]
        if item.vendor_sku:
            lin += ["VN", item.vendor_sku]
        if item.gtin:
            lin += [GTIN_QUALIFIERS.get(len(item.gtin), "UK"), item.gtin]
        if item.lot:
            lin += ["LT", item.lot]
        self.segments.append(lin)
        self.segments.append(
            ["SN1", "", fmt_decimal(item.quantity.value), canonical_unit(item.quantity.uom)]
        )

    def package(self, parent: int, package: AsnPackage) -> None:
        number = self.hl(parent, "T" if package.kind == "tare" else "P")
        if package.sscc:
            self.segments.append(["MAN", SSCC, package.sscc])
        for child in package.packages:
            self.package(number, child)
        for item in package.items:
            self.item(number, item)


def _location(role: str, where: LocationRef) -> list[OutSegment]:
    out: list[OutSegment] = [
        ["N1", role, where.name or "", "92" if where.code else "", where.code or ""]
    ]
    if where.city or where.region or where.postal_code or where.country_code:
        out.append(
            [
                "N4",
                where.city or "",
                where.region or "",
                where.postal_code or "",
                where.country_code or "",
            ]
        )
    return out


def ship_notice_to_856(notice: AdvanceShipNotice) -> list[OutSegment]:
    """The 856 body (between ST and SE) for a canonical ship notice."""
    out = _HlWriter()
    shipment = out.hl(0, "S")
    if notice.package_count is not None or notice.gross_weight is not None:
        weight = notice.gross_weight
        out.segments.append(
            [
                "TD1",
                "",
                str(notice.package_count) if notice.package_count is not None else "",
                "",
                "",
                "",
                "G" if weight else "",
                fmt_decimal(weight.value) if weight else "",
                _WEIGHT_CODES[weight.unit] if weight else "",
            ]
        )
    if notice.carrier_code:
        out.segments.append(["TD5", "", "2", notice.carrier_code])
    if notice.bill_of_lading:
        out.segments.append(["REF", "BM", notice.bill_of_lading])
    if notice.shipped_on:
        out.segments.append(["DTM", SHIPPED, fmt_date(notice.shipped_on)])
    if notice.expected_on:
        out.segments.append(["DTM", EXPECTED, fmt_date(notice.expected_on)])
    if notice.ship_from:
        out.segments += _location("SF", notice.ship_from)
    if notice.ship_to:
        out.segments += _location("ST", notice.ship_to)
    for order in notice.orders:
        number = out.hl(shipment, "O")
        out.segments.append(
            [
                "PRF",
                order.purchase_order_reference,
                "",
                "",
                fmt_date(order.purchase_order_date) if order.purchase_order_date else "",
            ]
        )
        for package in order.packages:
            out.package(number, package)
        for item in order.items:
            out.item(number, item)
    return [
        ["BSN", "00", notice.asn_id, fmt_date(notice.issued_on), "0000"],
        *out.segments,
        ["CTT", str(out.count)],
    ]
