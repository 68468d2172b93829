"""The business actions end to end: the Odoo client over real HTTP against the Odoo sandbox,
on 16 and 18 (JSON-RPC, the two stock field generations) and 19 (JSON-2), as the bot user.

One threaded sandbox server per version serves the module; each test gets a freshly seeded
database. Setup (orders, stock, lots) happens in-process as the administrator, so
`client.rpc_counts` holds exactly the RPCs of the actions under test.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest

from crossdock.connectors.odoo import (
    OdooClient,
    OdooSettings,
    OdooUsageError,
    make_http_client,
)
from crossdock.connectors.odoo.actions import (
    ActionRefused,
    OverShipment,
    Shipment,
    answer_validation_wizards,
    invoice_delivered_sale_order,
    post_milestone,
    schedule_exception_activity,
    set_carrier_tracking,
    validate_picking,
    validate_receipt,
)
from crossdock.sandbox.odoo import BOT_API_KEY, BOT_LOGIN, BOT_PASSWORD, BOT_UID, SANDBOX_DB
from crossdock.sandbox.odoo.orm import OdooDatabase
from tests.sandbox_odoo.odoo_sandbox_support import ThreadedSandbox

SERVICE_CALLS = {("web", "version_info"), ("common", "authenticate")}


@dataclass
class Odoo:
    version: int
    db: OdooDatabase
    client: OdooClient

    def rpcs(self) -> dict[tuple[str, str], int]:
        """The model RPCs sent so far (version detection and login left out), then reset."""
        counts = {k: v for k, v in self.client.rpc_counts.items() if k not in SERVICE_CALLS}
        self.client.rpc_counts.clear()
        return counts

    # -- setup as the administrator, in-process ------------------------------------------

    def product(self, index: int) -> int:
        return self.db.ref(f"sandbox.product_{index:04d}")

    def delivery(self, *lines: tuple[int, float]) -> tuple[int, int]:
        """A confirmed sale order for (product index, qty); answers (order, delivery)."""
        with self.db.lock, self.db.transaction():
            order = self.db.env().create(
                "sale.order",
                {
                    "partner_id": self.db.ref("sandbox.customer_01"),
                    "order_line": [
                        (0, 0, {"product_id": self.product(i), "product_uom_qty": qty})
                        for i, qty in lines
                    ],
                },
            )
        self.db.call("sale.order", "action_confirm", [order])
        [picking] = self.db.record("sale.order", order)["picking_ids"]
        return order, picking

    def deliver_everything(self, picking: int) -> None:
        """What a warehouse user would do in Odoo's UI: done = demand, then Validate."""
        field = "quantity_done" if self.version == 16 else "quantity"
        for move in self.moves(picking):
            self.db.call("stock.move", "write", [move["id"]], vals={field: move["product_uom_qty"]})
        assert self.db.call("stock.picking", "button_validate", [picking]) is True

    def moves(self, picking: int) -> list[dict[str, Any]]:
        return self.db.records(
            "stock.move", [("picking_id", "=", picking)], ["product_id", "product_uom_qty", "state"]
        )

    def lines(self, picking: int) -> list[dict[str, Any]]:
        qty = "qty_done" if self.version == 16 else "quantity"
        rows = self.db.records(
            "stock.move.line", [("picking_id", "=", picking)], [qty, "lot_id", "lot_name"]
        )
        return [{**r, "qty": r[qty]} for r in rows]

    def create(self, model: str, vals: dict[str, Any]) -> int:
        with self.db.lock, self.db.transaction():
            return self.db.env().create(model, vals)


@pytest.fixture(scope="module")
def servers() -> Iterator[dict[int, ThreadedSandbox]]:
    started: dict[int, ThreadedSandbox] = {}
    yield started
    for server in started.values():
        server.stop()


async def _odoo(servers: dict[int, ThreadedSandbox], version: int) -> AsyncIterator[Odoo]:
    if version not in servers:
        servers[version] = ThreadedSandbox(version)
    server = servers[version]
    database = server.fresh(version)
    secrets = {"env:ODOO_PASSWORD": BOT_PASSWORD, "env:ODOO_API_KEY": BOT_API_KEY}
    settings = OdooSettings(
        url=server.url,
        database=SANDBOX_DB,
        login=BOT_LOGIN,
        password="env:ODOO_PASSWORD",
        api_key="env:ODOO_API_KEY",
    )
    async with make_http_client(settings) as http:
        client = OdooClient(settings, http, secret_resolver=secrets.__getitem__)
        yield Odoo(version, database, client)


