"""`/metrics` over real HTTP, parsed by prometheus_client's text parser, on both engines."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from crossdock.clock import FrozenClock
from crossdock.ids import new_id
from crossdock.pipeline.translate import TRANSLATE_JOB
from crossdock.runtime import Runtime
from crossdock.sandbox import generic_partner as sim
from crossdock.store.jobs import JobSpec
from crossdock.web.app import create_app
from support.factories import PARTNER, make_config, make_runtime, partner_secret
from support.logs import isolated_logging
from support.server import serving
from tests.observe.metrics_scrape import scrape, value
from tests.observe.monitor_support import parcel

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _logging(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    with isolated_logging(monkeypatch):
        yield


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(NOW)


@pytest.fixture
def secret_and_runtime(
    db_url: str, tmp_path: Path, clock: FrozenClock
) -> Iterator[tuple[str, Runtime]]:
    secret, ref = partner_secret(tmp_path)
    runtime = make_runtime(make_config(db_url, [ref]), clock)
    try:
        yield secret, runtime
    finally:
        runtime.store.dispose()


@pytest.fixture
async def http(secret_and_runtime: tuple[str, Runtime]) -> AsyncIterator[httpx.AsyncClient]:
    _, runtime = secret_and_runtime
    async with (
        serving(create_app(runtime, run_workers=False)) as base_url,
        httpx.AsyncClient(base_url=base_url, timeout=30) as client,
    ):
        yield client


async def post_order(http: httpx.AsyncClient, secret: str, number: int) -> httpx.Response:
    body = sim.encode(sim.order_confirmed(number, NOW))
    headers = sim.signed_headers(secret, body, f"msg_{new_id()}", int(NOW.timestamp()))
    return await http.post(f"/webhooks/{PARTNER}", content=body, headers=headers)


async def test_metrics_follow_intake_backlog_jobs_and_dead_letters(
    http: httpx.AsyncClient, secret_and_runtime: tuple[str, Runtime], clock: FrozenClock
) -> None:
    secret, runtime = secret_and_runtime
    _, before = await scrape(http)
    for number in range(3):
        assert (await post_order(http, secret, number)).status_code == 202
    assert (await post_order(http, "whsec_" + "A" * 32, 9)).status_code == 401
    assert (await http.post("/webhooks/nobody-here", content=b"{}")).status_code == 404
    runtime.queue.enqueue([JobSpec("test.no_such_type", "orphan-1", partner=PARTNER)], NOW)
    parcel(runtime, "1Z0001", milestone="exception", milestone_at=NOW - timedelta(hours=2))
    parcel(runtime, "1Z0002", milestone="exception", milestone_at=NOW - timedelta(days=2))
    clock.advance(timedelta(seconds=90))

    names, backlog = await scrape(http)
    assert value(backlog, "crossdock_store_up") == 1
    accepted = {"partner": PARTNER, "outcome": "accepted"}
    assert (
        value(backlog, "crossdock_intake_requests_total", accepted)
        - value(before, "crossdock_intake_requests_total", accepted)
        == 3
    )
    rejected = {"partner": PARTNER, "outcome": "bad_signature"}
    assert (
        value(backlog, "crossdock_intake_requests_total", rejected)
        - value(before, "crossdock_intake_requests_total", rejected)
        == 1
    )
    # An unknown partner id is never a label value of its own.
    unknown = {"partner": "(unknown)", "outcome": "unknown_partner"}
    assert value(backlog, "crossdock_intake_requests_total", unknown) >= 1
    assert value(backlog, "crossdock_intake_requests_total", {"partner": "nobody-here"}) == 0
    assert (
        value(backlog, "crossdock_inbox_messages", {"partner": PARTNER, "status": "received"}) == 3
    )
    assert value(backlog, "crossdock_queue_jobs", {"job_type": TRANSLATE_JOB}) == 3
    oldest = "crossdock_queue_oldest_job_age_seconds"
    assert value(backlog, oldest, {"job_type": TRANSLATE_JOB, "partner": PARTNER}) == 90
    assert value(backlog, oldest, {"job_type": TRANSLATE_JOB, "lane_group": "(none)"}) == 90
    exceptions = "crossdock_carrier_exceptions_open"
    assert value(backlog, exceptions, {"age": "1h_to_4h"}) == 1
    assert value(backlog, exceptions, {"age": "over_24h"}) == 1
    assert value(backlog, exceptions, {"age": "under_1h"}) == 0
    # Odoo's RPC series are exposed by the same endpoint, even before the first call.
    assert {"crossdock_odoo_rpc", "crossdock_odoo_rpc_seconds"} <= names

    await runtime.worker().run_until_idle()
    _, after = await scrape(http)
    assert value(after, "crossdock_inbox_messages", {"status": "received"}) == 0
    assert value(after, "crossdock_queue_jobs", {"job_type": TRANSLATE_JOB}) == 0
    assert value(after, "crossdock_dead_letters", {"job_type": "test.no_such_type"}) == 1
    dead = {"job_type": "test.no_such_type"}
    assert (
        value(after, "crossdock_job_dead_letters_total", dead)
        - value(before, "crossdock_job_dead_letters_total", dead)
        == 1
    )
    done = {"job_type": TRANSLATE_JOB, "outcome": "done"}
    assert (
        value(after, "crossdock_job_run_seconds_count", done)
        - value(before, "crossdock_job_run_seconds_count", done)
        == 3
    )
    assert (
        value(after, "crossdock_job_attempts_count", done)
        - value(before, "crossdock_job_attempts_count", done)
        == 3
    )
    assert value(after, "crossdock_job_wait_seconds_count", {"job_type": TRANSLATE_JOB}) >= 3
