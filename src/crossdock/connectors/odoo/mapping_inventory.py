"""stock.quant → ``crossdock.inventory.balance_reported.v1`` (InventoryBalance).

Odoo keeps one quant per product, location, lot, package and owner
(addons/stock/models/stock_quant.py: ``quantity``, ``reserved_quantity``, both in the
product's unit), and deletes quants that drop to zero. A balance is therefore the sum of the
quant's siblings (same product and location) that `enrich` read; when none remain the SKU
reports zero there. ``as_of`` is the newest sibling write; locations are named by their
``complete_name`` (``WH/Stock``). Only stocked locations (internal, transit) report.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from crossdock.canonical.common import LocationRef
from crossdock.canonical.event_types import INVENTORY_BALANCE_REPORTED_V1
from crossdock.canonical.inventory import InventoryBalance
from crossdock.connectors.odoo.codes import STOCKED_LOCATION_USAGES, MappingOptions
from crossdock.connectors.odoo.mapping_parties import product_row, sku, uom_code
from crossdock.connectors.odoo.mapping_record import (
    EnrichedRecord,
    Mapped,
    decimal,
    m2o_id,
    m2o_name,
    odoo_datetime,
    required_time,
    text,
)
from crossdock.errors import MappingError


def map_quant(rec: EnrichedRecord, options: MappingOptions) -> list[Mapped]:
    record = rec.record
    location = rec.row("stock.location", record.get("location_id"))
    if location is None:
        raise MappingError("the quant's location could not be read", f"{rec.where}.location_id")
    if location.get("usage") not in STOCKED_LOCATION_USAGES:
        return []
    product = product_row(rec, record.get("product_id"), f"{rec.where}.product_id")
    code = sku(product, f"{rec.where}.product_id")
    path = text(location.get("complete_name")) or m2o_name(record.get("location_id"))
    if path is None:
        raise MappingError("the location has no name", f"{rec.where}.location_id")
    on_hand, reserved = Decimal(0), Decimal(0)
    times: list[datetime] = []
    for quant in _siblings(rec):
        on_hand += decimal(quant.get("quantity"))
        reserved += decimal(quant.get("reserved_quantity"))
        if moment := odoo_datetime(quant.get("write_date")):
            times.append(moment)
    changed = required_time(rec)
    balance = InventoryBalance(
        sku=code,
        location=LocationRef(code=path, name=m2o_name(location.get("warehouse_id"))),
        uom=uom_code(rec, product.get("uom_id"), f"{rec.where}.product_id.uom_id", options),
        on_hand=on_hand,
        reserved=reserved,
        available=on_hand - reserved,
        as_of=max([changed, *times]),
    )
    subject = f"{code}@{path}"
    return [
        Mapped(INVENTORY_BALANCE_REPORTED_V1, balance, subject, f"inventory:{subject}", changed)
    ]


def _siblings(rec: EnrichedRecord) -> list[dict[str, object]]:
    """The quants summed into the balance: those `enrich` read for the same product and
    location, or the change itself when it was not enriched with siblings."""
    pair = (m2o_id(rec.record.get("product_id")), m2o_id(rec.record.get("location_id")))
    rows = [
        dict(row)
        for row in rec.related.get("stock.quant", {}).values()
        if (m2o_id(row.get("product_id")), m2o_id(row.get("location_id"))) == pair
    ]
    if "stock.quant" in rec.related:
        return rows
    return [dict(rec.record)]