@pytest.fixture(params=[16, 18, 19], ids=lambda v: f"odoo{v}")
async def odoo(
    request: pytest.FixtureRequest, servers: dict[int, ThreadedSandbox]
) -> AsyncIterator[Odoo]:
    async for sandbox in _odoo(servers, request.param):
        yield sandbox


@pytest.fixture(params=[16, 18], ids=lambda v: f"odoo{v}")
async def odoo_rpc(
    request: pytest.FixtureRequest, servers: dict[int, ThreadedSandbox]
) -> AsyncIterator[Odoo]:
    """The two JSON-RPC stock generations only, for the less central paths."""
    async for sandbox in _odoo(servers, request.param):
        yield sandbox


VALIDATE_RPCS = {
    ("stock.picking", "read"): 2,
    ("stock.move", "search_read"): 1,
    ("stock.picking", "write"): 1,
    ("stock.picking", "button_validate"): 1,
}


# -- validating deliveries ----------------------------------------------------------------


async def test_full_quantities_validate_in_five_rpcs(odoo: Odoo) -> None:
    order, picking = odoo.delivery((5, 3), (7, 2))
    shipped = {odoo.product(5): 3, odoo.product(7): 2}
    result = await validate_picking(odoo.client, picking, shipped, backorder="cancel")

    assert (result.state, result.backorder_id, result.is_short) == ("done", None, False)
    assert result.shipped == shipped and result.wizards == ()
    assert odoo.rpcs() == VALIDATE_RPCS
    lines = odoo.db.records("sale.order.line", [("order_id", "=", order)], ["qty_delivered"])
    assert sorted(line["qty_delivered"] for line in lines) == [2.0, 3.0]


async def test_partial_quantities_create_a_backorder_without_a_wizard(odoo: Odoo) -> None:
    _, picking = odoo.delivery((6, 3), (8, 2))
    p6, p8 = odoo.product(6), odoo.product(8)
    result = await validate_picking(odoo.client, picking, {p6: 1, p8: 2}, backorder="create")

    assert result.state == "done" and result.short == {p6: 2.0}
    assert result.backorder_id is not None
    assert odoo.rpcs() == VALIDATE_RPCS  # the context path: no wizard round trips
    backorder = odoo.db.record("stock.picking", result.backorder_id)
    assert backorder["backorder_id"][0] == picking and backorder["state"] == "assigned"
    assert [(m["product_id"][0], m["product_uom_qty"]) for m in odoo.moves(backorder["id"])] == [
        (p6, 2.0)
    ]


async def test_partial_quantities_cancel_the_rest_and_report_it_by_move(odoo: Odoo) -> None:
    order, picking = odoo.delivery((6, 3), (8, 2))
    first, second = (m["id"] for m in odoo.moves(picking))
    result = await validate_picking(
        odoo.client, picking, {first: 1}, backorder="cancel", key="move"
    )

    assert (result.state, result.backorder_id) == ("done", None)
    assert result.short == {first: 2.0, second: 2.0}
    assert odoo.rpcs() == VALIDATE_RPCS
    assert odoo.db.record("stock.picking", picking)["backorder_ids"] == []
    states = sorted((m["state"], m["product_uom_qty"]) for m in odoo.moves(picking))
    assert states == [("cancel", 2.0), ("cancel", 2.0), ("done", 1.0)]
    lines = odoo.db.records("sale.order.line", [("order_id", "=", order)], ["qty_delivered"])
    assert sorted(line["qty_delivered"] for line in lines) == [0.0, 1.0]


async def test_over_shipments_and_empty_shipments_are_refused_before_writing(odoo: Odoo) -> None:
    _, picking = odoo.delivery((5, 3))
    with pytest.raises(OverShipment, match="more than the demand of 3") as over:
        await validate_picking(odoo.client, picking, {odoo.product(5): 4}, backorder="create")
    assert (over.value.demand, over.value.shipped) == (3.0, 4)
    with pytest.raises(OverShipment, match="not an open line"):
        await validate_picking(odoo.client, picking, {odoo.product(9): 1}, backorder="create")
    with pytest.raises(OdooUsageError, match="nothing shipped"):
        await validate_picking(odoo.client, picking, {odoo.product(5): 0}, backorder="create")

    sent = odoo.rpcs()
    assert ("stock.picking", "write") not in sent
    assert ("stock.picking", "button_validate") not in sent
    assert odoo.db.record("stock.picking", picking)["state"] == "assigned"


