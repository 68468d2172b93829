"""The happy path end to end over real HTTP: an order confirmed in Odoo is released to the
WMS, picked, packed, shipped, validated in Odoo, delivered and invoiced."""

from __future__ import annotations

from pathlib import Path

from crossdock.flows.outbound import repository
from crossdock.sandbox.wms.stack import running_stack


async def test_order_from_confirmation_to_invoice(db_url: str, tmp_path: Path) -> None:
    async with running_stack(db_url, tmp_path) as stack:
        order, name = stack.confirm_order([(3, 2.0), (4, 1.0)], carrier="carrier_postnl")
        await stack.settle()
        picking = stack.picking_of(order)
        row = stack.fulfillment(picking["name"])
        assert row.state == "shipped", (row, repository.exceptions(stack.runtime.store))
        [wms_order] = stack.warehouse.orders.values()
        assert picking["state"] == "done"
        assert picking["carrier_tracking_ref"] == wms_order.tracking[0]
        assert await stack.deliver(wms_order.tracking[0]) == 202
        await stack.settle(execute=False)
        row = stack.fulfillment(picking["name"])
        sale = stack.odoo.record("sale.order", order)
        dead = stack.runtime.queue.dead_jobs()
    assert dead == []
    assert row.state == "invoiced"
    assert row.correlation_id == name
    assert len(row.invoice_ids) == 1
    assert sale["invoice_status"] == "invoiced"
    body = wms_order.body
    assert body["site"] == "DC1"
    assert body["service"] == "POSTNL_STANDARD"
    assert [(line["item"], line["qty"], line["unit"]) for line in body["lines"]] == [
        ("WMS-0003", 2.0, "EA"),
        ("WMS-0004", 1.0, "EA"),
    ]
