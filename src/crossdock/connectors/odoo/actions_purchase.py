"""The Odoo actions of the procurement flow: promised dates and quantities on purchase lines,
the receipt validated with what came in, the draft vendor bill. Small, typed, replayable.

Field names follow Odoo (addons/purchase/models/purchase_order_line.py,
addons/purchase_stock/models/purchase_order_line.py, addons/account/models/account_move.py):
a purchase line's quantity is `product_qty` and its expected arrival `date_planned`
(writing them on a confirmed order moves the open receipt's dates and demand, in Odoo's own
`write`); a vendor bill is an `account.move` with `move_type` 'in_invoice', created in state
'draft', whose lines point at the purchase lines (`purchase_line_id`) as Odoo's own "Create
Bill" does (`purchase.order._prepare_invoice`, `purchase.order.line._prepare_account_move_line`),
so the order's billed quantities and billing status follow.

| action | RPCs | replay |
| --- | --- | --- |
| `read_purchase_order` | 2 search_read | reads |
| `update_purchase_lines` | 1 write (none when nothing differs) | writes nothing new |
| `receive_purchase_order` | 3-4 searches, a note, `validate_receipt` | finds its note when done |
| `note_ship_notice` | search + write + `message_post` on the receipt | finds the note |
| `create_draft_vendor_bill` | search + create | finds the bill by vendor and reference |
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from crossdock.connectors.odoo.actions_common import ActionRefused, id_list, many2one_id
from crossdock.connectors.odoo.actions_shipment import Shipment, ShippedLine
from crossdock.connectors.odoo.actions_stock import (
    BackorderPolicy,
    PickingValidation,
    validate_receipt,
)
from crossdock.connectors.odoo.client import OdooClient
from crossdock.connectors.odoo.errors import OdooMissingError
from crossdock.connectors.odoo.operations import OdooOperations

ORDER = "purchase.order"
LINE = "purchase.order.line"
MOVE = "account.move"
EPSILON = 1e-6
NOTE = "mail.mt_note"


@dataclass(frozen=True)
class PurchaseLine:
    id: int
    product_id: int | None
    product_qty: float
    price_unit: float
    date_planned: str | None
    qty_received: float
    name: str


@dataclass(frozen=True)
class OdooPurchaseOrder:
    id: int
    name: str
    state: str
    partner_id: int | None
    currency_id: int | None
    lines: Mapping[int, PurchaseLine]
    picking_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class LineUpdate:
    """New promised values for one line; None leaves a value as it is."""

    product_qty: float | None = None
    date_planned: date | None = None


@dataclass(frozen=True)
class BillLine:
    purchase_line_id: int
    quantity: float
    price_unit: float
    label: str | None = None


@dataclass(frozen=True)
class BillResult:
    move_id: int
    created: bool


async def read_purchase_order(client: OdooOperations, po_number: str) -> OdooPurchaseOrder:
    orders = await client.search_read(
        ORDER,
        [("name", "=", po_number)],
        ["name", "state", "partner_id", "currency_id", "order_line", "picking_ids"],
        limit=1,
    )
    if not orders:
        raise OdooMissingError(f"no purchase order named {po_number!r} in Odoo")
    order = orders[0]
    rows = await client.search_read(
        LINE,
        [("order_id", "=", int(order["id"]))],
        ["product_id", "product_qty", "price_unit", "date_planned", "qty_received", "name"],
        order="id",
    )
    lines = {
        int(row["id"]): PurchaseLine(
            id=int(row["id"]),
            product_id=many2one_id(row.get("product_id")),
            product_qty=float(row.get("product_qty") or 0.0),
            price_unit=float(row.get("price_unit") or 0.0),
            date_planned=str(row["date_planned"]) if row.get("date_planned") else None,
            qty_received=float(row.get("qty_received") or 0.0),
            name=str(row.get("name") or ""),
        )
        for row in rows
    }
    return OdooPurchaseOrder(
        id=int(order["id"]),
        name=str(order["name"]),
        state=str(order.get("state") or ""),
        partner_id=many2one_id(order.get("partner_id")),
        currency_id=many2one_id(order.get("currency_id")),
        lines=lines,
        picking_ids=id_list(order.get("picking_ids")),
    )


def _odoo_datetime(day: date) -> str:
    """Odoo datetimes travel as naive UTC text; a promised day is taken at noon UTC so that
    every time zone shows the same calendar day."""
    return datetime.combine(day, time(12, 0)).strftime("%Y-%m-%d %H:%M:%S")


async def update_purchase_lines(
    client: OdooOperations, order: OdooPurchaseOrder, updates: Mapping[int, LineUpdate]
) -> int:
    """One write on the order (x2many update commands); returns how many lines changed."""
    commands: list[Any] = []
    for line_id, update in sorted(updates.items()):
        line = order.lines.get(line_id)
        if line is None:
            raise ActionRefused(f"{order.name} has no line {line_id}")
        vals: dict[str, Any] = {}
        if update.product_qty is not None and abs(update.product_qty - line.product_qty) > EPSILON:
            vals["product_qty"] = update.product_qty
        if update.date_planned is not None:
            planned = _odoo_datetime(update.date_planned)
            if planned != line.date_planned:
                vals["date_planned"] = planned
        if vals:
            commands.append((1, line_id, vals))
    if commands:
        await client.write(ORDER, [order.id], {"order_line": commands})
    return len(commands)


@dataclass(frozen=True)
class ReceivedLine:
    """What was counted in for one purchase line, optionally by lot."""

    quantity: float
    lots: Mapping[str, float] = field(default_factory=dict)


async def receive_purchase_order(
    client: OdooClient,
    order: OdooPurchaseOrder,
    received: Mapping[int, ReceivedLine],
    *,
    backorder: BackorderPolicy,
    document: str,
) -> PickingValidation:
    """Validate the order's open receipt with `received` (keyed by purchase line id).

    `document` (the warehouse's receipt number) is noted on the receipt before it is
    validated: a replay after a crash finds the note on a done receipt and validates
    nothing (the backorder the first attempt created stays open for the next delivery).
    Each quantity is capped at its move's demand: Odoo would take more, Crossdock refuses
    over-receipts (`OverShipment`), so the caller keeps the extra as a discrepancy.
    """
    pickings = await client.search_read(
        "stock.picking",
        [("id", "in", list(order.picking_ids)), ("picking_type_code", "=", "incoming")],
        ["state"],
        order="id",
    )
    marker = f"Receipt advice {document} counted in"
    noted = set(
        await client.search(
            "mail.message",
            [
                ("model", "=", "stock.picking"),
                ("res_id", "in", [int(p["id"]) for p in pickings]),
                ("body", "ilike", marker),
            ],
        )
    )
    if noted:
        rows = await client.search_read("mail.message", [("id", "in", sorted(noted))], ["res_id"])
        done = {int(p["id"]) for p in pickings if p.get("state") == "done"}
        if finished := sorted({int(r["res_id"]) for r in rows} & done):
            return await validate_receipt(client, finished[0], {}, backorder=backorder, key="move")
    open_ids = [int(p["id"]) for p in pickings if p.get("state") not in ("done", "cancel")]
    if not open_ids:
        raise ActionRefused(f"{order.name} has no open receipt for {document}")
    picking_id = open_ids[0]
    moves = await client.search_read(
        "stock.move",
        [("picking_id", "=", picking_id), ("purchase_line_id", "in", sorted(received))],
        ["purchase_line_id", "product_uom_qty"],
    )
    by_line = {many2one_id(m.get("purchase_line_id")): m for m in moves}
    missing = sorted(line for line in received if line not in by_line)
    if missing:
        raise ActionRefused(
            f"{order.name}: lines {', '.join(map(str, missing))} are not on the open receipt"
        )
    by_move: dict[int, ShippedLine] = {}
    for line_id, counted in received.items():
        move = by_line[line_id]
        quantity = min(counted.quantity, float(move.get("product_uom_qty") or 0.0))
        if quantity <= 0:
            continue
        lots_match = counted.lots and abs(sum(counted.lots.values()) - quantity) <= EPSILON
        by_move[int(move["id"])] = Shipment(quantity, counted.lots) if lots_match else quantity
    await _note(client, picking_id, marker)
    return await validate_receipt(client, picking_id, by_move, backorder=backorder, key="move")


async def _note(client: OdooOperations, picking_id: int, text: str) -> None:
    domain = [("model", "=", "stock.picking"), ("res_id", "=", picking_id), ("body", "ilike", text)]
    if not await client.search("mail.message", domain, limit=1):
        await client.message_post(
            "stock.picking", picking_id, text, message_type="comment", subtype_xmlid=NOTE
        )


async def create_draft_vendor_bill(
    client: OdooOperations,
    order: OdooPurchaseOrder,
    *,
    reference: str,
    invoice_date: date,
    due_date: date | None,
    lines: Sequence[BillLine],
) -> BillResult:
    """A draft vendor bill for the order, found again by vendor and reference on a replay."""
    existing = await client.search(
        MOVE,
        [
            ("move_type", "=", "in_invoice"),
            ("partner_id", "=", order.partner_id),
            ("ref", "=", reference),
            ("state", "!=", "cancel"),
        ],
        limit=1,
    )
    if existing:
        return BillResult(existing[0], created=False)
    vals: dict[str, Any] = {
        "move_type": "in_invoice",
        "partner_id": order.partner_id,
        "ref": reference,
        "invoice_origin": order.name,
        "invoice_date": invoice_date.isoformat(),
        "invoice_line_ids": [
            (
                0,
                0,
                {
                    "product_id": order.lines[line.purchase_line_id].product_id,
                    "name": line.label or order.lines[line.purchase_line_id].name,
                    "quantity": line.quantity,
                    "price_unit": line.price_unit,
                    "purchase_line_id": line.purchase_line_id,
                },
            )
            for line in lines
        ],
    }
    if due_date is not None:
        vals["invoice_date_due"] = due_date.isoformat()
    if order.currency_id is not None:
        vals["currency_id"] = order.currency_id
    [move_id] = await client.create(MOVE, [vals])
    return BillResult(move_id, created=True)


async def note_ship_notice(
    client: OdooOperations,
    order: OdooPurchaseOrder,
    *,
    notice_id: str,
    expected_on: date | None,
    text: str,
) -> int | None:
    """Put a ship notice on the order's open receipt: its expected date (`scheduled_date`)
    and a note listing what is coming. Returns the receipt's id, None when none is open."""
    pickings = await client.search_read(
        "stock.picking",
        [
            ("id", "in", list(order.picking_ids)),
            ("picking_type_code", "=", "incoming"),
            ("state", "not in", ["done", "cancel"]),
        ],
        ["name"],
        order="id",
        limit=1,
    )
    if not pickings:
        return None
    picking_id = int(pickings[0]["id"])
    if expected_on is not None:
        await client.write(
            "stock.picking", [picking_id], {"scheduled_date": _odoo_datetime(expected_on)}
        )
    marker = f"Ship notice {notice_id}"
    domain = [
        ("model", "=", "stock.picking"),
        ("res_id", "=", picking_id),
        ("body", "ilike", marker),
    ]
    if not await client.search("mail.message", domain, limit=1):
        await client.message_post(
            "stock.picking",
            picking_id,
            f"{marker}: {text}",
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
    return picking_id
