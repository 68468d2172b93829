"""Cancellation before and after shipment, and a WMS outage during release, end to end."""

from __future__ import annotations

from pathlib import Path

from crossdock.flows.outbound import repository
from crossdock.sandbox.wms.stack import running_stack
from crossdock.sandbox.wms.warehouse import Behaviour


async def test_cancelled_before_shipment_is_withdrawn_from_the_warehouse(
    sqlite_url: str, tmp_path: Path
) -> None:
    async with running_stack(sqlite_url, tmp_path) as stack:
        order, _name = stack.confirm_order([(11, 2.0)])
        await stack.settle(execute=False, rounds=2)
        picking = stack.picking_of(order)
        assert stack.fulfillment(picking["name"]).state == "released"
        stack.cancel_order(order)
        await stack.settle(rounds=2)
        row = stack.fulfillment(picking["name"])
        [wms_order] = stack.warehouse.orders.values()
        found = repository.exceptions(stack.runtime.store)
        dead = stack.runtime.queue.dead_jobs()
    assert dead == []
    assert row.state == "cancelled"
    assert wms_order.status == "cancelled"
    assert stack.warehouse.cancelled == [wms_order.id]
    assert not [e for e in stack.warehouse.sent if e["event"] == "SHIPPED"]
    assert found == []


async def test_cancelled_after_the_warehouse_shipped_is_a_visible_conflict(
    sqlite_url: str, tmp_path: Path
) -> None:
    behaviour = Behaviour(hold_ship_webhook=True)
    async with running_stack(sqlite_url, tmp_path, behaviour=behaviour) as stack:
        order, name = stack.confirm_order([(12, 1.0)])
        await stack.settle(rounds=2)
        picking = stack.picking_of(order)
        assert stack.fulfillment(picking["name"]).state == "packed"
        stack.cancel_order(order)
        await stack.settle(execute=False, rounds=2)
        conflict = stack.fulfillment(picking["name"])
        # The confirmation the warehouse held back arrives after all.
        assert await stack.warehouse.send_held() == 1
        await stack.settle(execute=False, rounds=1)
        row = stack.fulfillment(picking["name"])
        found = repository.exceptions(stack.runtime.store, picking["name"])
        picking_after = stack.picking_of(order)
        dead = stack.runtime.queue.dead_jobs()
    assert dead == []
    assert conflict.state == "cancel_conflict"
    assert row.state == "cancel_conflict"
    assert [e["kind"] for e in found] == ["cancel_conflict", "cancel_conflict"]
    assert "had already shipped" in found[0]["detail"]
    assert "shipped (SHP-" in found[1]["detail"]
    assert picking_after["state"] == "cancel", "Odoo's cancellation stands; nothing validated"
    assert row.correlation_id == name


async def test_cancelled_in_odoo_after_the_shipment_was_applied(
    sqlite_url: str, tmp_path: Path
) -> None:
    async with running_stack(sqlite_url, tmp_path) as stack:
        order, _name = stack.confirm_order([(13, 1.0)])
        await stack.settle(rounds=2)
        picking = stack.picking_of(order)
        assert stack.fulfillment(picking["name"]).state == "shipped"
        stack.cancel_order(order)
        await stack.settle(execute=False, rounds=2)
        found = repository.exceptions(stack.runtime.store, picking["name"])
        row = stack.fulfillment(picking["name"])
    assert row.state == "shipped"
    assert [e["kind"] for e in found] == ["cancel_conflict"]
    assert "after" in found[0]["detail"]


async def test_a_release_during_an_outage_is_retried_and_not_duplicated(
    db_url: str, tmp_path: Path
) -> None:
    behaviour = Behaviour(outage=True)
    async with running_stack(db_url, tmp_path, behaviour=behaviour) as stack:
        order, _name = stack.confirm_order([(14, 1.0)])
        await stack.settle(execute=False, rounds=2)
        picking = stack.picking_of(order)
        waiting = stack.fulfillment(picking["name"])
        during = len(stack.warehouse.orders)
        # Back up, but the first answer is lost after the order was stored.
        behaviour.outage = False
        behaviour.accept_then_fail = 1
        await stack.settle(rounds=4)
        row = stack.fulfillment(picking["name"])
        orders = list(stack.warehouse.orders.values())
        dead = stack.runtime.queue.dead_jobs()
    assert during == 0
    assert waiting.state == "awaiting_release"
    assert dead == []
    [wms_order] = orders
    assert wms_order.received == 2, "the retry found the order the lost answer had created"
    assert row.state == "shipped"
    assert row.wms_order_id == wms_order.id


async def test_order_lines_changed_in_odoo_after_release_are_an_exception(
    sqlite_url: str, tmp_path: Path
) -> None:
    async with running_stack(sqlite_url, tmp_path) as stack:
        order, _name = stack.confirm_order([(25, 2.0)])
        await stack.settle(execute=False, rounds=2)
        picking = stack.picking_of(order)
        [move] = picking["move_ids"]
        stack.odoo.simulate_user_change("stock.move", move, {"product_uom_qty": 3.0})
        stack.odoo.simulate_user_change("stock.picking", picking["id"], {"origin": "changed"})
        await stack.settle(execute=False, rounds=2)
        row = stack.fulfillment(picking["name"])
        found = repository.exceptions(stack.runtime.store, picking["name"])
        orders = len(stack.warehouse.orders)
    assert row.state == "released"
    assert orders == 1, "not released a second time"
    assert [e["kind"] for e in found] == ["changed_after_release"]
    assert f"[('{move}', 'CD-0025', '2')] → [('{move}', 'CD-0025', '3')]" in found[0]["detail"]
