"""sale.order → ``crossdock.order.confirmed.v1`` (Order) or ``crossdock.order.cancelled.v1``.

Fields follow addons/sale/models/sale_order.py and sale_order_line.py: ``partner_id`` is the
customer, ``partner_shipping_id`` the delivery address, ``commitment_date`` the promised
delivery datetime (UTC), ``client_order_ref`` the customer's own reference; a line's
``product_uom_qty`` is in ``product_uom`` (``product_uom_id`` from 19), ``display_type`` marks
sections and notes. Only goods travel as order lines: service lines (shipping charges,
rewards, which may carry a negative price) are not the warehouse's business.
"""

from __future__ import annotations

from crossdock.canonical.carrier import OrderCancellation
from crossdock.canonical.common import ExternalRef, Quantity
from crossdock.canonical.event_types import ORDER_CANCELLED_V1
from crossdock.canonical.order import Order, OrderLine
from crossdock.canonical.product import ProductKind
from crossdock.connectors.odoo.codes import SALE_ORDER_EVENTS, MappingOptions
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
    required_time,
    text,
)
from crossdock.errors import MappingError


def map_sale_order(rec: EnrichedRecord, options: MappingOptions) -> list[Mapped]:
    event_type = SALE_ORDER_EVENTS.get(str(rec.record.get("state")))
    if event_type is None:
        return []
    name = _name(rec)
    time = required_time(rec)
    lanekey = f"sale_order:{name}"
    if event_type == ORDER_CANCELLED_V1:
        cancelled = OrderCancellation(order_number=name, cancelled_at=time, partner_refs=_refs(rec))
        return [Mapped(event_type, cancelled, name, lanekey, time, name)]
    lines = _lines(rec, options)
    if not lines:
        return []  # nothing physical to fulfil (a service-only order)
    record = rec.record
    order = Order(
        order_number=name,
        partner_refs=_refs(rec),
        customer=party(rec, record.get("partner_id"), f"{rec.where}.partner_id"),
        ship_to=party(
            rec,
            record.get("partner_shipping_id") or record.get("partner_id"),
            f"{rec.where}.partner_shipping_id",
        ),
        requested_ship_date=odoo_date(record.get("commitment_date")),
        currency=_currency(rec),
        lines=lines,
    )
    return [Mapped(event_type, order, name, lanekey, time, name)]


def _name(rec: EnrichedRecord) -> str:
    name = text(rec.record.get("name"))
    if name is None:
        raise MappingError("the order has no name", f"{rec.where}.name")
    return name


def _refs(rec: EnrichedRecord) -> list[ExternalRef]:
    refs = [odoo_ref("sale.order", rec.id)]
    if customer_ref := text(rec.record.get("client_order_ref")):
        refs.append(ExternalRef(system="customer", value=customer_ref))
    return refs


def _currency(rec: EnrichedRecord) -> str:
    code = m2o_name(rec.record.get("currency_id"))
    if code is None:
        raise MappingError("the order has no currency", f"{rec.where}.currency_id")
    return code


def _lines(rec: EnrichedRecord, options: MappingOptions) -> list[OrderLine]:
    uom_field = line_uom_field(rec.version)
    lines: list[OrderLine] = []
    rows = rec.rows("sale.order.line", rec.record.get("order_line"))
    for index, row in enumerate(rows):
        place = f"{rec.where}.order_line[{index}]"
        if row.get("display_type"):
            continue  # a section or a note
        product = product_row(rec, row.get("product_id"), f"{place}.product_id")
        quantity = decimal(row.get("product_uom_qty"))
        if product_kind(product) is not ProductKind.GOODS or quantity == 0:
            continue
        price = decimal(row.get("price_unit"))
        if price < 0:
            raise MappingError("a goods line has a negative price", f"{place}.price_unit")
        uom = uom_code(rec, row.get(uom_field), f"{place}.{uom_field}", options)
        lines.append(
            OrderLine(
                line_id=str(row["id"]),
                sku=sku(product, f"{place}.product_id"),
                description=text(row.get("name")),
                quantity=Quantity(value=quantity, uom=uom),
                unit_price=price,
            )
        )
    return lines