async def test_lots_are_recorded_on_a_delivery(odoo: Odoo) -> None:
    _, picking = odoo.delivery((5, 3))
    product = odoo.product(5)
    lots = {
        name: odoo.create("stock.lot", {"name": name, "product_id": product})
        for name in ("LOT-A", "LOT-B")
    }
    shipment = Shipment(3, {"LOT-A": 2, "LOT-B": 1})
    result = await validate_picking(odoo.client, picking, {product: shipment}, backorder="cancel")

    assert result.state == "done" and not result.is_short
    assert odoo.rpcs() == {**VALIDATE_RPCS, ("stock.lot", "search_read"): 1}
    recorded = sorted((line["lot_id"][0], line["qty"]) for line in odoo.lines(picking))
    assert recorded == [(lots["LOT-A"], 2.0), (lots["LOT-B"], 1.0)]


async def test_an_unknown_lot_is_refused_before_writing(odoo_rpc: Odoo) -> None:
    odoo = odoo_rpc
    _, picking = odoo.delivery((5, 2))
    shipment = Shipment(2, {"NOPE": 2})
    with pytest.raises(ActionRefused, match="no such lot in Odoo: 'NOPE'"):
        await validate_picking(
            odoo.client, picking, {odoo.product(5): shipment}, backorder="create"
        )
    assert ("stock.picking", "write") not in odoo.rpcs()


async def test_reserved_quantities_ship_when_nothing_is_given(odoo: Odoo) -> None:
    """16 answers the immediate-transfer wizard, 17+ picks the reservation itself."""
    _, picking = odoo.delivery((49, 8))  # CD-0049: 5 in stock
    product = odoo.product(49)
    result = await validate_picking(odoo.client, picking, None, backorder="create")

    assert result.state == "done" and result.short == {product: 3.0}
    assert result.backorder_id is not None
    reads = {
        ("stock.picking", "read"): 2,
        ("stock.move", "search_read"): 1,
        ("stock.picking", "button_validate"): 1,
    }
    if odoo.version == 16:
        assert result.wizards == ("stock.immediate.transfer",)
        reads |= {
            ("stock.immediate.transfer", "create"): 1,
            ("stock.immediate.transfer", "process"): 1,
        }
    else:
        assert result.wizards == ()
    assert odoo.rpcs() == reads
    assert [m["product_uom_qty"] for m in odoo.moves(result.backorder_id)] == [3.0]


@pytest.mark.parametrize("policy", ["create", "cancel"])
async def test_a_returned_backorder_wizard_is_answered_with_the_policy(
    odoo_rpc: Odoo, policy: str
) -> None:
    odoo = odoo_rpc
    _, picking = odoo.delivery((6, 3))
    [move] = odoo.moves(picking)
    field = "quantity_done" if odoo.version == 16 else "quantity"
    await odoo.client.write("stock.move", [move["id"]], {field: 1})
    answer = await odoo.client.call_button("stock.picking", "button_validate", [picking])
    assert answer["res_model"] == "stock.backorder.confirmation"

    answered = await answer_validation_wizards(odoo.client, answer, backorder=policy)  # type: ignore[arg-type]
    assert answered == ("stock.backorder.confirmation",)
    row = odoo.db.record("stock.picking", picking)
    assert row["state"] == "done"
    assert len(row["backorder_ids"]) == (1 if policy == "create" else 0)
    button = "process" if policy == "create" else "process_cancel_backorder"
    assert odoo.rpcs()[("stock.backorder.confirmation", button)] == 1


async def test_a_replay_of_a_validated_picking_changes_nothing(odoo: Odoo) -> None:
    _, picking = odoo.delivery((6, 3))
    first = await validate_picking(odoo.client, picking, {odoo.product(6): 1}, backorder="create")
    odoo.rpcs()
    again = await validate_picking(odoo.client, picking, {odoo.product(6): 1}, backorder="create")

    assert again.already_done and again.backorder_id == first.backorder_id
    assert odoo.rpcs() == {("stock.picking", "read"): 1, ("stock.move", "search_read"): 1}


