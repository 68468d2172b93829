"""What every stock.picking mapping reads: its warehouse, its references and its done lines.

A transfer's warehouse is its operation type's (addons/stock/models/stock_picking.py
``picking_type_id``, stock_picking_type.py ``warehouse_id``). The quantity actually moved is
on the move lines: ``qty_done`` in 16, ``quantity`` from 17 (stock_move_line.py), where a
done transfer's lines are all ``picked``. Lots come as ``lot_id`` or, for a lot created at
receipt, ``lot_name``; packages as ``result_package_id`` (the package the goods went into).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from crossdock.canonical.common import ExternalRef, LocationRef, Party
from crossdock.connectors.odoo.codes import MappingOptions
from crossdock.connectors.odoo.mapping_fields import move_line_qty_field
from crossdock.connectors.odoo.mapping_parties import (
    odoo_ref,
    party,
    product_row,
    sku,
    uom_code,
)
from crossdock.connectors.odoo.mapping_record import (
    EnrichedRecord,
    Row,
    decimal,
    m2o_id,
    m2o_name,
    text,
)
from crossdock.errors import MappingError


@dataclass(frozen=True)
class DoneLine:
    """One move line of a done transfer, read into canonical terms."""

    line_id: int
    sku: str
    description: str | None
    quantity: Decimal
    uom: str
    lot: str | None
    package_id: int | None
    package_name: str | None
    product: Row
    move: Row | None


def picking_name(rec: EnrichedRecord) -> str:
    name = text(rec.record.get("name"))
    if name is None:
        raise MappingError("the transfer has no name", f"{rec.where}.name")
    return name


def order_reference(rec: EnrichedRecord) -> str | None:
    """The sale or purchase order behind the transfer: its link first, else ``origin``."""
    record = rec.record
    return (
        m2o_name(record.get("sale_id"))
        or m2o_name(record.get("purchase_id"))
        or text(record.get("origin"))
    )


def references(rec: EnrichedRecord) -> list[ExternalRef]:
    return [odoo_ref("stock.picking", rec.id)]


def warehouse_row(rec: EnrichedRecord) -> Row:
    ptype = rec.row("stock.picking.type", rec.record.get("picking_type_id"))
    warehouse = rec.row("stock.warehouse", ptype.get("warehouse_id")) if ptype else None
    if warehouse is None:
        raise MappingError("the operation type has no warehouse", f"{rec.where}.picking_type_id")
    return warehouse


def warehouse_ref(warehouse: Row) -> LocationRef:
    return LocationRef(code=text(warehouse.get("code")), name=text(warehouse.get("name")))


def warehouse_party(rec: EnrichedRecord, warehouse: Row) -> Party:
    return party(rec, warehouse.get("partner_id"), f"{rec.where}.picking_type_id.warehouse_id")


def done_lines(rec: EnrichedRecord, options: MappingOptions) -> list[DoneLine]:
    """The done transfer's move lines with a quantity, in Odoo's order."""
    qty_field = move_line_qty_field(rec.version)
    lines: list[DoneLine] = []
    for index, row in enumerate(rec.rows("stock.move.line", rec.record.get("move_line_ids"))):
        place = f"{rec.where}.move_line_ids[{index}]"
        quantity = decimal(row.get(qty_field))
        if quantity <= 0:
            continue
        product = product_row(rec, row.get("product_id"), f"{place}.product_id")
        package = row.get("result_package_id")
        lines.append(
            DoneLine(
                line_id=int(row["id"]),
                sku=sku(product, f"{place}.product_id"),
                description=text(product.get("name")),
                quantity=quantity,
                uom=uom_code(rec, row.get("product_uom_id"), f"{place}.product_uom_id", options),
                lot=m2o_name(row.get("lot_id")) or text(row.get("lot_name")),
                package_id=m2o_id(package),
                package_name=m2o_name(package),
                product=product,
                move=rec.row("stock.move", row.get("move_id")),
            )
        )
    if not lines:
        raise MappingError("the done transfer has no move line with a quantity", rec.where)
    return lines
