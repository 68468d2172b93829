"""A carrier's real webhook, signed as the carrier signs, through intake, translation and the
status board: every history entry becomes one milestone event, a redelivery adds nothing."""

from __future__ import annotations

from pathlib import Path

import httpx
from sqlalchemy import select

from crossdock.config import PartnerConfig
from crossdock.connectors.carriers.easypost.signature import sign
from crossdock.store import events
from crossdock.store.schema import entity_states
from crossdock.web.app import create_app
from tests.support.factories import make_config, make_runtime
from tests.support.server import serving

FIXTURE = Path(__file__).parent / "fixtures/carrier_webhooks/easypost"
SECRET = "whsec-easypost-sécret"


async def test_easypost_webhook_becomes_milestones_once(db_url: str, tmp_path: Path) -> None:
    secret_file = tmp_path / "easypost.secret"
    secret_file.write_text(SECRET + "\n", encoding="utf-8")
    partner = PartnerConfig(id="easypost", kind="easypost", secrets=[f"file:{secret_file}"])
    runtime = make_runtime(make_config(db_url, [], partners=[partner]))
    body = (FIXTURE / "easypost-tracker_updated-fedex-fixture.json").read_bytes()
    async with (
        serving(create_app(runtime, run_workers=False)) as url,
        httpx.AsyncClient(base_url=url) as http,
    ):
        tampered = await http.post(
            "/webhooks/easypost",
            content=body + b" ",
            headers={"X-Hmac-Signature": sign(body, SECRET), "Content-Type": "application/json"},
        )
        first = await http.post(
            "/webhooks/easypost",
            content=body,
            headers={"X-Hmac-Signature": sign(body, SECRET), "Content-Type": "application/json"},
        )
        again = await http.post(
            "/webhooks/easypost",
            content=body,
            headers={"X-Hmac-Signature": sign(body, SECRET), "Content-Type": "application/json"},
        )
    assert tampered.status_code == 401
    assert tampered.headers["content-type"] == "application/problem+json"
    assert first.status_code == 202
    assert again.json()["message_id"] == first.json()["message_id"]
    await runtime.worker().run_until_idle()

    stored = events.for_message(runtime.store, first.json()["message_id"])
    recorded = [e for e in stored if e.type == "crossdock.shipment.milestone_recorded.v1"]
    changes = [e for e in stored if e.type == "crossdock.shipment.status_changed.v1"]
    assert len(recorded) == 7  # the fixture's tracking_details
    assert len(stored) == len(recorded) + len(changes)
    tracking = recorded[0].subject
    latest = max(recorded, key=lambda e: e.time)
    with runtime.store.engine.connect() as conn:
        board = conn.execute(
            select(entity_states.c.status, entity_states.c.events_applied).where(
                entity_states.c.entity_key == f"shipment:{tracking}"
            )
        ).one()
    assert board.status == latest.data["milestone"]
    assert board.events_applied == len(changes)  # the board follows status changes only
    assert runtime.queue.dead_jobs() == []
    runtime.store.dispose()