async def test_a_cancelled_picking_is_refused(odoo_rpc: Odoo) -> None:
    odoo = odoo_rpc
    _, picking = odoo.delivery((6, 1))
    odoo.db.call("stock.picking", "action_cancel", [picking])
    with pytest.raises(ActionRefused, match="is cancelled"):
        await validate_picking(odoo.client, picking, {odoo.product(6): 1}, backorder="create")


# -- receipts -----------------------------------------------------------------------------


async def test_receipt_validation_raises_qty_received_and_names_new_lots(odoo: Odoo) -> None:
    [order] = odoo.db.search("purchase.order", [("name", "=", "P00001")])
    odoo.db.call("purchase.order", "button_confirm", [order])
    [receipt] = odoo.db.record("purchase.order", order)["picking_ids"]
    po_lines = odoo.db.records(
        "purchase.order.line", [("order_id", "=", order)], ["product_id", "product_qty"]
    )
    ordered = {r["product_id"][0]: r["product_qty"] for r in po_lines}
    *complete, (last, last_qty) = ordered.items()
    received: dict[int, float | Shipment] = dict(complete)
    received[last] = Shipment(last_qty - 4, {"RCV-1": last_qty - 4})
    result = await validate_receipt(odoo.client, receipt, received, backorder="create")

    assert result.state == "done" and result.short == {last: 4.0}
    assert result.backorder_id is not None
    assert odoo.rpcs() == VALIDATE_RPCS  # new lot names need no lookup
    rows = odoo.db.records(
        "purchase.order.line", [("order_id", "=", order)], ["product_id", "qty_received"]
    )
    assert {r["product_id"][0]: r["qty_received"] for r in rows} == {**ordered, last: last_qty - 4}
    assert "RCV-1" in {line["lot_name"] for line in odoo.lines(receipt)}

    _, delivery = odoo.delivery((5, 1))
    with pytest.raises(OdooUsageError, match="is a outgoing transfer, not incoming"):
        await validate_receipt(odoo.client, delivery, {odoo.product(5): 1}, backorder="create")


# -- carrier, chatter, activities -----------------------------------------------------------


async def test_carrier_and_tracking_reference_are_written_in_one_rpc(odoo: Odoo) -> None:
    _, picking = odoo.delivery((5, 1))
    carrier = odoo.db.ref("sandbox.carrier_postnl")
    result = await set_carrier_tracking(
        odoo.client, picking, carrier_id=carrier, tracking_ref=" 3SABC123 "
    )
    assert result.tracking_ref == "3SABC123"
    assert odoo.rpcs() == {("stock.picking", "write"): 1}
    row = odoo.db.record("stock.picking", picking)
    assert (row["carrier_id"][0], row["carrier_tracking_ref"]) == (carrier, "3SABC123")


async def test_a_milestone_is_a_chatter_note_posted_once(odoo: Odoo) -> None:
    order, _ = odoo.delivery((5, 1))
    when = datetime(2025, 3, 4, 10, 30, tzinfo=timezone(timedelta(hours=1)))
    posted = await post_milestone(
        odoo.client,
        "sale.order",
        order,
        milestone="out_for_delivery",
        text="Parcel left the hub",
        occurred_at=when,
    )
    assert posted.created
    assert odoo.rpcs() == {("mail.message", "search"): 1, ("sale.order", "message_post"): 1}

    [message] = await odoo.client.search_read(
        "mail.message",
        [("model", "=", "sale.order"), ("res_id", "=", order)],
        ["body", "message_type", "subtype_id"],
    )
    assert message["id"] == posted.message_id
    assert "Tracking milestone out_for_delivery at 2025-03-04 09:30:00 UTC" in message["body"]
    assert "Parcel left the hub" in message["body"]
    assert message["message_type"] == "comment"
    assert message["subtype_id"][0] == odoo.db.ref("mail.mt_note")

    odoo.rpcs()
    again = await post_milestone(
        odoo.client,
        "sale.order",
        order,
        milestone="out_for_delivery",
        text="Parcel left the hub",
        occurred_at=when.astimezone(UTC),
    )
    assert (again.message_id, again.created) == (posted.message_id, False)
    assert odoo.rpcs() == {("mail.message", "search"): 1}
    with pytest.raises(OdooUsageError, match="timezone-aware"):
        await post_milestone(
            odoo.client,
            "sale.order",
            order,
            milestone="x",
            text="",
            occurred_at=datetime(2025, 1, 1),
        )


