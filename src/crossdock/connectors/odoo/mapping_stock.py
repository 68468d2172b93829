"""stock.picking → fulfillment requests, shipments, cancellations and receipts.

Which event a transfer raises depends on its direction (``picking_type_code``) and ``state``
(addons/stock/models/stock_picking.py), see `codes.PICKING_EVENTS`: a ready delivery
(``assigned``, and ``confirmed``/``waiting`` when the partner's ``release_when`` says so)
is a fulfillment request, a done one a shipment, a cancelled one withdraws
the request; a done receipt records the goods received. Internal transfers raise nothing.
A ready delivery's lines are its moves (the demand, ``product_uom_qty`` in ``product_uom``),
a done transfer's lines its move lines (what was actually moved, with lots and packages).
"""

from __future__ import annotations

from collections.abc import Callable

from pydantic import BaseModel

from crossdock.canonical.carrier import (
    FulfillmentCancellation,
    FulfillmentLine,
    FulfillmentRequest,
)
from crossdock.canonical.common import Party, Quantity
from crossdock.canonical.event_types import (
    FULFILLMENT_CANCELLED_V1,
    FULFILLMENT_REQUESTED_V1,
    RECEIPT_RECORDED_V1,
    SHIPMENT_CREATED_V1,
)
from crossdock.canonical.purchase import Receipt, ReceiptLine
from crossdock.connectors.odoo.codes import MappingOptions
from crossdock.connectors.odoo.mapping_parties import carrier_of, party, product_row, sku, uom_code
from crossdock.connectors.odoo.mapping_picking import (
    done_lines,
    order_reference,
    picking_name,
    references,
    warehouse_party,
    warehouse_ref,
    warehouse_row,
)
from crossdock.connectors.odoo.mapping_record import (
    EnrichedRecord,
    Mapped,
    Row,
    decimal,
    m2o_id,
    odoo_date,
    odoo_datetime,
    required_time,
    text,
)
from crossdock.connectors.odoo.mapping_shipment import shipment
from crossdock.errors import MappingError


def map_picking(rec: EnrichedRecord, options: MappingOptions) -> list[Mapped]:
    code = text(rec.record.get("picking_type_code"))
    if code is None and (ptype := rec.row("stock.picking.type", rec.record.get("picking_type_id"))):
        code = text(ptype.get("code"))
    event_type = options.picking_event(str(code), str(rec.record.get("state")))
    if event_type is None:
        return []
    name = picking_name(rec)
    time = required_time(rec)
    data: BaseModel
    if event_type == FULFILLMENT_REQUESTED_V1:
        data = _fulfillment_request(rec, name, options)
    elif event_type == SHIPMENT_CREATED_V1:
        data = shipment(rec, options)
    elif event_type == FULFILLMENT_CANCELLED_V1:
        warehouse = warehouse_ref(warehouse_row(rec))
        data = FulfillmentCancellation(
            fulfillment_id=name,
            order_reference=order_reference(rec),
            warehouse=warehouse,
            cancelled_at=time,
            references=references(rec),
        )
    elif event_type == RECEIPT_RECORDED_V1:
        data = _receipt(rec, name, options)
    else:
        raise AssertionError(f"no picking mapping for {event_type}")
    return [Mapped(event_type, data, name, f"picking:{name}", time, order_reference(rec))]


def _fulfillment_request(
    rec: EnrichedRecord, name: str, options: MappingOptions
) -> FulfillmentRequest:
    record = rec.record
    warehouse = warehouse_row(rec)
    carrier = carrier_of(rec, record.get("carrier_id"), options)
    return FulfillmentRequest(
        fulfillment_id=name,
        order_reference=order_reference(rec),
        warehouse=warehouse_ref(warehouse),
        ship_from=_optional(lambda: warehouse_party(rec, warehouse)),
        ship_to=party(rec, record.get("partner_id"), f"{rec.where}.partner_id"),
        carrier_code=carrier[0] if carrier else None,
        service_level=carrier[1] if carrier else None,
        requested_ship_date=odoo_date(record.get("scheduled_date")),
        lines=_move_lines(rec, options),
        references=references(rec),
    )


def _move_lines(rec: EnrichedRecord, options: MappingOptions) -> list[FulfillmentLine]:
    lines: list[FulfillmentLine] = []
    for index, move in enumerate(rec.rows("stock.move", rec.record.get("move_ids"))):
        place = f"{rec.where}.move_ids[{index}]"
        quantity = decimal(move.get("product_uom_qty"))
        if move.get("state") == "cancel" or quantity <= 0:
            continue
        product = product_row(rec, move.get("product_id"), f"{place}.product_id")
        sale_line = m2o_id(move.get("sale_line_id"))
        lines.append(
            FulfillmentLine(
                line_id=str(move["id"]),
                sku=sku(product, f"{place}.product_id"),
                description=text(product.get("name")),
                quantity=Quantity(
                    value=quantity,
                    uom=uom_code(rec, move.get("product_uom"), f"{place}.product_uom", options),
                ),
                order_line_id=str(sale_line) if sale_line else None,
            )
        )
    if not lines:
        raise MappingError("the ready delivery has no move to fulfil", f"{rec.where}.move_ids")
    return lines


def _receipt(rec: EnrichedRecord, name: str, options: MappingOptions) -> Receipt:
    record = rec.record
    lines = [
        ReceiptLine(
            line_id=str(line.line_id),
            sku=line.sku,
            description=line.description,
            quantity=Quantity(value=line.quantity, uom=line.uom),
            lot=line.lot,
            purchase_line_id=_purchase_line(line.move),
        )
        for line in done_lines(rec, options)
    ]
    return Receipt(
        receipt_id=name,
        purchase_order_reference=order_reference(rec),
        supplier=_optional(lambda: party(rec, record.get("partner_id"), rec.where)),
        warehouse=warehouse_ref(warehouse_row(rec)),
        received_at=odoo_datetime(record.get("date_done")) or required_time(rec),
        lines=lines,
        references=references(rec),
    )


def _purchase_line(move: Row | None) -> str | None:
    rid = m2o_id(move.get("purchase_line_id")) if move else None
    return str(rid) if rid else None


def _optional(build: Callable[[], Party]) -> Party | None:
    """A party that is nice to have: an incomplete address leaves it out, not the event."""
    try:
        return build()
    except MappingError:
        return None
