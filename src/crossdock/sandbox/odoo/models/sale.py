"""Sales: ``sale.order``, its lines, the cancel wizard and the invoicing wizard.

Follows ``addons/sale/models/sale_order.py`` and ``sale_order_line.py`` (states, names
SO001..., ``invoice_status``, ``qty_to_invoice``), ``addons/sale_stock`` (confirming creates
the delivery order, its moves carry ``sale_line_id``; validation raises ``qty_delivered``),
``addons/sale/wizard/sale_order_cancel.py`` and ``sale_make_invoice_advance.py``:

- 16 has the ``done`` state; 17+ replaced it with ``locked``;
- ``action_cancel`` on a confirmed order answers the ``sale.order.cancel`` wizard action
  unless ``disable_cancel_warning`` is in the context (``_show_cancel_wizard``);
- ``sale.advance.payment.inv`` with ``advance_payment_method='delivered'`` invoices what was
  delivered and not yet invoiced; with nothing to invoice it raises the version's UserError.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from crossdock.sandbox.odoo.errors import UserError
from crossdock.sandbox.odoo.fields import (
    Field,
    Method,
    ModelSpec,
    Vals,
    boolean,
    char,
    datetime_,
    float_,
    many2many,
    many2one,
    monetary,
    one2many,
    select,
    selection,
    text,
)
from crossdock.sandbox.odoo.models import stock
from crossdock.sandbox.odoo.models.mail import ensure_one, mail_thread_methods
from crossdock.sandbox.odoo.models.product import is_storable
from crossdock.sandbox.odoo.versions import OdooVersion

if TYPE_CHECKING:
    from crossdock.sandbox.odoo.orm import Env

EPSILON = 1e-6
CANCEL_VIEW_ID = 2042
CANCEL_TEMPLATE_ID = 23
LAYOUT = "mail.mail_notification_layout_with_responsible_signature"
INVOICE_STATUS = selection(
    ("upselling", "Upselling Opportunity"),
    ("invoiced", "Fully Invoiced"),
    ("to invoice", "To Invoice"),
    ("no", "Nothing to Invoice"),
)


def _states(version: OdooVersion) -> tuple[tuple[str, str], ...]:
    states = [("draft", "Quotation"), ("sent", "Quotation Sent"), ("sale", "Sales Order")]
    if version.sale_has_done_state:
        states.append(("done", "Locked"))
    states.append(("cancel", "Cancelled"))
    return tuple(states)


def _confirmed_states(env: Env) -> tuple[str, ...]:
    return ("sale", "done") if env.version.sale_has_done_state else ("sale",)


# --- lines -------------------------------------------------------------------------------


def _line_order_state(env: Env, rid: int) -> Any:
    order = env.raw("sale.order.line", rid)["order_id"]
    return env.raw("sale.order", order)["state"] if env.exists("sale.order", order) else False


def invoice_lines_of(env: Env, line_id: int) -> list[int]:
    return sorted(
        aml
        for aml, rec in env.db.tables["account.move.line"].items()
        if line_id in (rec.get("sale_line_ids") or [])
    )


def _qty_invoiced(env: Env, rid: int) -> float:
    total = 0.0
    for aml in invoice_lines_of(env, rid):
        line = env.raw("account.move.line", aml)
        move = env.raw("account.move", line["move_id"])
        if move["state"] == "cancel":
            continue
        sign = -1.0 if move["move_type"] == "out_refund" else 1.0
        total += sign * float(line.get("quantity") or 0.0)
    return total


def _qty_to_invoice(env: Env, rid: int) -> float:
    if _line_order_state(env, rid) not in _confirmed_states(env):
        return 0.0
    line = env.raw("sale.order.line", rid)
    product = line.get("product_id")
    policy = env.get("product.product", product, "invoice_policy") if product else "order"
    base = (
        float(line.get("qty_delivered") or 0.0)
        if policy == "delivery"
        else float(line["product_uom_qty"])
    )
    return base - _qty_invoiced(env, rid)


def _line_invoice_status(env: Env, rid: int) -> str:
    if _line_order_state(env, rid) not in _confirmed_states(env):
        return "no"
    line = env.raw("sale.order.line", rid)
    if abs(_qty_to_invoice(env, rid)) > EPSILON:
        return "to invoice"
    product = line.get("product_id")
    policy = env.get("product.product", product, "invoice_policy") if product else "order"
    if (
        policy == "order"
        and float(line.get("qty_delivered") or 0.0) > float(line["product_uom_qty"]) + EPSILON
    ):
        return "upselling"
    if _qty_invoiced(env, rid) >= float(line["product_uom_qty"]) - EPSILON:
        return "invoiced"
    return "no"


def _subtotal(env: Env, rid: int) -> float:
    line = env.raw("sale.order.line", rid)
    discount = float(line.get("discount") or 0.0)
    return round(
        float(line["product_uom_qty"]) * float(line["price_unit"]) * (1 - discount / 100), 2
    )


def _before_create_line(env: Env, vals: Vals) -> Vals:
    values = dict(vals)
    product = values.get("product_id")
    uom_field = env.version.line_uom_field
    if product and env.exists("product.product", product):
        values.setdefault("name", env.display_name("product.product", product))
        values.setdefault(uom_field, env.get("product.product", product, "uom_id"))
        values.setdefault("price_unit", env.get("product.product", product, "list_price"))
    return values


def _after_create_line(env: Env, rid: int) -> None:
    """A line added to a confirmed order gets its delivery (``_action_launch_stock_rule``)."""
    order = env.raw("sale.order.line", rid)["order_id"]
    if env.raw("sale.order", order)["state"] in _confirmed_states(env):
        _launch_stock_rules(env, order, [rid])
        refresh_invoice_status(env, order)


def add_delivered(env: Env, line_id: int, quantity: float) -> None:
    """``_compute_qty_delivered`` after a done outgoing move."""
    current = float(env.raw("sale.order.line", line_id).get("qty_delivered") or 0.0)
    env.set("sale.order.line", line_id, qty_delivered=current + quantity)
    refresh_invoice_status(env, int(env.raw("sale.order.line", line_id)["order_id"]))


def refresh_invoice_status(env: Env, order_id: int) -> None:
    """``_compute_invoice_status`` of sale.order, stored: it moves ``write_date`` too."""
    state = env.raw("sale.order", order_id)["state"]
    lines = env.get("sale.order", order_id, "order_line")
    statuses = [_line_invoice_status(env, line) for line in lines]
    if state not in _confirmed_states(env):
        status = "no"
    elif any(s == "to invoice" for s in statuses):
        status = "to invoice"
    elif statuses and all(s == "invoiced" for s in statuses):
        status = "invoiced"
    elif statuses and all(s in ("invoiced", "upselling") for s in statuses):
        status = "upselling"
    else:
        status = "no"
    if env.raw("sale.order", order_id).get("invoice_status") != status:
        env.set("sale.order", order_id, invoice_status=status)


# --- orders ------------------------------------------------------------------------------


def _before_create_order(env: Env, vals: Vals) -> Vals:
    values = dict(vals)
    if not values.get("name") or values.get("name") in ("New", "/"):
        values["name"] = env.next_sequence("sale.order", "SO", 3)
    partner = values.get("partner_id")
    if partner:
        values.setdefault("partner_invoice_id", partner)
        values.setdefault("partner_shipping_id", partner)
    return values


def _amount(env: Env, rid: int) -> float:
    return round(sum(_subtotal(env, line) for line in env.get("sale.order", rid, "order_line")), 2)


def _invoice_ids(env: Env, rid: int) -> list[int]:
    moves: set[int] = set()
    for line in env.get("sale.order", rid, "order_line"):
        for aml in invoice_lines_of(env, line):
            moves.add(int(env.raw("account.move.line", aml)["move_id"]))
    return sorted(moves)


def _launch_stock_rules(env: Env, order_id: int, line_ids: list[int]) -> None:
    """sale_stock: one outgoing transfer per order, a move per goods line, then confirm."""
    order = env.raw("sale.order", order_id)
    todo = []
    for line_id in line_ids:
        line = env.raw("sale.order.line", line_id)
        product = line.get("product_id")
        if not product or env.get("product.product", product, "type") == "service":
            continue
        todo.append(line_id)
    if not todo:
        return
    warehouse = order.get("warehouse_id") or env.ref("stock.warehouse0")
    out_type = env.get("stock.warehouse", warehouse, "out_type_id")
    open_pickings = [
        p
        for p in env.get("sale.order", order_id, "picking_ids")
        if env.raw("stock.picking", p)["state"] not in ("done", "cancel")
        and env.raw("stock.picking", p)["picking_type_id"] == out_type
    ]
    if open_pickings:
        picking = open_pickings[0]
    else:
        picking = env.create(
            "stock.picking",
            {
                "picking_type_id": out_type,
                "partner_id": order.get("partner_shipping_id") or order["partner_id"],
                "origin": order["name"],
                "sale_id": order_id,
                "carrier_id": order.get("carrier_id") or False,
                "scheduled_date": order.get("commitment_date") or env.now(),
                "company_id": order.get("company_id") or False,
            },
        )
    moves = []
    for line_id in todo:
        line = env.raw("sale.order.line", line_id)
        moves.append(
            env.create(
                "stock.move",
                {
                    "picking_id": picking,
                    "product_id": line["product_id"],
                    "product_uom_qty": line["product_uom_qty"],
                    "sale_line_id": line_id,
                    "name": line.get("name")
                    or env.display_name("product.product", line["product_id"]),
                },
            )
        )
    stock.confirm_moves(env, [m for m in moves if env.raw("stock.move", m)["state"] == "draft"])


def action_confirm(env: Env, model: str, ids: list[int]) -> bool:
    for rid in ids:
        order = env.raw(model, rid)
        if env.version.major == 16:
            if order["state"] in ("done", "cancel"):
                raise UserError(
                    "It is not allowed to confirm an order in the following states: done, cancel"
                )
        elif order["state"] not in ("draft", "sent"):
            raise UserError("Some orders are not in a state requiring confirmation.")
        if env.version.major >= 17 and any(
            not env.raw("sale.order.line", line).get("product_id")
            and not env.raw("sale.order.line", line).get("display_type")
            for line in env.get(model, rid, "order_line")
        ):
            raise UserError("A line on these orders missing a product, you cannot confirm it.")
    for rid in ids:
        env.set(model, rid, state="sale", date_order=env.now())
        _launch_stock_rules(env, rid, env.get(model, rid, "order_line"))
        refresh_invoice_status(env, rid)
    return True


def _show_cancel_wizard(env: Env, model: str, ids: list[int]) -> bool:
    if env.context.get("disable_cancel_warning"):
        return False
    return any(env.raw(model, rid)["state"] != "draft" for rid in ids)


def action_cancel(env: Env, model: str, ids: list[int]) -> Any:
    if env.version.major >= 17 and any(env.raw(model, rid).get("locked") for rid in ids):
        raise UserError("You cannot cancel a locked order. Please unlock it first.")
    if _show_cancel_wizard(env, model, ids):
        rid = ensure_one(model, ids)
        context: dict[str, Any] = {
            "default_template_id": CANCEL_TEMPLATE_ID,
            "default_order_id": rid,
            "mark_so_as_canceled": True,
            "default_email_layout_xmlid": LAYOUT,
            "model_description": "Sales Order",
        }
        if env.version.major == 16:
            context = {"default_use_template": True, **context}
        return {
            "name": "Cancel Sales Order",
            "view_mode": "form",
            "res_model": "sale.order.cancel",
            "view_id": CANCEL_VIEW_ID,
            "type": "ir.actions.act_window",
            "context": context,
            "target": "new",
        }
    for rid in ids:
        for invoice in _invoice_ids(env, rid):
            if env.raw("account.move", invoice)["state"] == "draft":
                env.set("account.move", invoice, state="cancel")
        pickings = [
            p
            for p in env.get(model, rid, "picking_ids")
            if env.raw("stock.picking", p)["state"] != "done"
        ]
        if pickings:
            stock.action_cancel(env, "stock.picking", pickings)
        env.set(model, rid, state="cancel")
        refresh_invoice_status(env, rid)
    return True


def action_draft(env: Env, model: str, ids: list[int]) -> bool:
    for rid in ids:
        if env.raw(model, rid)["state"] in ("cancel", "sent"):
            env.set(model, rid, state="draft")
    return True


def action_lock(env: Env, model: str, ids: list[int]) -> bool:
    for rid in ids:
        if env.version.sale_has_done_state:
            env.set(model, rid, state="done")
        else:
            env.set(model, rid, locked=True)
    return True


def action_unlock(env: Env, model: str, ids: list[int]) -> bool:
    for rid in ids:
        if env.version.sale_has_done_state:
            env.set(model, rid, state="sale")
        else:
            env.set(model, rid, locked=False)
    return True


def _before_unlink_order(env: Env, rid: int) -> None:
    if env.raw("sale.order", rid)["state"] not in ("draft", "cancel"):
        raise UserError(
            "You can not delete a sent quotation or a confirmed sales order. "
            "You must first cancel it."
        )


def cancel_wizard_action_cancel(env: Env, model: str, ids: list[int]) -> Any:
    rid = ensure_one(model, ids)
    order = int(env.raw(model, rid)["order_id"])
    return action_cancel(env.with_context(disable_cancel_warning=True), "sale.order", [order])


# --- invoicing wizard --------------------------------------------------------------------


def create_invoices_for(env: Env, orders: list[int]) -> list[int]:
    """``sale.order._create_invoices``: one customer invoice per order, lines to invoice only."""
    invoices = []
    for order_id in orders:
        order = env.raw("sale.order", order_id)
        commands = []
        for line_id in env.get("sale.order", order_id, "order_line"):
            qty = _qty_to_invoice(env, line_id)
            if qty <= EPSILON:
                continue
            line = env.raw("sale.order.line", line_id)
            commands.append(
                (
                    0,
                    0,
                    {
                        "product_id": line.get("product_id") or False,
                        "name": line.get("name") or "",
                        "quantity": qty,
                        "price_unit": line["price_unit"],
                        "discount": line.get("discount") or 0.0,
                        "sale_line_ids": [(6, 0, [line_id])],
                    },
                )
            )
        if not commands:
            continue
        invoices.append(
            env.create(
                "account.move",
                {
                    "move_type": "out_invoice",
                    "partner_id": order.get("partner_invoice_id") or order["partner_id"],
                    "invoice_origin": order["name"],
                    "ref": order.get("client_order_ref") or False,
                    "invoice_line_ids": commands,
                    "company_id": order.get("company_id") or False,
                },
            )
        )
    if not invoices:
        raise UserError(env.version.nothing_to_invoice_message)
    for order_id in orders:
        refresh_invoice_status(env, order_id)
    return invoices


def _default_orders(env: Env, vals: Vals) -> Any:
    if env.context.get("active_model") == "sale.order" and env.context.get("active_ids"):
        return [(6, 0, list(env.context["active_ids"]))]
    return None


def create_invoices(env: Env, model: str, ids: list[int]) -> Any:
    rid = ensure_one(model, ids)
    wizard = env.raw(model, rid)
    orders = list(wizard.get("sale_order_ids") or [])
    if not orders and env.context.get("active_model") == "sale.order":
        orders = list(env.context.get("active_ids") or [])
    if wizard["advance_payment_method"] != "delivered":
        raise UserError("The sandbox simulates regular invoices only, not down payments.")
    invoices = create_invoices_for(env, orders)
    if env.context.get("open_invoices"):
        action: dict[str, Any] = {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "name": "Invoices",
            "context": {"default_move_type": "out_invoice"},
        }
        if len(invoices) == 1:
            action["views"] = [[False, "form"]]
            action["res_id"] = invoices[0]
        else:
            action["views"] = [[False, "list"], [False, "form"]]
            action["domain"] = [["id", "in", invoices]]
        return action
    return {"type": "ir.actions.act_window_close"}


# --- model declarations ------------------------------------------------------------------


def _order_fields(version: OdooVersion) -> dict[str, Field]:
    fields: dict[str, Field] = {
        "name": char("Order Reference", required=True, default="New"),
        "partner_id": many2one("res.partner", "Customer", required=True),
        "partner_invoice_id": many2one("res.partner", "Invoice Address"),
        "partner_shipping_id": many2one("res.partner", "Delivery Address"),
        "state": select("Status", _states(version), default="draft"),
        "date_order": datetime_("Order Date", required=True, default=lambda env, vals: env.now()),
        "commitment_date": datetime_("Delivery Date"),
        "client_order_ref": char("Customer Reference"),
        "origin": char("Source Document"),
        "note": text("Terms and conditions"),
        "order_line": one2many("sale.order.line", "order_id", "Order Lines"),
        "picking_ids": one2many("stock.picking", "sale_id", "Transfers"),
        "delivery_count": Field(
            "integer",
            "Delivery Orders",
            compute=lambda env, rid: len(env.get("sale.order", rid, "picking_ids")),
        ),
        "invoice_ids": many2many("account.move", "Invoices", compute=_invoice_ids),
        "invoice_count": Field(
            "integer", "Invoice Count", compute=lambda env, rid: len(_invoice_ids(env, rid))
        ),
        "invoice_status": select("Invoice Status", INVOICE_STATUS, default="no"),
        "amount_untaxed": monetary("Untaxed Amount", compute=_amount),
        "amount_tax": monetary("Taxes", compute=lambda env, rid: 0.0),
        "amount_total": monetary("Total", compute=_amount),
        "currency_id": many2one(
            "res.currency", "Currency", default=lambda env, vals: env.ref("base.EUR")
        ),
        "user_id": many2one("res.users", "Salesperson", default=lambda env, vals: env.uid),
        "company_id": many2one(
            "res.company", "Company", default=lambda env, vals: env.ref("base.main_company")
        ),
        "warehouse_id": many2one(
            "stock.warehouse", "Warehouse", default=lambda env, vals: env.ref("stock.warehouse0")
        ),
        "carrier_id": many2one("delivery.carrier", "Delivery Method"),
    }
    if not version.sale_has_done_state:
        fields["locked"] = boolean("Locked", default=False)
    return fields


def _line_fields(version: OdooVersion) -> dict[str, Field]:
    return {
        "order_id": many2one("sale.order", "Order Reference", required=True),
        "sequence": Field("integer", "Sequence", default=10),
        "name": text("Description", required=True),
        "product_id": many2one("product.product", "Product"),
        "product_uom_qty": float_("Quantity", default=1.0),
        version.line_uom_field: many2one("uom.uom", "Unit of Measure"),
        "price_unit": float_("Unit Price", default=0.0),
        "discount": float_("Discount (%)", default=0.0),
        "price_subtotal": monetary("Subtotal", compute=_subtotal),
        "price_total": monetary("Total", compute=_subtotal),
        "qty_delivered": float_("Delivery Quantity", default=0.0),
        "qty_invoiced": float_("Invoiced Quantity", compute=_qty_invoiced),
        "qty_to_invoice": float_("Quantity To Invoice", compute=_qty_to_invoice),
        "invoice_lines": many2many("account.move.line", "Invoice Lines", compute=invoice_lines_of),
        "invoice_status": select("Invoice Status", INVOICE_STATUS, compute=_line_invoice_status),
        "move_ids": one2many("stock.move", "sale_line_id", "Stock Moves"),
        "state": select("Order Status", _states(version), compute=_line_order_state),
        "display_type": select(
            "Display Type",
            selection(("line_section", "Section"), ("line_note", "Note")),
            default=False,
        ),
    }


def _order_display(env: Env, rid: int) -> str:
    return str(env.raw("sale.order", rid)["name"])


def _line_display(env: Env, rid: int) -> str:
    line = env.raw("sale.order.line", rid)
    order = (
        env.raw("sale.order", line["order_id"])["name"]
        if env.exists("sale.order", line["order_id"])
        else ""
    )
    return f"{order} - {line.get('name') or ''}"


def models(version: OdooVersion) -> list[ModelSpec]:
    return [
        ModelSpec(
            "sale.order",
            "Sales Order",
            _order_fields(version),
            order="date_order desc, id desc",
            display_name=_order_display,
            before_create=_before_create_order,
            before_unlink=_before_unlink_order,
            methods={
                "action_confirm": Method(action_confirm),
                "action_cancel": Method(action_cancel),
                "action_draft": Method(action_draft),
                "action_lock" if version.major >= 17 else "action_done": Method(action_lock),
                "action_unlock": Method(action_unlock),
                **mail_thread_methods(version),
            },
        ),
        ModelSpec(
            "sale.order.line",
            "Sales Order Line",
            _line_fields(version),
            order="order_id, sequence, id",
            display_name=_line_display,
            before_create=_before_create_line,
            after_create=_after_create_line,
        ),
        ModelSpec(
            "sale.order.cancel",
            "Sales Order Cancel",
            {
                "order_id": many2one("sale.order", "Sale Order", required=True),
                "template_id": Field("integer", "Mail Template"),
                "subject": char("Subject"),
                "body": text("Contents"),
            },
            transient=True,
            rec_name=None,
            methods={
                "action_cancel": Method(cancel_wizard_action_cancel),
                "action_send_mail_and_cancel": Method(cancel_wizard_action_cancel),
            },
        ),
        ModelSpec(
            "sale.advance.payment.inv",
            "Sales Advance Payment Invoice",
            {
                "advance_payment_method": select(
                    "Create Invoice",
                    selection(
                        ("delivered", "Regular invoice"),
                        ("percentage", "Down payment (percentage)"),
                        ("fixed", "Down payment (fixed amount)"),
                    ),
                    required=True,
                    default="delivered",
                ),
                "sale_order_ids": many2many("sale.order", "Sales Orders", default=_default_orders),
                "deduct_down_payments": boolean("Deduct down payments", default=True),
                "amount": float_("Down Payment"),
                "fixed_amount": monetary("Down Payment Amount (Fixed)"),
                "count": Field(
                    "integer",
                    "Order Count",
                    compute=lambda env, rid: len(
                        env.raw("sale.advance.payment.inv", rid).get("sale_order_ids") or []
                    ),
                ),
            },
            transient=True,
            rec_name=None,
            methods={"create_invoices": Method(create_invoices)},
        ),
    ]


def storable_lines(env: Env, order_id: int) -> list[int]:
    """Lines whose product is tracked in stock (used by the seed)."""
    return [
        line
        for line in env.get("sale.order", order_id, "order_line")
        if is_storable(env, int(env.raw("sale.order.line", line)["product_id"]))
    ]