async def test_an_exception_activity_is_a_todo_scheduled_once(odoo: Odoo) -> None:
    _, picking = odoo.delivery((5, 1))
    scheduled = await schedule_exception_activity(
        odoo.client,
        "stock.picking",
        picking,
        summary="Carrier lost the parcel",
        note="Open a claim with PostNL",
        deadline=date(2030, 1, 31),
        user_id=BOT_UID,
    )
    assert scheduled.created
    assert odoo.rpcs() == {
        ("mail.activity", "search"): 1,
        ("stock.picking", "activity_schedule"): 1,
    }
    activity = odoo.db.record("mail.activity", scheduled.activity_id)
    assert (activity["res_model"], activity["res_id"]) == ("stock.picking", picking)
    assert activity["activity_type_id"][0] == odoo.db.ref("mail.mail_activity_data_todo")
    assert (activity["summary"], activity["date_deadline"]) == (
        "Carrier lost the parcel",
        "2030-01-31",
    )
    assert "Open a claim" in activity["note"] and activity["user_id"][0] == BOT_UID

    again = await schedule_exception_activity(
        odoo.client,
        "stock.picking",
        picking,
        summary="Carrier lost the parcel",
        note="again",
        deadline=date(2030, 2, 1),
    )
    assert (again.activity_id, again.created) == (scheduled.activity_id, False)
    assert odoo.rpcs() == {("mail.activity", "search"): 1}


# -- invoicing ------------------------------------------------------------------------------


async def test_delivered_quantities_are_invoiced_once(odoo: Odoo) -> None:
    order, picking = odoo.delivery((5, 3), (7, 2))
    nothing = await invoice_delivered_sale_order(odoo.client, order)
    assert (nothing.outcome, nothing.invoice_ids) == ("nothing_to_invoice", ())
    odoo.deliver_everything(picking)
    odoo.rpcs()

    first = await invoice_delivered_sale_order(odoo.client, order)
    assert first.outcome == "invoiced" and len(first.invoice_ids) == 1
    assert odoo.rpcs() == {
        ("sale.order", "read"): 2,
        ("sale.advance.payment.inv", "create"): 1,
        ("sale.advance.payment.inv", "create_invoices"): 1,
    }
    [invoice] = odoo.db.records(
        "account.move",
        [("id", "in", list(first.invoice_ids))],
        ["state", "move_type", "invoice_origin"],
    )
    assert (invoice["state"], invoice["move_type"]) == ("draft", "out_invoice")

    again = await invoice_delivered_sale_order(odoo.client, order)
    assert (again.outcome, again.invoice_ids, again.all_invoice_ids) == (
        "already_invoiced",
        (),
        first.invoice_ids,
    )
    assert odoo.rpcs() == {("sale.order", "read"): 1}
    assert len(odoo.db.search("account.move", [])) == 1


async def test_posting_covers_new_and_leftover_drafts(odoo_rpc: Odoo) -> None:
    odoo = odoo_rpc
    order, picking = odoo.delivery((5, 2))
    odoo.deliver_everything(picking)
    draft = await invoice_delivered_sale_order(odoo.client, order)  # a run that crashed here
    odoo.rpcs()

    replay = await invoice_delivered_sale_order(odoo.client, order, post=True)
    assert (replay.outcome, replay.posted_ids) == ("already_invoiced", draft.invoice_ids)
    assert odoo.rpcs() == {
        ("sale.order", "read"): 1,
        ("account.move", "read"): 1,
        ("account.move", "action_post"): 1,
    }
    [invoice] = odoo.db.records("account.move", [("id", "in", list(draft.invoice_ids))], ["state"])
    assert invoice["state"] == "posted"


async def test_nothing_to_invoice_from_odoo_answers_already_invoiced(odoo: Odoo) -> None:
    """Another job invoiced between our read and the wizard: Odoo's UserError is the answer."""
    order, picking = odoo.delivery((5, 2))
    odoo.deliver_everything(picking)
    first = await invoice_delivered_sale_order(odoo.client, order)
    odoo.db.simulate_user_change("sale.order", order, {"invoice_status": "to invoice"})
    odoo.rpcs()

    raced = await invoice_delivered_sale_order(odoo.client, order)
    assert (raced.outcome, raced.all_invoice_ids) == ("already_invoiced", first.invoice_ids)
    sent = odoo.rpcs()
    assert sent[("sale.advance.payment.inv", "create_invoices")] == 1
    assert sent[("sale.order", "read")] == 2
    assert len(odoo.db.search("account.move", [])) == 1
