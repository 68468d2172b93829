"""Purchases: ``purchase.order`` and its lines, confirmed into a receipt.

Follows ``addons/purchase/models/purchase_order.py`` and ``purchase_order_line.py`` and
``addons/purchase_stock`` (``_create_picking``): orders are named P00001...; states are
``draft``, ``sent``, ``to approve``, ``purchase``, ``done`` and ``cancel``; ``button_confirm``
approves at once (no double validation) and creates an incoming transfer from the vendors'
location into WH/Stock whose moves carry ``purchase_line_id``; validating it raises the
lines' ``qty_received``. ``receipt_status`` exists from 17.

Writing a confirmed line follows addons/purchase_stock/models/purchase_order_line.py
``write``: a new ``date_planned`` moves the ``date`` of the line's open incoming moves
(``_update_move_dates``), and a new ``product_qty`` changes the open receipt's demand by the
difference (``_create_or_update_picking`` creates a move for the difference, positive or
negative, and ``_action_confirm`` merges it into the open move: the sandbox applies the net
result to that move directly).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from crossdock.sandbox.odoo.errors import UserError
from crossdock.sandbox.odoo.fields import (
    Field,
    Method,
    ModelSpec,
    Vals,
    char,
    datetime_,
    float_,
    many2one,
    monetary,
    one2many,
    select,
    selection,
    text,
)
from crossdock.sandbox.odoo.models import stock
from crossdock.sandbox.odoo.models.mail import mail_thread_methods
from crossdock.sandbox.odoo.versions import OdooVersion

if TYPE_CHECKING:
    from crossdock.sandbox.odoo.orm import Env

EPSILON = 1e-6
STATES = selection(
    ("draft", "RFQ"),
    ("sent", "RFQ Sent"),
    ("to approve", "To Approve"),
    ("purchase", "Purchase Order"),
    ("done", "Locked"),
    ("cancel", "Cancelled"),
)


def _before_create_order(env: Env, vals: Vals) -> Vals:
    values = dict(vals)
    if not values.get("name") or values.get("name") in ("New", "/"):
        values["name"] = env.next_sequence("purchase.order", "P", 5)
    return values


def _before_create_line(env: Env, vals: Vals) -> Vals:
    values = dict(vals)
    product = values.get("product_id")
    if product and env.exists("product.product", product):
        values.setdefault("name", env.display_name("product.product", product))
        values.setdefault(env.version.line_uom_field, env.get("product.product", product, "uom_id"))
        values.setdefault("price_unit", env.get("product.product", product, "standard_price"))
    return values


def _subtotal(env: Env, rid: int) -> float:
    line = env.raw("purchase.order.line", rid)
    return round(float(line["product_qty"]) * float(line["price_unit"]), 2)


def _amount(env: Env, rid: int) -> float:
    return round(
        sum(_subtotal(env, line) for line in env.get("purchase.order", rid, "order_line")), 2
    )


def _line_state(env: Env, rid: int) -> Any:
    order = env.raw("purchase.order.line", rid)["order_id"]
    return (
        env.raw("purchase.order", order)["state"] if env.exists("purchase.order", order) else False
    )


def _qty_invoiced(env: Env, rid: int) -> float:
    total = 0.0
    for rec in env.db.tables["account.move.line"].values():
        if rec.get("purchase_line_id") == rid:
            move = env.raw("account.move", rec["move_id"])
            if move["state"] != "cancel":
                total += float(rec.get("quantity") or 0.0)
    return total


def _receipt_status(env: Env, rid: int) -> Any:
    pickings = [
        env.raw("stock.picking", p)["state"]
        for p in env.get("purchase.order", rid, "picking_ids")
        if env.raw("stock.picking", p)["state"] != "cancel"
    ]
    if not pickings:
        return False
    if all(state == "done" for state in pickings):
        return "full"
    if any(state == "done" for state in pickings):
        return "partial"
    return "pending"


def _invoice_status(env: Env, rid: int) -> str:
    if env.raw("purchase.order", rid)["state"] not in ("purchase", "done"):
        return "no"
    lines = env.get("purchase.order", rid, "order_line")
    if any(
        float(env.raw("purchase.order.line", line).get("qty_received") or 0.0)
        - _qty_invoiced(env, line)
        > EPSILON
        for line in lines
    ):
        return "to invoice"
    if lines and all(
        _qty_invoiced(env, line)
        >= float(env.raw("purchase.order.line", line)["product_qty"]) - EPSILON
        for line in lines
    ):
        return "invoiced"
    return "no"


def add_received(env: Env, line_id: int, quantity: float) -> None:
    current = float(env.raw("purchase.order.line", line_id).get("qty_received") or 0.0)
    env.set("purchase.order.line", line_id, qty_received=current + quantity)
    order = int(env.raw("purchase.order.line", line_id)["order_id"])
    env.set("purchase.order", order, invoice_status=_invoice_status(env, order))


def _create_picking(env: Env, order_id: int) -> None:
    order = env.raw("purchase.order", order_id)
    lines = [
        line
        for line in env.get("purchase.order", order_id, "order_line")
        if env.raw("purchase.order.line", line).get("product_id")
        and env.get("product.product", env.raw("purchase.order.line", line)["product_id"], "type")
        != "service"
    ]
    if not lines:
        return
    warehouse = env.ref("stock.warehouse0")
    in_type = env.get("stock.warehouse", warehouse, "in_type_id")
    picking = env.create(
        "stock.picking",
        {
            "picking_type_id": in_type,
            "partner_id": order["partner_id"],
            "origin": order["name"],
            "purchase_id": order_id,
            "scheduled_date": order.get("date_planned") or env.now(),
            "company_id": order.get("company_id") or False,
        },
    )
    moves = [
        env.create(
            "stock.move",
            {
                "picking_id": picking,
                "product_id": env.raw("purchase.order.line", line)["product_id"],
                "product_uom_qty": env.raw("purchase.order.line", line)["product_qty"],
                "purchase_line_id": line,
                "name": env.raw("purchase.order.line", line).get("name") or "",
            },
        )
        for line in lines
    ]
    stock.confirm_moves(env, moves)


def _open_incoming_moves(env: Env, line_id: int) -> list[int]:
    return [
        move
        for move in env.get("purchase.order.line", line_id, "move_ids")
        if env.raw("stock.move", move)["state"] not in ("done", "cancel")
        and env.raw("stock.move", move).get("picking_id")
        and env.get("stock.picking", env.raw("stock.move", move)["picking_id"], "picking_type_code")
        == "incoming"
    ]


def _after_write_line(env: Env, line_id: int, vals: Vals, before: Mapping[str, Any]) -> None:
    moves = _open_incoming_moves(env, line_id)
    if vals.get("date_planned"):
        for move in moves:
            env.set(
                "stock.move", move, date=env.raw("purchase.order.line", line_id)["date_planned"]
            )
    if "product_qty" not in vals or _line_state(env, line_id) != "purchase" or not moves:
        return
    diff = float(vals["product_qty"] or 0.0) - float(before.get("product_qty") or 0.0)
    if abs(diff) <= EPSILON:
        return
    move = moves[0]
    demand = max(float(env.raw("stock.move", move)["product_uom_qty"]) + diff, 0.0)
    stock.unreserve_moves(env, [move])
    env.set("stock.move", move, product_uom_qty=demand, state="confirmed")
    stock.confirm_moves(env, [move])


def button_confirm(env: Env, model: str, ids: list[int]) -> bool:
    for rid in ids:
        if env.raw(model, rid)["state"] not in ("draft", "sent"):
            continue
        env.set(model, rid, state="purchase", date_approve=env.now())
        _create_picking(env, rid)
    return True


def button_cancel(env: Env, model: str, ids: list[int]) -> bool:
    for rid in ids:
        order = env.raw(model, rid)
        pickings = env.get(model, rid, "picking_ids")
        if any(env.raw("stock.picking", p)["state"] == "done" for p in pickings):
            raise UserError(
                f"Unable to cancel purchase order {order['name']} as some receptions have already "
                "been done."
            )
        open_pickings = [p for p in pickings if env.raw("stock.picking", p)["state"] != "cancel"]
        if open_pickings:
            stock.action_cancel(env, "stock.picking", open_pickings)
        env.set(model, rid, state="cancel")
    return True


def button_draft(env: Env, model: str, ids: list[int]) -> bool:
    for rid in ids:
        env.set(model, rid, state="draft")
    return True


def button_done(env: Env, model: str, ids: list[int]) -> bool:
    for rid in ids:
        env.set(model, rid, state="done")
    return True


def _order_fields(version: OdooVersion) -> dict[str, Field]:
    fields: dict[str, Field] = {
        "name": char("Order Reference", required=True, default="New"),
        "partner_id": many2one("res.partner", "Vendor", required=True),
        "partner_ref": char("Vendor Reference"),
        "origin": char("Source Document"),
        "state": select("Status", STATES, default="draft"),
        "date_order": datetime_(
            "Order Deadline", required=True, default=lambda env, vals: env.now()
        ),
        "date_approve": datetime_("Confirmation Date"),
        "date_planned": datetime_("Expected Arrival"),
        "order_line": one2many("purchase.order.line", "order_id", "Order Lines"),
        "picking_ids": one2many("stock.picking", "purchase_id", "Receptions"),
        "incoming_picking_count": Field(
            "integer",
            "Incoming Shipment count",
            compute=lambda env, rid: len(env.get("purchase.order", rid, "picking_ids")),
        ),
        "invoice_status": select(
            "Billing Status",
            selection(
                ("no", "Nothing to Bill"),
                ("to invoice", "Waiting Bills"),
                ("invoiced", "Fully Billed"),
            ),
            default="no",
        ),
        "amount_untaxed": monetary("Untaxed Amount", compute=_amount),
        "amount_tax": monetary("Taxes", compute=lambda env, rid: 0.0),
        "amount_total": monetary("Total", compute=_amount),
        "currency_id": many2one(
            "res.currency", "Currency", default=lambda env, vals: env.ref("base.EUR")
        ),
        "user_id": many2one("res.users", "Buyer", default=lambda env, vals: env.uid),
        "company_id": many2one(
            "res.company", "Company", default=lambda env, vals: env.ref("base.main_company")
        ),
        "notes": text("Terms and Conditions"),
    }
    if version.major >= 17:
        fields["receipt_status"] = select(
            "Receipt Status",
            selection(
                ("pending", "Not Received"),
                ("partial", "Partially Received"),
                ("full", "Fully Received"),
            ),
            compute=_receipt_status,
        )
    return fields


def _line_fields(version: OdooVersion) -> dict[str, Field]:
    return {
        "order_id": many2one("purchase.order", "Order Reference", required=True),
        "name": text("Description", required=True),
        "product_id": many2one("product.product", "Product"),
        "product_qty": float_("Quantity", default=1.0),
        version.line_uom_field: many2one("uom.uom", "Unit of Measure"),
        "price_unit": float_("Unit Price", default=0.0),
        "price_subtotal": monetary("Subtotal", compute=_subtotal),
        "qty_received": float_("Received Qty", default=0.0),
        "qty_invoiced": float_("Billed Qty", compute=_qty_invoiced),
        "date_planned": datetime_("Expected Arrival"),
        "move_ids": one2many("stock.move", "purchase_line_id", "Reservation"),
        "state": select("Status", STATES, compute=_line_state),
    }


def models(version: OdooVersion) -> list[ModelSpec]:
    return [
        ModelSpec(
            "purchase.order",
            "Purchase Order",
            _order_fields(version),
            order="id desc",
            before_create=_before_create_order,
            methods={
                "button_confirm": Method(button_confirm),
                "button_cancel": Method(button_cancel),
                "button_draft": Method(button_draft),
                "button_done": Method(button_done),
                **mail_thread_methods(version),
            },
        ),
        ModelSpec(
            "purchase.order.line",
            "Purchase Order Line",
            _line_fields(version),
            order="order_id, id",
            before_create=_before_create_line,
            after_write=_after_write_line,
        ),
    ]
