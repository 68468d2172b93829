"""A runtime with a story to tell: an order through intake and translation, a dead letter,
a message carrying a credential, and an operator allowed in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

from crossdock.clock import FrozenClock
from crossdock.config import PartnerConfig
from crossdock.ids import new_id
from crossdock.observe.monitors.settings import MonitorsConfig
from crossdock.runtime import Runtime
from crossdock.sandbox import generic_partner as sim
from crossdock.store.jobs import JobSpec
from crossdock.web.dashboard.settings import DashboardConfig, OperatorConfig
from tests.observe import monitor_support as ms
from tests.support import dlq_plugin
from tests.support.factories import PARTNER, make_config, make_runtime, partner_secret

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
ORDER = "SO00001"
CREDENTIAL = "sk_live_do_not_show_4242"


@dataclass
class Story:
    runtime: Runtime
    clock: FrozenClock
    partner_secret: str
    operator_token: str
    dead_job_id: int = 0
    leaky_message_id: str = ""


def build_runtime(db_url: str, tmp_path: Path) -> Story:
    secret, ref = partner_secret(tmp_path)
    token_file = tmp_path / "operator.token"
    token = "op-" + new_id()
    token_file.write_text(token + "\n", encoding="utf-8")
    config = make_config(
        db_url,
        [ref],
        partners=[PartnerConfig(id=PARTNER, kind="generic", secrets=[ref])],
        plugins=[dlq_plugin.PLUGIN],
        dashboard=DashboardConfig(
            operators=[OperatorConfig(name="ops", token=f"file:{token_file}")],
            refresh_interval=timedelta(milliseconds=300),
        ),
        monitors=MonitorsConfig(enabled=True, order_not_released=timedelta(minutes=30)),
    )
    clock = FrozenClock(NOW)
    return Story(make_runtime(config, clock), clock, secret, token)


async def post(http: httpx.AsyncClient, story: Story, body: bytes) -> str:
    headers = sim.signed_headers(
        story.partner_secret, body, f"msg_{new_id()}", int(story.clock.now().timestamp())
    )
    response = await http.post(f"/webhooks/{PARTNER}", content=body, headers=headers)
    assert response.status_code in {202, 422}, response.text
    return str(response.json()["message_id"])


async def tell(story: Story, http: httpx.AsyncClient) -> None:
    """Through the real intake: the order, a shipment for it, and a message with a secret."""
    runtime = story.runtime
    runtime.schedule_startup_jobs()
    await post(http, story, sim.encode(sim.order_confirmed(1, story.clock.now())))
    shipment = sim.shipment_created(1, story.clock.now())
    await post(http, story, sim.encode(shipment))
    leaky = {
        **sim.order_confirmed(2, story.clock.now()),
        "credentials": {"api_key": CREDENTIAL, "password": CREDENTIAL},
    }
    story.leaky_message_id = await post(http, story, sim.encode(leaky))
    (story.dead_job_id,) = runtime.queue.enqueue(
        [
            JobSpec(
                dlq_plugin.NEEDS_FIX,
                f"needs-fix-{ORDER}",
                payload={"order": ORDER},
                partner=PARTNER,
                correlation_id=ORDER,
                lane_key=f"sale_order:{ORDER}",
            )
        ],
        story.clock.now(),
    )
    story.clock.advance(timedelta(minutes=1))
    await runtime.worker().run_until_idle()
    ms.record(runtime, ms.fulfillment_requested("WH/OUT/00001", ORDER, story.clock.now()))
