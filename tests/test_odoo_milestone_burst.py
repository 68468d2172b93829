"""A burst of 1,000 tracking milestones over 200 pickings, shuffled so older scans often come
late, reaches Odoo in a handful of RPCs: one chatter note per picking holding its whole
history in time order, and the delivered date of every delivered parcel."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from crossdock.clock import FrozenClock, SystemClock
from crossdock.connectors.odoo.partner import OdooPartnerSettings
from crossdock.connectors.odoo.pool import CLIENTS
from crossdock.sandbox.odoo.server import build_app
from crossdock.sandbox.tracking_burst import MILESTONES, create_pickings, milestone_events
from tests.support.factories import make_config, make_runtime
from tests.support.odoo import PARTNER, odoo_partner
from tests.support.server import serving

PICKINGS = 200
PER_PICKING = 5


async def test_burst_of_milestones_costs_a_handful_of_rpcs(db_url: str, tmp_path: Path) -> None:
    sandbox = build_app(version=18)
    odoo = sandbox.state.odoo
    clock = FrozenClock(SystemClock().now())
    async with serving(sandbox) as url:
        partner = odoo_partner(url, tmp_path, [])
        partner.settings["milestones"] = {"flush_window": "PT2S"}
        runtime = make_runtime(make_config(db_url, [], partners=[partner]), clock=clock)
        odoo_settings = OdooPartnerSettings.model_validate(partner.settings).odoo
        pickings = await create_pickings(odoo_settings, PICKINGS, "1ZBURST")

        envelopes = milestone_events(pickings, PER_PICKING, clock.now() - timedelta(hours=6))
        specs = [spec for env in envelopes for spec in runtime.router.route(env, None)]
        flow = [s for s in specs if s.job_type == "flows.tracking"]
        assert len(flow) == PICKINGS * PER_PICKING, "one job per scan: Odoo's sink runs in it"
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
        delivered = odoo.records(
            "stock.picking", [("id", "in", [p["id"] for p in pickings])], ["x_delivered_date"]
        )
        flushes = runtime.queue.counts().get((f"odoo.milestone_flush:{PARTNER}", "done"))
    await CLIENTS.aclose()
    runtime.store.dispose()

    events = PICKINGS * PER_PICKING
    assert rpcs <= 6, dict(client.rpc_counts)
    assert rpcs / events <= 0.01
    assert len(notes) == PICKINGS, "one note per picking"
    steps = [f"<b>{m.replace('_', ' ')}</b>" for m in MILESTONES[:PER_PICKING]]
    for note in notes:
        body = str(note["body"])
        positions = [body.index(step) for step in steps]
        assert positions == sorted(positions), "history in event-time order"
    assert all(p["x_delivered_date"] for p in delivered), "every parcel ends delivered"
    assert flushes == 1
