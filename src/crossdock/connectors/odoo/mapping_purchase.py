"""purchase.order → ``crossdock.purchase_order.confirmed.v1`` (PurchaseOrder).

Fields follow addons/purchase/models/purchase_order.py and purchase_order_line.py:
``partner_id`` is the vendor, ``partner_ref`` the vendor's reference, ``date_approve`` the
confirmation time, ``date_planned`` the expected arrival (per order and per line), a line's
``product_qty`` is in ``product_uom`` (``product_uom_id`` from 19). Confirmed means state
``purchase``, or ``done`` when the company locks confirmed orders at once. Lines without a
product (sections, notes) and service lines are left out: nothing arrives at the dock.
"""

from __future__ import annotations

from crossdock.canonical.common import ExternalRef, Quantity
from crossdock.canonical.product import ProductKind
from crossdock.canonical.purchase import PurchaseOrder, PurchaseOrderLine
from crossdock.connectors.odoo.codes import PURCHASE_ORDER_EVENTS, MappingOptions
from crossdock.connectors.odoo.mapping_fields import line_uom_field
from crossdock.connectors.odoo.mapping_parties import (
    odoo_ref,
    party,
    product_kind,
    product_row,
    sku,
    uom_code,
)
from crossdock.connectors.odoo.mapping_record import (
    EnrichedRecord,
    Mapped,
    decimal,
    m2o_name,
    odoo_date,
    odoo_datetime,
    required_time,
    text,
)
from crossdock.errors import MappingError


def map_purchase_order(rec: EnrichedRecord, options: MappingOptions) -> list[Mapped]:
    event_type = PURCHASE_ORDER_EVENTS.get(str(rec.record.get("state")))
    if event_type is None:
        return []
    record = rec.record
    name = text(record.get("name"))
    if name is None:
        raise MappingError("the purchase order has no name", f"{rec.where}.name")
    lines = _lines(rec, options)
    if not lines:
        return []
    refs: list[ExternalRef] = [odoo_ref("purchase.order", rec.id)]
    if vendor_ref := text(record.get("partner_ref")):
        refs.append(ExternalRef(system="vendor", value=vendor_ref))
    order = PurchaseOrder(
        po_number=name,
        vendor=party(rec, record.get("partner_id"), f"{rec.where}.partner_id"),
        vendor_reference=vendor_ref,
        origin=text(record.get("origin")),
        currency=m2o_name(record.get("currency_id")),
        ordered_at=odoo_datetime(record.get("date_order")),
        confirmed_at=odoo_datetime(record.get("date_approve")),
        expected_date=odoo_date(record.get("date_planned")),
        lines=lines,
        partner_refs=refs,
    )
    time = required_time(rec)
    return [Mapped(event_type, order, name, f"purchase_order:{name}", time, name)]


def _lines(rec: EnrichedRecord, options: MappingOptions) -> list[PurchaseOrderLine]:
    uom_field = line_uom_field(rec.version)
    lines: list[PurchaseOrderLine] = []
    for index, row in enumerate(rec.rows("purchase.order.line", rec.record.get("order_line"))):
        place = f"{rec.where}.order_line[{index}]"
        if row.get("display_type") or not row.get("product_id"):
            continue
        product = product_row(rec, row.get("product_id"), f"{place}.product_id")
        quantity = decimal(row.get("product_qty"))
        if product_kind(product) is not ProductKind.GOODS or quantity <= 0:
            continue
        price = decimal(row.get("price_unit"))
        if price < 0:
            raise MappingError("a goods line has a negative price", f"{place}.price_unit")
        lines.append(
            PurchaseOrderLine(
                line_id=str(row["id"]),
                sku=sku(product, f"{place}.product_id"),
                description=text(row.get("name")),
                quantity=Quantity(
                    value=quantity,
                    uom=uom_code(rec, row.get(uom_field), f"{place}.{uom_field}", options),
                ),
                unit_price=price,
                expected_date=odoo_date(row.get("date_planned")),
            )
        )
    return lines
