"""The subscriptions API over real HTTP: bearer auth, problem+json validation, the life of a
subscription, config subscriptions upserted at start, and an API subscriber receiving events."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest

from crossdock.connectors.notify import directory
from crossdock.connectors.notify.client import CLIENTS
from crossdock.connectors.notify.service import SubscriptionService
from crossdock.connectors.notify.settings import NotificationsConfig, SubscriptionConfig
from crossdock.runtime import Runtime
from crossdock.web.app import create_app
from tests.support.factories import make_config, make_runtime
from tests.support.notify_receiver import Receiver, milestone_event, real_time_clock, secret_file
from tests.support.server import serving

TOKEN = "t0ken-for-the-portal-team"


@pytest.fixture
async def closing_clients() -> AsyncIterator[None]:
    yield
    await CLIENTS.aclose()


def build(db_url: str, tmp_path: Path, *configured: SubscriptionConfig) -> Runtime:
    token_file = tmp_path / "api.token"
    token_file.write_text(TOKEN + "\n", encoding="utf-8")
    notifications = NotificationsConfig(
        subscriptions=list(configured),
        api_tokens=[f"file:{token_file}"],
        base_delay=timedelta(0),
        max_delay=timedelta(0),
        subscription_cache=timedelta(0),
    )
    config = make_config(db_url, [], partners=[], notifications=notifications)
    return make_runtime(config, clock=real_time_clock())


AUTH = {"Authorization": f"Bearer {TOKEN}"}
NEW = {
    "name": "crm",
    "url": "https://crm.example.com/hooks/crossdock",
    "event_types": ["crossdock.shipment.*", "crossdock.order.confirmed.v1"],
    "filters": {"partners": ["easypost"], "milestones": ["delivered"]},
}


async def test_api_needs_a_valid_bearer_token(db_url: str, tmp_path: Path) -> None:
    runtime = build(db_url, tmp_path)
    async with (
        serving(create_app(runtime, run_workers=False)) as url,
        httpx.AsyncClient(base_url=url) as http,
    ):
        missing = await http.get("/api/v1/subscriptions")
        wrong = await http.get("/api/v1/subscriptions", headers={"Authorization": "Bearer nope"})
        right = await http.get("/api/v1/subscriptions", headers=AUTH)
    assert missing.status_code == 401
    assert missing.headers["content-type"] == "application/problem+json"
    assert missing.headers["www-authenticate"] == "Bearer"
    assert wrong.status_code == 403
    assert wrong.json()["type"].endswith("/forbidden")
    assert right.status_code == 200
    assert right.json() == {"subscriptions": []}


async def test_api_is_not_mounted_without_tokens(db_url: str) -> None:
    runtime = make_runtime(make_config(db_url, [], partners=[]))
    async with (
        serving(create_app(runtime, run_workers=False)) as url,
        httpx.AsyncClient(base_url=url) as http,
    ):
        answer = await http.get("/api/v1/subscriptions", headers=AUTH)
    assert answer.status_code == 404
    assert answer.headers["content-type"] == "application/problem+json"


async def test_invalid_bodies_answer_problems_naming_the_field(db_url: str, tmp_path: Path) -> None:
    runtime = build(db_url, tmp_path)
    async with (
        serving(create_app(runtime, run_workers=False)) as url,
        httpx.AsyncClient(base_url=url, headers=AUTH) as http,
    ):
        bad_url = await http.post("/api/v1/subscriptions", json={**NEW, "url": "ftp://x"})
        bad_type = await http.post(
            "/api/v1/subscriptions", json={**NEW, "event_types": ["shipment.created"]}
        )
        extra = await http.post("/api/v1/subscriptions", json={**NEW, "secret": "mine"})
        bad_patch = await http.patch("/api/v1/subscriptions/1", json={"status": "paused"})
        unknown = await http.get("/api/v1/subscriptions/999")
    for answer, field in (
        (bad_url, "body.url"),
        (bad_type, "body.event_types"),
        (extra, "body.secret"),
        (bad_patch, "body.status"),
    ):
        assert answer.status_code == 422, answer.text
        assert answer.headers["content-type"] == "application/problem+json"
        assert field in answer.json()["detail"]
    assert unknown.status_code == 404
    assert unknown.json()["type"].endswith("/unknown-subscription")


async def test_subscription_lifecycle(db_url: str, tmp_path: Path) -> None:
    runtime = build(db_url, tmp_path)
    async with (
        serving(create_app(runtime, run_workers=False)) as url,
        httpx.AsyncClient(base_url=url, headers=AUTH) as http,
    ):
        created = await http.post("/api/v1/subscriptions", json=NEW)
        again = await http.post("/api/v1/subscriptions", json=NEW)
        sub_id = created.json()["id"]
        listed = await http.get("/api/v1/subscriptions")
        shown = await http.get(f"/api/v1/subscriptions/{sub_id}")
        disabled = await http.patch(
            f"/api/v1/subscriptions/{sub_id}", json={"status": "disabled", "reason": "maintenance"}
        )
        enabled = await http.patch(f"/api/v1/subscriptions/{sub_id}", json={"status": "active"})
        log = await http.get(f"/api/v1/subscriptions/{sub_id}/deliveries?limit=5")
        deleted = await http.delete(f"/api/v1/subscriptions/{sub_id}")
        gone = await http.get(f"/api/v1/subscriptions/{sub_id}")
    assert created.status_code == 201
    body = created.json()
    assert body["secret"].startswith("whsec_")
    assert created.headers["location"] == f"/api/v1/subscriptions/{sub_id}"
    assert (body["name"], body["status"], body["source"]) == ("crm", "active", "api")
    assert body["filters"] == {
        "partners": ["easypost"],
        "customers": [],
        "milestones": ["delivered"],
    }
    assert again.status_code == 409
    assert [s["name"] for s in listed.json()["subscriptions"]] == ["crm"]
    assert "secret" not in shown.json()
    assert "secret" not in listed.json()["subscriptions"][0]
    assert disabled.json()["status"] == "disabled"
    assert disabled.json()["disabled_reason"] == "maintenance"
    assert (enabled.json()["status"], enabled.json()["disabled_reason"]) == ("active", None)
    assert log.json() == {"deliveries": []}
    assert deleted.status_code == 204
    assert gone.status_code == 404


async def test_config_subscriptions_are_upserted_at_start(db_url: str, tmp_path: Path) -> None:
    _secret, ref = secret_file(tmp_path)
    configured = SubscriptionConfig(
        name="portal",
        url="https://portal.example.com/hook",
        event_types=["crossdock.shipment.*"],
        filters={"customers": ["ACME"]},  # type: ignore[arg-type]
        secret=ref,
    )
    runtime = build(db_url, tmp_path, configured)
    async with (
        serving(create_app(runtime, run_workers=False)) as url,
        httpx.AsyncClient(base_url=url, headers=AUTH) as http,
    ):
        listed = (await http.get("/api/v1/subscriptions")).json()["subscriptions"]
        (portal,) = listed
        refused = await http.delete(f"/api/v1/subscriptions/{portal['id']}")
    assert (portal["name"], portal["source"], portal["url"]) == (
        "portal",
        "config",
        "https://portal.example.com/hook",
    )
    assert portal["filters"]["customers"] == ["ACME"]
    assert refused.status_code == 409

    # A second start (another process, a restart) with a changed URL and a removed entry.
    moved = configured.model_copy(update={"url": "https://portal.example.com/v2/hook"})
    other = configured.model_copy(update={"name": "old"})
    settings = runtime.config.notifications
    directory.sync_config(
        runtime.store,
        settings.model_copy(update={"subscriptions": [moved, other]}),
        runtime.clock.now(),
    )
    directory.sync_config(
        runtime.store, settings.model_copy(update={"subscriptions": [moved]}), runtime.clock.now()
    )
    service = SubscriptionService(runtime.store, settings, runtime.clock)
    subs = {sub.name: sub for sub in service.all()}
    assert subs["portal"].id == portal["id"]
    assert subs["portal"].url == "https://portal.example.com/v2/hook"
    assert subs["portal"].status == "active"
    assert (subs["old"].status, subs["old"].disabled_reason) == (
        "disabled",
        "removed from the config file",
    )
    runtime.store.dispose()


@pytest.mark.usefixtures("closing_clients")
async def test_api_subscriber_receives_events_signed_with_its_secret(
    db_url: str, tmp_path: Path
) -> None:
    runtime = build(db_url, tmp_path)
    async with (
        serving(create_app(runtime, run_workers=False)) as url,
        httpx.AsyncClient(base_url=url, headers=AUTH) as http,
    ):
        receiver = Receiver(secret="")
        async with serving(receiver.app()) as hook_url:
            created = await http.post(
                "/api/v1/subscriptions",
                json={
                    "name": "tracking-page",
                    "url": hook_url + "/hook",
                    "event_types": ["crossdock.shipment.milestone_recorded.v1"],
                    "filters": {"milestones": ["delivered"]},
                },
            )
            receiver.secret = created.json()["secret"]
            for event in (
                milestone_event(milestone="in_transit"),
                milestone_event(milestone="delivered", tracking="9Z"),
            ):
                runtime.queue.enqueue(runtime.router.route(event, None), runtime.clock.now())
            await runtime.worker().run_until_idle()
        log = await http.get(f"/api/v1/subscriptions/{created.json()['id']}/deliveries")
    (got,) = receiver.verified
    assert got.event["data"]["milestone"] == "delivered"
    (entry,) = log.json()["deliveries"]
    assert (entry["outcome"], entry["status_code"], entry["event_id"]) == (
        "delivered",
        204,
        got.event["id"],
    )
