"""End to end over real HTTP, for each provider: the carrier sandbox posts a parcel's webhooks
(signed as that provider signs, one of them out of order) to Crossdock, whose workers apply
them to the Odoo sandbox's pickings (chatter history, delivered date, exception activity) and
push the status changes, signed with Standard Webhooks, to a subscribed endpoint."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from crossdock.config import PartnerConfig
from crossdock.connectors.odoo.partner import OdooPartnerSettings
from crossdock.connectors.odoo.pool import CLIENTS
from crossdock.runtime import Runtime
from crossdock.sandbox.carriers import generic
from crossdock.sandbox.carriers.providers import PROVIDERS
from crossdock.sandbox.carriers.scenario import build
from crossdock.sandbox.carriers.sender import send_scenario
from crossdock.sandbox.odoo.server import build_app
from crossdock.sandbox.tracking_burst import create_pickings
from crossdock.web.app import create_app
from tests.support.factories import make_config, make_runtime
from tests.support.notify_receiver import Receiver, secret_file
from tests.support.odoo import odoo_partner
from tests.support.server import serving

SECRETS = {
    "easypost": "whsec-easypost-e2e",
    "aftership": "aftership-e2e-secret",
    "shippo": "shippo-e2e-token",
    "generic": "whsec_" + "ZTJlLWdlbmVyaWMtY2Fycmllci1zZWNyZXQ=",
}
START = (datetime.now(UTC) - timedelta(days=2)).replace(second=0, microsecond=0)


def carrier_partner(provider: str, tmp_path: Path) -> PartnerConfig:
    path = tmp_path / f"{provider}.secret"
    path.write_text(SECRETS[provider] + "\n", encoding="utf-8")
    return PartnerConfig(
        id=f"{provider}-e2e",
        kind=PROVIDERS[provider].kind,
        secrets=[f"file:{path}"],
        settings=generic.SETTINGS if provider == "generic" else {},
    )


async def settle(runtime: Runtime) -> None:
    """Run jobs until the Odoo flush window has passed and nothing is left to do."""
    worker = runtime.worker()
    for _ in range(40):
        await worker.run_until_idle()
        if not runtime.queue.open_count():
            return
        await asyncio.sleep(0.2)
    raise AssertionError(f"jobs still open: {runtime.queue.counts()}")


@pytest.mark.parametrize("provider", sorted(PROVIDERS))
async def test_provider_webhooks_reach_odoo_and_subscribers(
    provider: str, db_url: str, tmp_path: Path
) -> None:
    receiver_secret, receiver_ref = secret_file(tmp_path)
    receiver = Receiver(receiver_secret)
    odoo = build_app(version=18)
    async with serving(odoo) as odoo_url, serving(receiver.app()) as hook_url:
        odoo_config = odoo_partner(odoo_url, tmp_path, [])
        odoo_config.settings["milestones"] = {"flush_window": "PT0.2S"}
        settings = OdooPartnerSettings.model_validate(odoo_config.settings).odoo
        done, stuck = await create_pickings(settings, 2, f"94001{len(provider):02d}E2E")
        delivered = build("delivered", str(done["carrier_tracking_ref"]), "usps", START)
        problem = build("exception", str(stuck["carrier_tracking_ref"]), "usps", START)
        config = make_config(
            db_url,
            [],
            partners=[carrier_partner(provider, tmp_path), odoo_config],
            notifications={
                "subscriptions": [
                    {
                        "name": "portal",
                        "url": f"{hook_url}/hook",
                        "event_types": ["crossdock.shipment.status_changed.v1"],
                        "filters": {"milestones": ["delivered", "exception"]},
                        "secret": receiver_ref,
                    }
                ]
            },
        )
        runtime = make_runtime(config)
        async with (
            serving(create_app(runtime, run_workers=False)) as url,
            httpx.AsyncClient() as http,
        ):
            answers = []
            for scenario, out_of_order in ((delivered, True), (problem, False)):
                answers += await send_scenario(
                    http,
                    PROVIDERS[provider],
                    url,
                    f"{provider}-e2e",
                    SECRETS[provider],
                    scenario,
                    out_of_order=out_of_order,
                )
            await settle(runtime)
        db = odoo.state.odoo
        pickings = {
            p["id"]: p
            for p in db.records(
                "stock.picking", [("id", "in", [done["id"], stuck["id"]])], ["x_delivered_date"]
            )
        }
        notes: dict[int, str] = {}
        for note in db.records(
            "mail.message", [("model", "=", "stock.picking")], ["res_id", "body"]
        ):
            notes[note["res_id"]] = notes.get(note["res_id"], "") + str(note["body"])
        activities = db.records(
            "mail.activity", [("res_model", "=", "stock.picking")], ["res_id", "summary"]
        )
        dead = runtime.queue.dead_jobs()
    await CLIENTS.aclose()
    runtime.store.dispose()

    assert {a.status_code for a in answers} == {202}
    assert dead == []
    delivered_at = delivered.last.at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")
    assert pickings[done["id"]]["x_delivered_date"] == delivered_at
    assert not pickings[stuck["id"]]["x_delivered_date"]
    assert notes[done["id"]].count("<li>") == len(delivered.steps), "the whole history, once"
    assert notes[stuck["id"]].count("<li>") == len(problem.steps)
    assert [(a["res_id"], a["summary"]) for a in activities] == [
        (stuck["id"], "Carrier exception: address")
    ]
    assert receiver.received, "the subscriber heard nothing"
    assert all(r.verified for r in receiver.received)
    heard: list[dict[str, Any]] = [r.event["data"] for r in receiver.received]
    assert sorted((d["tracking_number"], d["milestone"]) for d in heard) == sorted(
        [(delivered.tracking_number, "delivered"), (problem.tracking_number, "exception")]
    )
    assert {r.event["type"] for r in receiver.received} == {"crossdock.shipment.status_changed.v1"}
