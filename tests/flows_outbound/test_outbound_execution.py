"""Warehouse execution back into Odoo, end to end over real HTTP: partial shipments with and
without a backorder, short picks, duplicate ship confirmations, holds and ownership conflicts."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from crossdock.flows.outbound import repository
from crossdock.sandbox.odoo.seed import CUSTOMERS
from crossdock.sandbox.wms.stack import running_stack
from crossdock.sandbox.wms.warehouse import Behaviour
from crossdock.store.schema import events
from tests.support.cli import invoke, write_config
from tests.support.notify_receiver import Receiver, secret_file
from tests.support.server import serving


def kinds(stack_store: object, name: str) -> list[str]:
    return [row["kind"] for row in repository.exceptions(stack_store, name)]  # type: ignore[arg-type]


async def test_partial_shipment_creates_the_backorder_and_reports_the_short_pick(
    sqlite_url: str, tmp_path: Path
) -> None:
    behaviour = Behaviour(short_items={"WMS-0003": 1.0})
    async with running_stack(sqlite_url, tmp_path, behaviour=behaviour) as stack:
        order, _name = stack.confirm_order([(3, 3.0), (4, 1.0)])
        await stack.settle()
        first, *backorders = stack.pickings_of(order)
        row = stack.fulfillment(first["name"])
        moves = stack.odoo.records(
            "stock.move",
            [("picking_id", "=", first["id"])],
            ["product_uom_qty", "quantity", "state"],
        )
        found = kinds(stack.runtime.store, first["name"])
        released = [o.body["order_ref"] for o in stack.warehouse.orders.values()]
        dead = stack.runtime.queue.dead_jobs()
    assert dead == []
    assert first["state"] == "done"
    assert sorted(m["quantity"] for m in moves) == [1.0, 2.0]
    assert row.state == "partially_shipped"
    assert found == ["short_pick"]
    [backorder] = backorders
    assert backorder["backorder_id"][0] == first["id"]
    assert row.backorder_id == backorder["id"]
    # The backorder is a delivery order of its own: released to the WMS and shipped in full.
    assert released == [first["name"], backorder["name"]]
    assert backorder["state"] == "done"


async def test_partial_shipment_cancels_the_rest_for_a_customer_without_backorders(
    sqlite_url: str, tmp_path: Path
) -> None:
    customer = CUSTOMERS[1][0]
    outbound = {"backorder_by_customer": {customer: "cancel"}}
    behaviour = Behaviour(short_items={"WMS-0005": 2.0})
    async with running_stack(sqlite_url, tmp_path, outbound=outbound, behaviour=behaviour) as stack:
        order, _name = stack.confirm_order([(5, 3.0)], customer=2)
        await stack.settle()
        pickings = stack.pickings_of(order)
        row = stack.fulfillment(pickings[0]["name"])
        moves = stack.odoo.records(
            "stock.move", [("picking_id", "=", pickings[0]["id"])], ["quantity", "state"]
        )
        orders = len(stack.warehouse.orders)
    assert [p["state"] for p in pickings] == ["done"]
    assert row.state == "partially_shipped"
    assert row.backorder_id is None
    assert row.shipped == {row.request["lines"][0]["line_id"]: "1.0"}
    # Odoo splits the move: what shipped is done, the rest is a cancelled move, no backorder.
    assert sorted((m["quantity"], m["state"]) for m in moves) == [(0.0, "cancel"), (1.0, "done")]
    assert orders == 1


async def test_duplicate_ship_confirmations_have_no_second_effect_and_lots_are_recorded(
    sqlite_url: str, tmp_path: Path
) -> None:
    behaviour = Behaviour(duplicate_ship=True, lots={"WMS-0006": ["LOT-A", "LOT-B"]})
    async with running_stack(sqlite_url, tmp_path, behaviour=behaviour) as stack:
        product = stack.odoo.ref("sandbox.product_0006")
        with stack.odoo.lock, stack.odoo.transaction():
            lots = {
                name: stack.odoo.env().create("stock.lot", {"name": name, "product_id": product})
                for name in ("LOT-A", "LOT-B")
            }
        order, _name = stack.confirm_order([(6, 4.0)])
        await stack.settle()
        picking = stack.picking_of(order)
        row = stack.fulfillment(picking["name"])
        shipped_webhooks = [e for e in stack.warehouse.sent if e["event"] == "SHIPPED"]
        found = kinds(stack.runtime.store, picking["name"])
        moves = stack.odoo.records("stock.move", [("picking_id", "=", picking["id"])], ["quantity"])
        lines = stack.odoo.records(
            "stock.move.line", [("picking_id", "=", picking["id"])], ["lot_id", "quantity"]
        )
    assert len(shipped_webhooks) == 2
    assert row.confirmations == [shipped_webhooks[0]["shipment_id"]]
    assert row.state == "shipped"
    assert [m["quantity"] for m in moves] == [4.0]
    assert found == []
    assert sorted((line["lot_id"][0], line["quantity"]) for line in lines) == [
        (lots["LOT-A"], 2.0),
        (lots["LOT-B"], 2.0),
    ]


async def test_holds_are_visible_and_an_over_shipment_is_refused_before_odoo_is_touched(
    sqlite_url: str, tmp_path: Path
) -> None:
    on_credit_hold = CUSTOMERS[2][0]
    outbound = {"holds": {"credit_hold": [on_credit_hold]}}
    behaviour = Behaviour(over_ship=1.0)
    async with running_stack(sqlite_url, tmp_path, outbound=outbound, behaviour=behaviour) as stack:
        no_zip = stack.odoo.ref("sandbox.customer_04")
        stack.odoo.simulate_user_change("res.partner", no_zip, {"zip": False})
        credit_order, _ = stack.confirm_order([(8, 1.0)], customer=3)
        address_order, _ = stack.confirm_order([(9, 1.0)], customer=4)
        over_order, _ = stack.confirm_order([(7, 2.0)])
        await stack.settle()
        credit = stack.fulfillment(stack.picking_of(credit_order)["name"])
        address = stack.fulfillment(stack.picking_of(address_order)["name"])
        over_picking = stack.picking_of(over_order)
        over = stack.fulfillment(over_picking["name"])
        found = repository.exceptions(stack.runtime.store)
        orders = len(stack.warehouse.orders)
        with stack.runtime.store.engine.connect() as conn:
            raised = conn.execute(
                select(events.c.subject).where(
                    events.c.type == "crossdock.fulfillment.exception_raised.v1"
                )
            ).all()
        config_file = write_config(
            tmp_path / "crossdock.yaml", stack.runtime.config.model_dump(mode="json")
        )
    assert orders == 1, "only the order without a hold reached the warehouse"
    assert (credit.state, address.state) == ("held", "held")
    assert credit.hold_reason == f"credit: {on_credit_hold} is on credit hold"
    assert address.hold_reason is not None and address.hold_reason.startswith("address:")
    holds = [e for e in found if e["kind"] == "hold"]
    assert len(holds) == 2, "once each, not per poll"
    assert len(raised) == 3
    [refused] = [e for e in found if e["kind"] == "over_shipment"]
    assert "(CD-0007): 3.0 shipped of 2 ordered" in refused["detail"]
    assert over_picking["state"] == "assigned"
    assert over.state == "packed"
    listed = invoke("outbound", "exceptions", "-c", str(config_file))
    assert listed.exit_code == 0
    assert f"credit: {on_credit_hold} is on credit hold" in listed.output
    assert "3 exception(s)" in listed.output
    held = invoke("outbound", "list", "--state", "held", "-c", str(config_file))
    assert "2 delivery order(s)" in held.output


async def test_a_field_reported_by_its_non_owner_is_a_conflict_not_an_update(
    sqlite_url: str, tmp_path: Path
) -> None:
    wrong_address = {
        "name": "Somebody Else",
        "street": "Elsewhere 1",
        "zip": "1000",
        "city": "Brussels",
        "country": "BE",
    }
    behaviour = Behaviour(service_override="DHL_EXPRESS", ship_to_override=wrong_address)
    receiver_secret, receiver_ref = secret_file(tmp_path)
    receiver = Receiver(receiver_secret)
    async with (
        serving(receiver.app()) as hook_url,
        running_stack(
            sqlite_url,
            tmp_path,
            behaviour=behaviour,
            notifications={
                "subscriptions": [
                    {
                        "name": "ops",
                        "url": f"{hook_url}/hook",
                        "event_types": ["crossdock.ownership.conflict_raised.v1"],
                        "secret": receiver_ref,
                    }
                ]
            },
        ) as stack,
    ):
        order, _name = stack.confirm_order([(10, 1.0)], carrier="carrier_postnl")
        await stack.settle()
        picking = stack.picking_of(order)
        row = stack.fulfillment(picking["name"])
        conflicts = repository.conflicts(stack.runtime.store)
        config_file = write_config(
            tmp_path / "crossdock.yaml", stack.runtime.config.model_dump(mode="json")
        )
        with stack.runtime.store.engine.connect() as conn:
            alerts = conn.execute(
                select(events.c.subject).where(
                    events.c.type == "crossdock.ownership.conflict_raised.v1"
                )
            ).all()
    assert picking["state"] == "done", "the quantities are the WMS's own: applied"
    assert row.service_level == "PostNL Standard", "the owner's value stays"
    by_field = {c["field"]: c for c in conflicts}
    assert sorted(by_field) == ["carrier_service", "ship_to"]
    service = by_field["carrier_service"]
    assert (service["owner"], service["reported_by"]) == ("odoo", "wms")
    assert (service["owner_value"], service["reported_value"]) == ("PostNL Standard", "DHL Express")
    assert by_field["ship_to"]["reported_value"].startswith("Somebody Else, Elsewhere 1")
    assert len(alerts) == 2
    alerted = sorted(r.event["data"]["field"] for r in receiver.verified)
    assert alerted == ["carrier_service", "ship_to"], "the alert reached the subscriber"
    shown = invoke("outbound", "show", picking["name"], "-c", str(config_file))
    assert shown.exit_code == 0
    assert (
        "conflict on carrier_service: odoo owns 'PostNL Standard', wms reported 'DHL Express'"
        in shown.output
    )
