"""Invoicing: ``account.move`` (customer invoices, vendor bills) and their lines.

Follows ``addons/account/models/account_move.py`` and ``account_move_line.py`` as far as an
integration sees them: ``move_type``, ``state`` (draft, posted, cancel), ``payment_state``,
``invoice_origin``, ``invoice_line_ids`` with quantity and unit price, the totals, and
``action_post`` which names the move from its journal sequence (INV/2025/00001,
BILL/2025/00001...) and dates it. No taxes, journals or accounting entries are simulated.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from crossdock.sandbox.odoo.errors import UserError
from crossdock.sandbox.odoo.fields import (
    Field,
    Method,
    ModelSpec,
    char,
    date,
    float_,
    many2many,
    many2one,
    monetary,
    one2many,
    select,
    selection,
)
from crossdock.sandbox.odoo.models.mail import mail_thread_methods
from crossdock.sandbox.odoo.versions import OdooVersion

if TYPE_CHECKING:
    from crossdock.sandbox.odoo.orm import Env

MOVE_TYPES = selection(
    ("entry", "Journal Entry"),
    ("out_invoice", "Customer Invoice"),
    ("out_refund", "Customer Credit Note"),
    ("in_invoice", "Vendor Bill"),
    ("in_refund", "Vendor Credit Note"),
    ("out_receipt", "Sales Receipt"),
    ("in_receipt", "Purchase Receipt"),
)
PREFIXES = {
    "out_invoice": "INV",
    "out_refund": "RINV",
    "in_invoice": "BILL",
    "in_refund": "RBILL",
    "entry": "MISC",
    "out_receipt": "RCPT",
    "in_receipt": "RCPT",
}
PAYMENT_STATES = selection(
    ("not_paid", "Not Paid"),
    ("in_payment", "In Payment"),
    ("paid", "Paid"),
    ("partial", "Partially Paid"),
    ("reversed", "Reversed"),
    ("invoicing_legacy", "Invoicing App Legacy"),
)


def _line_subtotal(env: Env, rid: int) -> float:
    line = env.raw("account.move.line", rid)
    discount = float(line.get("discount") or 0.0)
    return round(
        float(line.get("quantity") or 0.0)
        * float(line.get("price_unit") or 0.0)
        * (1 - discount / 100),
        2,
    )


def _amount(env: Env, rid: int) -> float:
    return round(
        sum(_line_subtotal(env, line) for line in env.get("account.move", rid, "invoice_line_ids")),
        2,
    )


def _residual(env: Env, rid: int) -> float:
    move = env.raw("account.move", rid)
    return 0.0 if move.get("payment_state") == "paid" else _amount(env, rid)


def _move_display(env: Env, rid: int) -> str:
    move = env.raw("account.move", rid)
    name = move.get("name")
    if name and name != "/":
        return str(name)
    kind = "Invoice" if move["move_type"] in ("out_invoice", "in_invoice") else "Entry"
    if move["move_type"] == "in_invoice":
        kind = "Bill"
    return f"Draft {kind} (* {rid})"


def action_post(env: Env, model: str, ids: list[int]) -> bool:
    for rid in ids:
        move = env.raw(model, rid)
        if move["state"] == "posted":
            raise UserError(f"The entry {move['name']} (id {rid}) is already posted.")
        if not env.get(model, rid, "invoice_line_ids"):
            raise UserError("You need to add a line before posting.")
        if move["state"] == "cancel":
            raise UserError("You can't post a cancelled entry; reset it to draft first.")
    for rid in ids:
        move = env.raw(model, rid)
        invoice_date = move.get("invoice_date") or env.today()
        values: dict[str, Any] = {
            "state": "posted",
            "invoice_date": invoice_date,
            "invoice_date_due": move.get("invoice_date_due") or invoice_date,
            "date": invoice_date,
        }
        if not move.get("name") or move.get("name") == "/":
            prefix = PREFIXES[move["move_type"]]
            year = invoice_date[:4]
            values["name"] = env.next_sequence(
                f"account.move.{prefix}.{year}", f"{prefix}/{year}/", 5
            )
        env.write(model, [rid], values)
    return True


def button_draft(env: Env, model: str, ids: list[int]) -> bool:
    for rid in ids:
        if env.raw(model, rid)["state"] not in ("posted", "cancel"):
            raise UserError("Only posted/cancelled journal entries can be reset to draft.")
        env.set(model, rid, state="draft")
    return True


def button_cancel(env: Env, model: str, ids: list[int]) -> bool:
    for rid in ids:
        if env.raw(model, rid)["state"] != "draft":
            raise UserError("Only draft journal entries can be cancelled.")
        env.set(model, rid, state="cancel")
    return True


def _before_unlink_move(env: Env, rid: int) -> None:
    if env.raw("account.move", rid)["state"] == "posted":
        raise UserError("You cannot delete an entry which has been posted once.")


def models(version: OdooVersion) -> list[ModelSpec]:
    return [
        ModelSpec(
            "account.move",
            "Journal Entry",
            {
                "name": char("Number", default=version.draft_move_name),
                "ref": char("Reference"),
                "move_type": select("Type", MOVE_TYPES, required=True, default="entry"),
                "state": select(
                    "Status",
                    selection(("draft", "Draft"), ("posted", "Posted"), ("cancel", "Cancelled")),
                    required=True,
                    default="draft",
                ),
                "partner_id": many2one("res.partner", "Partner"),
                "invoice_origin": char("Origin"),
                "invoice_date": date("Invoice/Bill Date"),
                "invoice_date_due": date("Due Date"),
                "date": date("Date", default=lambda env, vals: env.today()),
                "invoice_line_ids": one2many("account.move.line", "move_id", "Invoice lines"),
                "line_ids": one2many("account.move.line", "move_id", "Journal Items"),
                "amount_untaxed": monetary("Untaxed Amount", compute=_amount),
                "amount_tax": monetary("Tax", compute=lambda env, rid: 0.0),
                "amount_total": monetary("Total", compute=_amount),
                "amount_residual": monetary("Amount Due", compute=_residual),
                "payment_state": select("Payment Status", PAYMENT_STATES, default="not_paid"),
                "currency_id": many2one(
                    "res.currency", "Currency", default=lambda env, vals: env.ref("base.EUR")
                ),
                "company_id": many2one(
                    "res.company", "Company", default=lambda env, vals: env.ref("base.main_company")
                ),
            },
            order="date desc, name desc, id desc",
            display_name=_move_display,
            before_unlink=_before_unlink_move,
            methods={
                "action_post": Method(action_post),
                "button_draft": Method(button_draft),
                "button_cancel": Method(button_cancel),
                **mail_thread_methods(version),
            },
        ),
        ModelSpec(
            "account.move.line",
            "Journal Item",
            {
                "move_id": many2one("account.move", "Journal Entry", required=True),
                "product_id": many2one("product.product", "Product"),
                "name": char("Label"),
                "quantity": float_("Quantity", default=1.0),
                "price_unit": float_("Unit Price", default=0.0),
                "discount": float_("Discount (%)", default=0.0),
                "price_subtotal": monetary("Subtotal", compute=_line_subtotal),
                "price_total": monetary("Total", compute=_line_subtotal),
                "sale_line_ids": many2many("sale.order.line", "Sales Order Lines"),
                "purchase_line_id": many2one("purchase.order.line", "Purchase Order Line"),
                "display_type": select(
                    "Display Type",
                    selection(
                        ("product", "Product"), ("line_section", "Section"), ("line_note", "Note")
                    ),
                    default="product",
                ),
                "parent_state": Field(
                    "selection",
                    "Status",
                    selection=selection(
                        ("draft", "Draft"), ("posted", "Posted"), ("cancel", "Cancelled")
                    ),
                    related=("move_id", "state"),
                ),
            },
            order="move_id, id",
        ),
    ]
