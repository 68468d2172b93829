"""Warehouse execution by files over a real drop folder: a half-written confirmation waits
until complete, a repeated file has no second effect, a partial shipment creates the
backorder, and a malformed file is kept, visible and archived apart."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from crossdock.connectors.wms.files.codec import encode
from crossdock.flows.outbound import repository
from crossdock.sandbox.wms.file_stack import FileStack, folder_transport, running_file_stack
from crossdock.sandbox.wms.files import event_records
from crossdock.sandbox.wms.stack import WMS
from crossdock.sandbox.wms.warehouse import Behaviour
from crossdock.store.schema import messages


def inbox(stack: FileStack) -> list[tuple[str, str, str | None]]:
    with stack.runtime.store.engine.connect() as conn:
        rows = conn.execute(
            select(messages.c.headers, messages.c.status, messages.c.error)
            .where(messages.c.partner == WMS)
            .order_by(messages.c.received_at, messages.c.id)
        )
        return [(row.headers["x-crossdock-file"], row.status, row.error) for row in rows]


async def poll(stack: FileStack) -> None:
    """One poll of the WMS's folder, the Crossdock side only."""
    stack.clock.advance(timedelta(seconds=11))
    await stack.runtime.worker().run_until_idle()


async def test_a_half_written_confirmation_is_taken_only_once_complete(
    sqlite_url: str, tmp_path: Path
) -> None:
    root = tmp_path / "exchange"
    behaviour = Behaviour(hold_ship_webhook=True)
    async with running_file_stack(
        sqlite_url, tmp_path, folder_transport(root), behaviour=behaviour
    ) as stack:
        order, _name = stack.confirm_order([(3, 2.0)])
        await stack.settle(rounds=3)
        picking = stack.picking_of(order)
        assert stack.fulfillment(picking["name"]).state == "packed"
        [wms_order] = stack.files.orders.values()
        [held] = wms_order.held
        body = encode(
            event_records({**held, "at": stack.clock.now().isoformat()}), stack.files.layout
        )
        target = root / "from_wms" / "SHP_slow.txt"
        # The WMS writes under the final name, slowly: a line cut in the middle at each poll.
        third = len(body) // 3
        for written in (third, 2 * third):
            target.write_bytes(body[:written])
            await poll(stack)
            assert target.exists()
            assert "SHP_slow.txt" not in [name for name, _s, _e in inbox(stack)]
        target.write_bytes(body)
        await poll(stack)  # grown since the last poll: still settling
        assert "SHP_slow.txt" not in [name for name, _s, _e in inbox(stack)]
        await poll(stack)  # unchanged since the last poll, 11 s ago: complete
        await poll(stack)
        taken = [entry for entry in inbox(stack) if entry[0] == "SHP_slow.txt"]
        row = stack.fulfillment(picking["name"])
        dead = stack.runtime.queue.dead_jobs()
        picking = stack.picking_of(order)
    assert taken == [("SHP_slow.txt", "translated", None)]
    assert not target.exists()
    assert dead == []
    assert row.state == "shipped"
    assert picking["state"] == "done"


async def test_a_repeated_confirmation_file_has_no_second_effect(
    sqlite_url: str, tmp_path: Path
) -> None:
    root = tmp_path / "exchange"
    async with running_file_stack(sqlite_url, tmp_path, folder_transport(root)) as stack:
        order, _name = stack.confirm_order([(3, 2.0)])
        await stack.settle(rounds=3)
        picking = stack.picking_of(order)
        before = inbox(stack)
        [shipped] = [p for p in (root / "archive").iterdir() if "_SHP_" in p.name]
        content = shipped.read_bytes()
        # The same file dropped again, under its name and under another one…
        (root / "from_wms" / shipped.name.split("-", 1)[1]).write_bytes(content)
        (root / "from_wms" / "RESENT_SHP.txt").write_bytes(content)
        # …and the same shipment sent again with a new time stamp (a new file content).
        resent = (
            content.replace(b";2026", b";2027", 1) if b";2026" in content else content + b"\r\n"
        )
        (root / "from_wms" / "RESENT_AGAIN.txt").write_bytes(resent)
        await stack.settle(execute=False, rounds=3)
        after = inbox(stack)
        row = stack.fulfillment(picking["name"])
        moves = stack.odoo.records(
            "stock.move", [("picking_id", "=", picking["id"])], ["quantity", "state"]
        )
        pickings = stack.pickings_of(order)
        exceptions = repository.exceptions(stack.runtime.store, picking["name"])
        left = list((root / "from_wms").iterdir())
        dead = stack.runtime.queue.dead_jobs()
    assert dead == []
    assert left == []
    # The exact repeats fold into the message already stored; the re-sent shipment is a
    # message of its own whose confirmation id the flow has already applied.
    assert len(after) == len(before) + 1
    assert after[-1][0] == "RESENT_AGAIN.txt"
    assert row.state == "shipped"
    assert len(row.confirmations) == 1
    assert [m["quantity"] for m in moves] == [2.0]
    assert len(pickings) == 1
    assert exceptions == []


