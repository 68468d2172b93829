"""Invoice what was delivered on a sale order, once, however often the job runs.

Odoo's "Create Invoice" button is the `sale.advance.payment.inv` wizard
(addons/sale/wizard/sale_make_invoice_advance.py): created with `advance_payment_method =
'delivered'` and the orders in `sale_order_ids` (defaulted from the context's `active_ids`),
its `create_invoices` calls `sale.order._create_invoices`, which invoices each line's
`qty_to_invoice` (delivered minus invoiced, draft invoices included) and raises
`UserError(_nothing_to_invoice_error_message())` when no line has any.

So Odoo itself never invoices the same quantities twice; this action adds the bookkeeping that
makes a replay answer instead of fail:

- the order's `invoice_status` is read first: anything but "to invoice" answers
  `already_invoiced` (or `nothing_to_invoice` when the order has no invoice) with no wizard;
- a nothing-to-invoice UserError (another job invoiced in between) answers the same. It is
  recognised by the start of its message, "There is nothing to invoice" (16) or "Cannot create
  an invoice. No items are available to invoice" (17+), which addons extend only at the end;
  a bot user with another language than English gets the error instead;
- the new invoices are the order's `invoice_ids` after minus before;
- with `post=True`, the new invoices are posted (`account.move.action_post`), and so are the
  order's draft customer invoices a crashed earlier run left behind.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from crossdock.connectors.odoo.actions_common import id_list, read_one
from crossdock.connectors.odoo.errors import OdooUserError
from crossdock.connectors.odoo.operations import Context, OdooOperations

InvoiceOutcome = Literal["invoiced", "already_invoiced", "nothing_to_invoice"]
WIZARD = "sale.advance.payment.inv"
NOTHING_TO_INVOICE = (
    "There is nothing to invoice",  # 16: sale.order._nothing_to_invoice_error_message
    "Cannot create an invoice. No items are available to invoice",  # 17+
)
_ORDER_FIELDS = ["name", "state", "invoice_status", "invoice_ids"]


@dataclass(frozen=True)
class InvoiceResult:
    """What invoicing a sale order did; `invoice_ids` are the invoices this call created."""

    sale_order_id: int
    outcome: InvoiceOutcome
    invoice_ids: tuple[int, ...] = ()
    posted_ids: tuple[int, ...] = ()
    all_invoice_ids: tuple[int, ...] = ()

    @property
    def created(self) -> bool:
        return self.outcome == "invoiced"


async def invoice_delivered_sale_order(
    client: OdooOperations, sale_order_id: int, *, post: bool = False
) -> InvoiceResult:
    """Invoice the delivered, not yet invoiced quantities of a sale order.

    4 RPCs (read the order, create the wizard, `create_invoices`, read the order); `post`
    adds `action_post`, and a read of the earlier invoices when the order had some. A replay
    costs 1 RPC (with `post`: 2, or 3 when drafts are left to post).
    """
    order = await read_one(client, "sale.order", sale_order_id, _ORDER_FIELDS)
    before = id_list(order.get("invoice_ids"))
    if order.get("invoice_status") != "to invoice":
        return await _nothing_new(client, sale_order_id, before, post=post)
    context: Context = {
        "active_model": "sale.order",
        "active_ids": [sale_order_id],
        "active_id": sale_order_id,
    }
    try:
        await _run_wizard(client, sale_order_id, context)
    except OdooUserError as exc:
        if not _is_nothing_to_invoice(exc):
            raise
        order = await read_one(client, "sale.order", sale_order_id, ["invoice_ids"])
        return await _nothing_new(
            client, sale_order_id, id_list(order.get("invoice_ids")), post=post
        )
    order = await read_one(client, "sale.order", sale_order_id, ["invoice_ids"])
    after = id_list(order.get("invoice_ids"))
    created = tuple(sorted(set(after) - set(before)))
    posted = await _post(client, created, before) if post else ()
    return InvoiceResult(sale_order_id, "invoiced", created, posted, after)


async def _run_wizard(client: OdooOperations, sale_order_id: int, context: Context) -> None:
    vals = {"advance_payment_method": "delivered", "sale_order_ids": [[6, 0, [sale_order_id]]]}
    [wizard] = await client.create(WIZARD, [vals], context=context)
    await client.call(WIZARD, "create_invoices", ids=[wizard], context=context)


def _is_nothing_to_invoice(exc: OdooUserError) -> bool:
    return exc.message.lstrip().startswith(NOTHING_TO_INVOICE)


async def _nothing_new(
    client: OdooOperations, sale_order_id: int, existing: tuple[int, ...], *, post: bool
) -> InvoiceResult:
    outcome: InvoiceOutcome = "already_invoiced" if existing else "nothing_to_invoice"
    posted = await _post(client, (), existing) if post and existing else ()
    return InvoiceResult(sale_order_id, outcome, (), posted, existing)


async def _post(
    client: OdooOperations, created: Sequence[int], earlier: Sequence[int]
) -> tuple[int, ...]:
    """Post the new invoices (drafts by construction) and the earlier draft customer invoices."""
    drafts = list(created)
    if earlier:
        rows = await client.read("account.move", list(earlier), ["state", "move_type"])
        drafts += [
            int(r["id"]) for r in rows if r["state"] == "draft" and r["move_type"] == "out_invoice"
        ]
    if drafts:
        await client.call_button("account.move", "action_post", sorted(drafts))
    return tuple(sorted(drafts))
