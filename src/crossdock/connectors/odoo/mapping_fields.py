"""What the mappings read from Odoo: explicit fields per model and version (the links that
lead from a changed record to its related rows are in `mapping_links`).

Field names are Odoo's, per version:
- stock.move: ``quantity_done`` in 16 (addons/stock/models/stock_move.py, computed from the
  move lines' ``qty_done``), ``quantity`` + ``picked`` from 17;
- stock.move.line: ``qty_done`` in 16, ``quantity`` + ``picked`` from 17
  (addons/stock/models/stock_move_line.py);
- product: ``detailed_type`` (with ``'product'`` = storable, added by addons/stock
  product.py) up to 17; ``type`` in consu/service/combo plus stock's ``is_storable`` from 18;
- order line unit: ``product_uom`` up to 18, ``product_uom_id`` in 19 (sale, purchase);
- stock.picking ``sale_id`` (sale_stock), ``purchase_id`` (purchase_stock), ``carrier_id``
  and ``carrier_tracking_ref`` (delivery in 16, stock_delivery from 17).
Those modules must be installed in the Odoo database Crossdock reads.
"""

from __future__ import annotations

from collections.abc import Mapping


def line_uom_field(version: int) -> str:
    return "product_uom_id" if version >= 19 else "product_uom"


def move_qty_field(version: int) -> str:
    return "quantity_done" if version == 16 else "quantity"


def move_line_qty_field(version: int) -> str:
    return "qty_done" if version == 16 else "quantity"


def read_fields(version: int) -> Mapping[str, tuple[str, ...]]:
    """The fields read per model; the mapping reads nothing else."""
    line_uom = line_uom_field(version)
    product_type = ("type", "detailed_type") if version <= 17 else ("type", "is_storable")
    picked = () if version == 16 else ("picked",)
    return {
        "sale.order": ("name", "state", "partner_id", "partner_shipping_id", "order_line",
                       "currency_id", "commitment_date", "date_order", "client_order_ref",
                       "write_date"),
        "sale.order.line": ("order_id", "sequence", "name", "product_id", "product_uom_qty",
                            line_uom, "price_unit", "display_type"),
        "stock.picking": ("name", "state", "picking_type_code", "picking_type_id", "origin",
                          "partner_id", "sale_id", "purchase_id", "carrier_id",
                          "carrier_tracking_ref", "scheduled_date", "date_done", "move_ids",
                          "move_line_ids", "write_date"),
        "stock.move": ("picking_id", "product_id", "product_uom_qty", "product_uom",
                       move_qty_field(version), *picked, "state", "sale_line_id",
                       "purchase_line_id"),
        "stock.move.line": ("move_id", "product_id", "product_uom_id",
                            move_line_qty_field(version), *picked, "lot_id", "lot_name",
                            "result_package_id"),
        "stock.picking.type": ("code", "warehouse_id"),
        "stock.warehouse": ("name", "code", "partner_id"),
        "purchase.order": ("name", "state", "partner_id", "partner_ref", "origin",
                           "order_line", "currency_id", "date_order", "date_approve",
                           "date_planned", "write_date"),
        "purchase.order.line": ("order_id", "name", "product_id", "product_qty", line_uom,
                                "price_unit", "date_planned"),
        "stock.quant": ("product_id", "location_id", "quantity", "reserved_quantity",
                        "write_date"),
        "stock.location": ("complete_name", "usage", "warehouse_id"),
        "account.move": ("name", "move_type", "state", "partner_id", "invoice_origin", "ref",
                         "invoice_date", "invoice_date_due", "currency_id", "amount_untaxed",
                         "amount_tax", "amount_total", "amount_residual", "payment_state",
                         "invoice_line_ids", "write_date"),
        "account.move.line": ("name", "product_id", "quantity", "price_unit", "discount",
                              "price_subtotal", "price_total", "display_type"),
        "product.product": ("default_code", "barcode", "name", "uom_id", "weight", "active",
                            *product_type, "write_date"),
        "uom.uom": ("name",),
        "delivery.carrier": ("name", "delivery_type", "active", "write_date"),
        "res.partner": ("name", "parent_id", "is_company", "street", "street2", "zip", "city",
                        "country_id", "email", "phone", "write_date"),
        "res.country": ("code",),
    }  # fmt: skip


POLL_FIELDS: Mapping[str, tuple[str, ...]] = {
    "sale.order": ("name", "state"),
    "stock.picking": ("name", "state", "picking_type_code"),
    "purchase.order": ("name", "state"),
    "stock.quant": ("product_id", "location_id", "quantity", "reserved_quantity"),
    "account.move": ("name", "state", "move_type"),
    "product.product": ("default_code", "active"),
    "delivery.carrier": ("name", "active"),
}
"""What a poller (or an automation rule's webhook) should select per model: the fields
that decide the event. `enrich` reads the rest."""
