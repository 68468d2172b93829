"""A warehouse that does not book the carrier: Crossdock books the label through the carrier
label connector, keeps it, and gives the tracking number to the WMS and to Odoo."""

from __future__ import annotations

import base64
from pathlib import Path

from crossdock.flows.outbound import repository
from crossdock.sandbox.wms.stack import running_stack


async def test_labels_booked_for_a_warehouse_that_does_not_book_the_carrier(
    sqlite_url: str, tmp_path: Path
) -> None:
    async with running_stack(sqlite_url, tmp_path, book_labels=True) as stack:
        order, _name = stack.confirm_order([(24, 2.0)])
        await stack.settle(rounds=4)
        picking = stack.picking_of(order)
        row = stack.fulfillment(picking["name"])
        labels = repository.labels(stack.runtime.store, picking["name"])
        [wms_order] = stack.warehouse.orders.values()
        [shipped] = [e for e in stack.warehouse.sent if e["event"] == "SHIPPED"]
        assert await stack.deliver(row.tracking_numbers[0]) == 202
        await stack.settle(execute=False, rounds=2)
        final = stack.fulfillment(picking["name"])
        dead = stack.runtime.queue.dead_jobs()
        bookings = stack.labels.requests
    assert dead == []
    [label] = labels
    assert label["tracking_number"].startswith("CDL")
    assert base64.b64decode(label["label"]).startswith(b"^XA")
    assert row.tracking_numbers == [label["tracking_number"]]
    assert wms_order.tracking == [label["tracking_number"]], "the WMS got the number"
    assert shipped["parcels"][0]["tracking"] == label["tracking_number"]
    assert picking["carrier_tracking_ref"] == label["tracking_number"], "so did Odoo"
    assert picking["state"] == "done"
    assert bookings == 1
    assert final.state == "invoiced"
