"""Tracking applied to the Odoo sandbox: history notes (late scans included), the delivered
date, an exception activity for the picking's responsible (once while open), and proof of
delivery attached as links; a late or post-delivery scan never moves Odoo backwards."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from crossdock.canonical.envelope import Envelope
from crossdock.clock import FrozenClock
from crossdock.connectors.odoo.partner import OdooPartnerSettings
from crossdock.connectors.odoo.pool import CLIENTS
from crossdock.runtime import Runtime
from crossdock.sandbox.odoo import READONLY_UID
from crossdock.sandbox.odoo.server import build_app
from crossdock.sandbox.tracking_burst import create_pickings
from tests.support.factories import make_config, make_runtime
from tests.support.odoo import PARTNER, odoo_partner
from tests.support.server import serving
from tests.support.tracking import scan

T0 = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
SIGNATURE = "https://carrier.example/pod/sig-123.png"
RESPONSIBLE = READONLY_UID  # someone other than the API user (admin) that runs the flows
PHOTO = "https://carrier.example/pod/photo-123.jpg"


def at(tracking: str, step: str, hours: float, **extra: Any) -> Envelope:
    return scan(tracking, step, T0, hours, **extra)


async def arrive(runtime: Runtime, clock: FrozenClock, *envelopes: Envelope) -> None:
    """Each event on its own, in this order, then past the flush window."""
    worker = runtime.worker()
    for envelope in envelopes:
        runtime.queue.enqueue(runtime.router.route(envelope, None), clock.now())
        await worker.run_until_idle()
    clock.advance(timedelta(seconds=1))
    await worker.run_until_idle()


async def test_tracking_reaches_pickings(db_url: str, tmp_path: Path) -> None:
    sandbox = build_app(version=18)
    odoo = sandbox.state.odoo
    clock = FrozenClock(T0 + timedelta(days=1))
    async with serving(sandbox) as url:
        partner = odoo_partner(url, tmp_path, [])
        partner.settings["milestones"] = {"flush_window": "PT0.5S"}
        runtime = make_runtime(make_config(db_url, [], partners=[partner]), clock=clock)
        settings = OdooPartnerSettings.model_validate(partner.settings).odoo
        done, stuck = await create_pickings(settings, 2, "1ZAPPLY")
        with odoo.transaction():
            odoo.env().write("stock.picking", [stuck["id"]], {"user_id": RESPONSIBLE})
        a, b = str(done["carrier_tracking_ref"]), str(stuck["carrier_tracking_ref"])

        await arrive(
            runtime,
            clock,
            at(a, "picked_up", 0),
            at(a, "out_for_delivery", 5),
            at(
                a,
                "delivered",
                6,
                proof_of_delivery={
                    "signed_by": "M. JANSSENS",
                    "signature_url": SIGNATURE,
                    "photo_urls": [PHOTO],
                },
            ),
            at(a, "in_transit", 3),  # late
            at(a, "exception", 7, exception_reason="damaged"),  # after delivery: held
            at(b, "in_transit", 0),
            at(b, "exception", 2, exception_reason="address"),
        )
        await arrive(runtime, clock, at(b, "exception", 4, exception_reason="address"))

        client = CLIENTS.get(PARTNER, settings)
        rpcs = dict(client.rpc_counts)
        pickings = {
            p["id"]: p
            for p in odoo.records(
                "stock.picking", [("id", "in", [done["id"], stuck["id"]])], ["x_delivered_date"]
            )
        }
        notes = odoo.records("mail.message", [("model", "=", "stock.picking")], ["res_id", "body"])
        activities = odoo.records(
            "mail.activity",
            [("res_model", "=", "stock.picking")],
            ["res_id", "summary", "user_id", "note"],
        )
        links = odoo.records(
            "ir.attachment", [("res_model", "=", "stock.picking")], ["res_id", "url", "type"]
        )
        dead = runtime.queue.dead_jobs()
    await CLIENTS.aclose()
    runtime.store.dispose()

    assert pickings[done["id"]]["x_delivered_date"] == "2026-11-20 14:00:00"
    assert not pickings[stuck["id"]]["x_delivered_date"]
    history = " ".join(str(n["body"]) for n in notes if n["res_id"] == done["id"])
    for words in ("picked up", "out for delivery", "delivered", "in transit", "exception"):
        assert f"<b>{words}</b>" in history, words
    assert "signed by M. JANSSENS" in history
    assert [(x["res_id"], x["summary"]) for x in activities] == [
        (stuck["id"], "Carrier exception: address")
    ], "one open activity, only for the parcel still in exception"
    assert activities[0]["user_id"][0] == RESPONSIBLE, "assigned to the picking's responsible"
    assert sorted((x["url"], x["type"]) for x in links if x["res_id"] == done["id"]) == [
        (PHOTO, "url"),
        (SIGNATURE, "url"),
    ]
    assert sum(rpcs.values()) <= 16, rpcs
    assert dead == []
