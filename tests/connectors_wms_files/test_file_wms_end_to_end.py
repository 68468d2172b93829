"""The outbound flow with a file WMS over a real drop folder and a real SFTP server: release →
order file → the sandbox executes it → confirmation files → the Odoo sandbox's delivery
validated."""

from __future__ import annotations

from pathlib import Path

from crossdock.flows.outbound import repository
from crossdock.sandbox.wms.file_stack import (
    exchange_folders,
    folder_transport,
    running_file_stack,
)
from tests.files.sftp_server import sftp_server


async def test_release_files_executed_and_confirmed_validate_the_picking(
    db_url: str, tmp_path: Path
) -> None:
    root = tmp_path / "exchange"
    async with running_file_stack(db_url, tmp_path, folder_transport(root)) as stack:
        order, name = stack.confirm_order([(3, 2.0), (4, 1.0)], carrier="carrier_postnl")
        await stack.settle(rounds=3)
        picking = stack.picking_of(order)
        row = stack.fulfillment(picking["name"])
        assert row.state == "shipped", (row, repository.exceptions(stack.runtime.store))
        [wms_order] = stack.files.orders.values()
        dead = stack.runtime.queue.dead_jobs()
        archived = sorted(p.name for p in (root / "archive").iterdir())
        left = sorted(p.name for p in (root / "from_wms").iterdir())
        released = sorted(p.name for p in (root / "wms-archive").iterdir())
    assert dead == []
    assert picking["state"] == "done"
    assert picking["carrier_tracking_ref"] == wms_order.tracking[0]
    assert row.correlation_id == name
    assert row.wms_order_id == wms_order.id  # from the acknowledgement file
    body = wms_order.body
    assert (body["site"], body["service"]) == ("DC1", "POSTNL_STANDARD")
    assert [(line["item"], line["qty"], line["unit"]) for line in body["lines"]] == [
        ("WMS-0003", 2.0, "EA"),
        ("WMS-0004", 1.0, "EA"),
    ]
    safe = picking["name"].replace("/", "_")
    assert [n.split("-", 1)[1] for n in released] == [f"ORD_{safe}.txt"]
    # Every confirmation was taken and archived; none is left or still claimed.
    assert left == []
    assert [n.split("-", 1)[1] for n in archived] == [
        f"00000001_ACK_{picking['name']}.txt".replace("/", "_"),
        f"00000002_PCK_{safe}.txt",
        f"00000003_PAK_{safe}.txt",
        f"00000004_SHP_{safe}.txt",
    ]
    assert not any((root / ".crossdock-claimed").iterdir())


async def test_the_same_flow_over_a_real_sftp_server_with_fixed_width_files(
    sqlite_url: str, tmp_path: Path
) -> None:
    async with sftp_server(tmp_path) as account:
        for folder in ("from_wms", "to_wms"):
            (account.home / folder).mkdir()
        transport = account.transport(**exchange_folders())
        async with running_file_stack(sqlite_url, tmp_path, transport, layout="fixed") as stack:
            order, _name = stack.confirm_order([(5, 3.0)], customer=4)
            await stack.settle(rounds=3)
            picking = stack.picking_of(order)
            row = stack.fulfillment(picking["name"])
            [wms_order] = stack.files.orders.values()
            dead = stack.runtime.queue.dead_jobs()
        released = (account.home / "wms-archive").iterdir()
        [release] = [path.read_bytes() for path in released]
        archived = sorted(p.name for p in (account.home / "archive").iterdir())
    assert dead == []
    assert row.state == "shipped", row
    assert picking["state"] == "done"
    assert picking["carrier_tracking_ref"] == wms_order.tracking[0]
    # Fixed width, Latin-1: the customer's name as the layout's 40 characters.
    assert "Maison Lumière SARL".ljust(40).encode("latin-1") in release
    assert wms_order.body["ship_to"]["name"] == "Maison Lumière SARL"
    assert len(archived) == 4
