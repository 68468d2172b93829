"""Odoo change capture end to end: the sandbox's pickings and orders, polled and posted as
automation webhooks, become canonical events through the real pipeline."""

from __future__ import annotations

from pathlib import Path

import httpx
import orjson
from sqlalchemy import func, select

from crossdock.clock import FrozenClock, SystemClock
from crossdock.connectors.odoo.mapping_fields import POLL_FIELDS
from crossdock.connectors.odoo.pool import CLIENTS
from crossdock.sandbox.odoo.server import build_app
from crossdock.store import events
from crossdock.store.schema import entity_states, jobs
from crossdock.web.app import create_app
from tests.support.factories import make_config, make_runtime
from tests.support.odoo import PARTNER, TOKEN, odoo_partner
from tests.support.server import serving

POLLS = [
    {"model": model, "fields": list(POLL_FIELDS[model])}
    for model in ("sale.order", "stock.picking")
]


async def test_polled_and_posted_changes_become_canonical_events(
    db_url: str, tmp_path: Path
) -> None:
    sandbox = build_app(version=18)
    odoo = sandbox.state.odoo
    clock = FrozenClock(SystemClock().now())
    async with serving(sandbox) as odoo_url:
        runtime = make_runtime(
            make_config(db_url, [], partners=[odoo_partner(odoo_url, tmp_path, POLLS)]), clock=clock
        )
        assert runtime.schedule_startup_jobs() == 2
        assert runtime.schedule_startup_jobs() == 0  # a second process schedules nothing new
        await runtime.worker().run_until_idle()

        ready = odoo.records(
            "stock.picking",
            [("state", "=", "assigned"), ("picking_type_code", "=", "outgoing")],
            ["name"],
        )
        confirmed = odoo.records("sale.order", [("state", "=", "sale")], ["name"])
        counts = events.counts_by_type(runtime.store)
        assert counts.get("crossdock.fulfillment.requested.v1") == len(ready) > 0
        assert counts.get("crossdock.order.confirmed.v1") == len(confirmed) > 0
        with runtime.store.engine.connect() as conn:
            dead = conn.execute(
                select(func.count()).select_from(jobs).where(jobs.c.status == "dead")
            ).scalar()
            boards = {
                row.entity_key: row.status
                for row in conn.execute(select(entity_states.c.entity_key, entity_states.c.status))
            }
        assert dead == 0
        assert boards[f"picking:{ready[0]['name']}"] == "requested"

        # The same picking, cancelled in Odoo, announced by an automation-rule webhook.
        picking = ready[0]
        odoo.simulate_user_change("stock.picking", picking["id"], {"state": "cancel"})
        [changed] = odoo.records(
            "stock.picking", [("id", "=", picking["id"])], list(POLL_FIELDS["stock.picking"])
        )
        body = orjson.dumps({"_model": "stock.picking", "_id": picking["id"], **changed})
        async with (
            serving(create_app(runtime, run_workers=False)) as crossdock_url,
            httpx.AsyncClient(base_url=crossdock_url) as http,
        ):
            refused = await http.post(f"/webhooks/{PARTNER}?token=guess", content=body)
            accepted = await http.post(f"/webhooks/{PARTNER}?token={TOKEN}", content=body)
            again = await http.post(f"/webhooks/{PARTNER}?token={TOKEN}", content=body)
        assert refused.status_code == 401
        assert accepted.status_code == 202
        assert again.json()["message_id"] == accepted.json()["message_id"]
        await runtime.worker().run_until_idle()
        posted = events.for_message(runtime.store, accepted.json()["message_id"])
        assert [envelope.type for envelope in posted] == ["crossdock.fulfillment.cancelled.v1"]
        assert posted[0].lanekey == f"picking:{picking['name']}"
        with runtime.store.engine.connect() as conn:
            status = conn.execute(
                select(entity_states.c.status).where(
                    entity_states.c.entity_key == f"picking:{picking['name']}"
                )
            ).scalar()
        assert status == "cancelled"
    await CLIENTS.aclose()
    runtime.store.dispose()
