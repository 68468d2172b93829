"""A burst of 1,000 tracking milestones over 200 pickings reaches Odoo's chatter in a handful
of RPCs, with each picking showing its newest milestone once."""

from __future__ import annotations

import random
from datetime import timedelta
from pathlib import Path

from crossdock.canonical.event_types import SHIPMENT_MILESTONE_RECORDED_V1
from crossdock.canonical.milestones import TrackingMilestone
from crossdock.canonical.registry import build_event
from crossdock.clock import FrozenClock, SystemClock
from crossdock.connectors.odoo import OdooSettings, make_http_client
from crossdock.connectors.odoo.client import OdooClient
from crossdock.connectors.odoo.partner import OdooPartnerSettings
from crossdock.connectors.odoo.pool import CLIENTS
from crossdock.sandbox.odoo.server import build_app
from tests.support.factories import make_config, make_runtime
from tests.support.odoo import PARTNER, odoo_partner
from tests.support.server import serving

PICKINGS = 200
PER_PICKING = 5
MILESTONES = ("info_received", "picked_up", "in_transit", "out_for_delivery", "delivered")


async def create_pickings(settings: OdooSettings, count: int) -> list[dict[str, object]]:
    """Outgoing pickings with tracking numbers, created in one RPC by a separate client."""
    async with make_http_client(settings) as http:
        client = OdooClient(settings, http)
        [kind] = await client.search_read(
            "stock.picking.type",
            [("code", "=", "outgoing")],
            ["default_location_src_id", "default_location_dest_id"],
            limit=1,
        )
        ids = await client.create(
            "stock.picking",
            [
                {
                    "picking_type_id": kind["id"],
                    "location_id": kind["default_location_src_id"][0],
                    "location_dest_id": kind["default_location_dest_id"][0],
                    "carrier_tracking_ref": f"1ZBURST{n:06d}",
                }
                for n in range(count)
            ],
        )
        return await client.read("stock.picking", ids, ["name", "carrier_tracking_ref"])


async def test_burst_of_milestones_costs_a_handful_of_rpcs(db_url: str, tmp_path: Path) -> None:
    sandbox = build_app(version=18)
    odoo = sandbox.state.odoo
    clock = FrozenClock(SystemClock().now())
    async with serving(sandbox) as url:
        partner = odoo_partner(url, tmp_path, [])
        partner.settings["milestones"] = {"flush_window": "PT2S"}
        runtime = make_runtime(make_config(db_url, [], partners=[partner]), clock=clock)
        odoo_settings = OdooPartnerSettings.model_validate(partner.settings).odoo
        pickings = await create_pickings(odoo_settings, PICKINGS)

        start = clock.now() - timedelta(hours=6)
        envelopes = []
        for picking in pickings:
            tracking = str(picking["carrier_tracking_ref"])
            for step, milestone in enumerate(MILESTONES[:PER_PICKING]):
                at = start + timedelta(minutes=30 * step)
                data = TrackingMilestone(
                    tracking_number=tracking,
                    carrier_code="ups",
                    milestone=milestone,
                    occurred_at=at,
                    raw_code=milestone[:2].upper(),
                    raw_text=milestone.replace("_", " "),
                    # Half the events name the picking, half only the tracking number.
                    shipment_id=str(picking["name"]) if step % 2 else None,
                )
                envelopes.append(
                    build_event(
                        SHIPMENT_MILESTONE_RECORDED_V1,
                        data,
                        source="/carriers/ups",
                        subject=tracking,
                        lanekey=f"shipment:{tracking}",
                        time=at,
                    )
                )
        random.Random(5).shuffle(envelopes)  # late, older events must not win
        specs = [spec for env in envelopes for spec in runtime.router.route(env, None)]
        collect = [s for s in specs if s.job_type == f"odoo.milestone:{PARTNER}"]
        assert len(collect) == PICKINGS * PER_PICKING  # and the status board's own jobs
        runtime.queue.enqueue(specs, clock.now())

        worker = runtime.worker()
        await worker.run_until_idle()
        clock.advance(timedelta(seconds=3))
        await worker.run_until_idle()

        client = CLIENTS.get(PARTNER, odoo_settings)
        rpcs = client.rpc_counts.total()
        notes = odoo.records(
            "mail.message",
            [("model", "=", "stock.picking"), ("res_id", "in", [p["id"] for p in pickings])],
            ["res_id", "body"],
        )
    await CLIENTS.aclose()
    runtime.store.dispose()

    events = PICKINGS * PER_PICKING
    assert rpcs <= 6, dict(client.rpc_counts)
    assert rpcs / events <= 0.01
    assert len(notes) == PICKINGS, "one note per picking"
    newest = MILESTONES[PER_PICKING - 1].replace("_", " ")
    assert all(f"<b>{newest}</b>" in str(note["body"]) for note in notes)
    assert runtime.queue.counts().get((f"odoo.milestone_flush:{PARTNER}", "done")) == 1
