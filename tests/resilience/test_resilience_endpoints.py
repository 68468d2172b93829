"""Real endpoints, real workers: a failing notification endpoint trips its breaker and its
deliveries wait without spending attempts, `/readyz` names it, intake pushes back per partner,
and `crossdock partners status` shows it all."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from crossdock.clock import FrozenClock
from crossdock.config import PartnerConfig, WorkerConfig
from crossdock.connectors.notify.client import CLIENTS
from crossdock.connectors.notify.fanout import DELIVER_JOB
from crossdock.connectors.notify.settings import NotificationsConfig, SubscriptionConfig
from crossdock.resilience.settings import ResilienceConfig
from crossdock.runtime import Runtime
from crossdock.sandbox import generic_partner as sim
from crossdock.store.schema import jobs
from crossdock.web.app import create_app
from tests.support.cli import invoke, table_cells, write_config
from tests.support.factories import make_config, make_runtime, partner_secret
from tests.support.notify_receiver import Receiver, milestone_event, real_time_clock, secret_file
from tests.support.server import serving

RESILIENCE = {
    "defaults": {"breaker": {"consecutive_failures": 2, "cool_down": "PT60S"}},
    "backpressure": {"acme": {"max_backlog": 3, "status": 429, "retry_after": "PT7S"}},
    "backlog_check_interval": "PT0S",
}


@pytest.fixture
async def closing_clients() -> AsyncIterator[None]:
    yield
    await CLIENTS.aclose()


def build(db_url: str, url: str, secret_ref: str, clock: FrozenClock, tmp_path: Path) -> Runtime:
    notifications = NotificationsConfig.model_validate(
        {
            "subscriptions": [
                SubscriptionConfig(
                    name="portal",
                    url=url + "/hook",
                    event_types=["crossdock.shipment.milestone_recorded.v1"],
                    secret=secret_ref,
                )
            ],
            "base_delay": timedelta(0),
            "max_delay": timedelta(0),
            "subscription_cache": timedelta(0),
            "max_attempts": 3,
            "failure_streak_to_disable": 1000,
        }
    )
    _secret, acme_ref = partner_secret(tmp_path, "acme")
    config = make_config(
        db_url,
        [acme_ref],
        partners=[PartnerConfig(id="acme", kind="generic", secrets=[acme_ref])],
        notifications=notifications,
        # One job at a time, so the calls made before the breaker opened are known.
        workers=WorkerConfig(concurrency=1),
        resilience=ResilienceConfig.model_validate(RESILIENCE),
    )
    return make_runtime(config, clock=clock)


def deliveries(runtime: Runtime) -> list[Any]:
    with runtime.store.engine.connect() as conn:
        query = select(jobs).where(jobs.c.job_type == DELIVER_JOB).order_by(jobs.c.id)
        return list(conn.execute(query))


@pytest.mark.usefixtures("closing_clients")
async def test_failing_endpoint_opens_its_breaker_and_its_deliveries_wait(
    db_url: str, tmp_path: Path
) -> None:
    secret, ref = secret_file(tmp_path)
    receiver = Receiver(secret)
    receiver.answers(500)
    clock = real_time_clock()
    async with serving(receiver.app()) as url:
        runtime = build(db_url, url, ref, clock, tmp_path)
        events = [milestone_event(tracking=f"1Z{i:03d}") for i in range(6)]
        for event in events:
            runtime.queue.enqueue(runtime.router.route(event, None), clock.now())
        await runtime.worker().run_until_idle()
        # Two failures in a row opened the breaker; no delivery was dead-lettered.
        assert len(receiver.received) == 2
        rows = deliveries(runtime)
        assert len(rows) == 6
        assert {row.status for row in rows} == {"queued"}
        # Two calls: the first failure counts, the second opened the breaker so it was the
        # endpoint's; the other deliveries were never attempted.
        assert sum(row.attempts for row in rows) == 2
        assert sum(row.endpoint_failures for row in rows) == 1
        resource = rows[0].resource
        assert resource.startswith("notify:")

        app = create_app(runtime, run_workers=False)
        async with serving(app) as base, httpx.AsyncClient(base_url=base) as http:
            ready = await http.get("/readyz")
        assert ready.status_code == 200, "intake is still ready while a partner is down"
        body = ready.json()
        assert body["status"] == "degraded"
        assert body["checks"]["partners"][resource]["state"] == "breaker open"
        assert body["checks"]["partners"][resource]["backlog"] == 6

        config_path = write_config(
            tmp_path / "crossdock.yaml",
            {"database": {"url": db_url}, "resilience": RESILIENCE, "logging": {"level": "error"}},
        )
        shown = invoke("partners", "status", "--config", str(config_path))
        assert shown.exit_code == 0, shown.output
        row = next(cells for cells in table_cells(shown.output) if cells[0] == resource)
        assert row[1].startswith("open until")
        assert row[2] == "2 in a row, 2/2"
        assert row[6] == "6"
        as_json = invoke("partners", "status", "--json", "--config", str(config_path))
        item = json.loads(as_json.output)
        assert item["resource"] == resource
        assert item["breaker"] == "open"

        # After the cool-down, one probe; the endpoint is back, so the backlog drains.
        receiver.answers(204)
        clock.advance(timedelta(seconds=61))
        await runtime.worker().run_until_idle()
        rows = deliveries(runtime)
        assert {row.status for row in rows} == {"done"}
        assert len(receiver.verified) == 2 + 6
        delivered = {r.event["id"] for r in receiver.verified if r.status == 204}
        assert delivered == {event.id for event in events}
        runtime.store.dispose()


async def test_backpressure_refuses_one_partner_only(db_url: str, tmp_path: Path) -> None:
    clock = real_time_clock()
    runtime = build(db_url, "http://127.0.0.1:9", "file:/nonexistent", clock, tmp_path)
    acme_secret = (tmp_path / "acme.secret").read_text().strip()
    app = create_app(runtime, run_workers=False)
    statuses = []
    async with serving(app) as base, httpx.AsyncClient(base_url=base) as http:
        for number in range(5):
            body = sim.encode(sim.order_confirmed(number, clock.now()))
            headers = sim.signed_headers(
                acme_secret, body, f"msg_bp_{number}", int(clock.now().timestamp())
            )
            response = await http.post("/webhooks/acme", content=body, headers=headers)
            statuses.append(response.status_code)
            last = response
    runtime.store.dispose()
    assert statuses == [202, 202, 202, 429, 429]
    assert last.headers["retry-after"] == "7"
    assert last.headers["content-type"] == "application/problem+json"
    problem = last.json()
    assert problem["type"] == "https://crossdock.dev/problems/backpressure"
    assert (problem["backlog"], problem["limit"]) == (3, 3)