async def test_a_partial_shipment_validates_and_creates_the_backorder(
    sqlite_url: str, tmp_path: Path
) -> None:
    root = tmp_path / "exchange"
    behaviour = Behaviour(short_items={"WMS-0003": 1.0}, lots={"WMS-0004": ["LOT-A", "LOT-B"]})
    async with running_file_stack(
        sqlite_url, tmp_path, folder_transport(root), behaviour=behaviour, layout="fixed"
    ) as stack:
        product = stack.odoo.ref("sandbox.product_0004")
        with stack.odoo.lock, stack.odoo.transaction():
            for lot in ("LOT-A", "LOT-B"):
                stack.odoo.env().create("stock.lot", {"name": lot, "product_id": product})
        order, _name = stack.confirm_order([(3, 3.0), (4, 2.0)])
        await stack.settle(rounds=8)  # the backorder: released, settled, taken
        first, *backorders = stack.pickings_of(order)
        row = stack.fulfillment(first["name"])
        moves = stack.odoo.records(
            "stock.move",
            [("picking_id", "=", first["id"])],
            ["product_uom_qty", "quantity", "state"],
        )
        kinds = [e["kind"] for e in repository.exceptions(stack.runtime.store, first["name"])]
        released = [o.body["order_ref"] for o in stack.files.orders.values()]
        later = [stack.fulfillment(b["name"]) for b in backorders]
        lines = stack.odoo.records(
            "stock.move.line", [("picking_id", "=", first["id"])], ["lot_id", "quantity"]
        )
        dead = stack.runtime.queue.dead_jobs()
    assert dead == []
    assert first["state"] == "done", (row, kinds, released)
    assert sorted(m["quantity"] for m in moves) == [2.0, 2.0]
    assert row.state == "partially_shipped"
    assert kinds == ["short_pick"]
    lots = sorted((line["lot_id"][1], line["quantity"]) for line in lines if line["lot_id"])
    assert lots == [("LOT-A", 1.0), ("LOT-B", 1.0)]
    [backorder] = backorders
    assert backorder["backorder_id"][0] == first["id"]
    assert row.backorder_id == backorder["id"]
    # The backorder went out as a release file of its own and shipped in full.
    assert released == [first["name"], backorder["name"]]
    assert [r.state for r in later] == ["shipped"], later
    assert backorder["state"] == "done"


async def test_a_malformed_file_is_kept_visible_and_archived_apart(
    db_url: str, tmp_path: Path
) -> None:
    root = tmp_path / "exchange"
    async with running_file_stack(db_url, tmp_path, folder_transport(root)) as stack:
        (root / "from_wms" / "SHP_bad.txt").write_bytes(
            b"SH;WH/OUT/00001;SHP-9;;;;20260302090000\r\nSL;77;WMS-0003;two;EA;\r\n"
        )
        await stack.settle(execute=False, rounds=3)
        [entry] = inbox(stack)
        archived = [p.name for p in (root / "archive").iterdir()]
        dead = stack.runtime.queue.dead_jobs()
    name, status, error = entry
    assert (name, status) == ("SHP_bad.txt", "failed")
    assert error is not None
    assert "SHP_bad.txt line 2 column 4: quantity: 'two' is not a number" in error
    [kept] = archived
    assert kept.endswith("-SHP_bad.txt.rejected")
    assert [job.job_type for job in dead] == ["pipeline.translate"]


async def test_a_cancel_file_withdraws_the_order_and_a_later_shipment_is_a_conflict(
    sqlite_url: str, tmp_path: Path
) -> None:
    root = tmp_path / "exchange"
    behaviour = Behaviour(hold_ship_webhook=True)
    async with running_file_stack(
        sqlite_url, tmp_path, folder_transport(root), behaviour=behaviour
    ) as stack:
        kept, _n = stack.confirm_order([(11, 2.0)])
        shipped, _m = stack.confirm_order([(12, 1.0)])
        await stack.settle(execute=False, rounds=1)
        waiting, gone = stack.picking_of(kept), stack.picking_of(shipped)
        assert stack.fulfillment(waiting["name"]).state == "released"
        # The second order leaves the warehouse before the cancel file is read; its ship
        # confirmation is written later.
        by_ref = {o.body["order_ref"]: o for o in stack.files.orders.values()}
        await stack.files.execute(by_ref[gone["name"]].id)
        stack.cancel_order(kept)
        stack.cancel_order(shipped)
        await stack.settle(rounds=3)
        await stack.files.send_held()
        await stack.settle(execute=False, rounds=3)
        withdrawn = stack.fulfillment(waiting["name"])
        conflict = stack.fulfillment(gone["name"])
        found = repository.exceptions(stack.runtime.store, gone["name"])
        cancels = sorted(p.name.split("-", 1)[1] for p in (root / "wms-archive").iterdir())
        dead = stack.runtime.queue.dead_jobs()
    assert dead == []
    assert withdrawn.state == "cancelled"
    assert by_ref[waiting["name"]].status == "cancelled"
    assert by_ref[gone["name"]].status == "shipped"
    assert [f"CAN_{p['name']}.txt".replace("/", "_") for p in (waiting, gone)] == [
        c for c in cancels if c.startswith("CAN_")
    ]
    assert conflict.state == "cancelled"
    assert [e["kind"] for e in found] == ["cancel_conflict"]
    assert "the warehouse shipped (SHP-" in found[0]["detail"]
