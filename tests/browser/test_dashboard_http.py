"""The dashboard over real HTTP without a browser: login, pages, redaction, CSRF, replay."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest

from crossdock.resilience.gate import PartnerGate
from crossdock.resilience.outcomes import CallResult, Outcome
from crossdock.store import audit
from crossdock.store.jobs import JobSpec
from crossdock.web.app import create_app
from crossdock.web.dashboard import overview as dashboard_overview
from support.logs import isolated_logging
from support.server import serving
from tests.browser.dashboard_support import CREDENTIAL, ORDER, Story, build_runtime, tell
from tests.support import dlq_plugin


@pytest.fixture(autouse=True)
def _logging(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    with isolated_logging(monkeypatch):
        yield


@pytest.fixture
async def served(db_url: str, tmp_path: Path) -> AsyncIterator[tuple[Story, httpx.AsyncClient]]:
    story = build_runtime(db_url, tmp_path)
    try:
        async with (
            serving(create_app(story.runtime, run_workers=False)) as base_url,
            httpx.AsyncClient(base_url=base_url, timeout=30) as http,
        ):
            await tell(story, http)
            yield story, http
    finally:
        story.runtime.store.dispose()


async def login(http: httpx.AsyncClient, token: str) -> httpx.Response:
    return await http.post("/dashboard/login", data={"token": token, "next": "/"})


async def test_pages_need_a_login_and_a_wrong_token_is_refused(
    served: tuple[Story, httpx.AsyncClient],
) -> None:
    story, http = served
    page = await http.get("/dashboard/search?q=SO00001")
    assert page.status_code == 303
    assert page.headers["location"] == "/dashboard/login?next=/dashboard/search%3Fq%3DSO00001"
    fragment = await http.get("/dashboard/fragments/overview")
    assert fragment.status_code == 401
    assert fragment.headers["content-type"] == "application/problem+json"
    refused = await login(http, "not-the-token")
    assert refused.headers["location"].startswith("/dashboard/login?failed=1")
    assert "crossdock_session" not in http.cookies
    accepted = await login(http, story.operator_token)
    assert accepted.status_code == 303
    session = http.cookies["crossdock_session"]
    assert session.startswith("ops|")
    assert story.operator_token not in session
    overview = await http.get("/")
    assert overview.status_code == 200
    assert story.operator_token not in overview.text
    assert "Partner health" in overview.text
    assert 'data-live="/dashboard/fragments/overview"' in overview.text
    assert "<svg" in overview.text
    # The charts count the jobs the story ran (all finished within the last hour).
    with story.runtime.store.engine.connect() as conn:
        data = dashboard_overview.read(
            conn, story.runtime.store.dialect, [("acme", "generic")], story.runtime.clock.now()
        )
    finished = sum(point.finished for point in data.series)
    assert finished == sum(done + dead for _, done, dead in data.volumes) > 0
    assert any(point.mean_latency_s is not None for point in data.series)


async def test_timeline_shows_messages_events_jobs_and_redacts_payloads(
    served: tuple[Story, httpx.AsyncClient],
) -> None:
    story, http = served
    await login(http, story.operator_token)
    page = (await http.get("/dashboard/search", params={"q": ORDER})).text
    assert "crossdock.order.confirmed.v1" in page
    assert "crossdock.fulfillment.requested.v1" in page
    assert "message received from acme" in page
    assert "flows.status_board" in page
    assert dlq_plugin.NEEDS_FIX in page
    assert "has no customer" in page
    # The shipment's tracking number finds the same order's parcel events.
    by_tracking = (await http.get("/dashboard/search", params={"q": "1Z0000000001"})).text
    assert "crossdock.shipment.created.v1" in by_tracking
    nothing = (await http.get("/dashboard/search", params={"q": "SO-NOPE"})).text
    assert "Nothing is recorded" in nothing

    message = await http.get(f"/dashboard/messages/{story.leaky_message_id}")
    assert message.status_code == 200
    assert CREDENTIAL not in message.text
    assert "[redacted]" in message.text
    missing = await http.get("/dashboard/messages/no-such-id")
    assert missing.status_code == 404


async def test_replay_from_the_dead_letter_page_is_checked_and_audited(
    served: tuple[Story, httpx.AsyncClient], monkeypatch: pytest.MonkeyPatch
) -> None:
    story, http = served
    await login(http, story.operator_token)
    page = (await http.get("/dashboard/dead-letters")).text
    assert f'id="job-{story.dead_job_id}"' in page
    forged = await http.post(
        f"/dashboard/dead-letters/{story.dead_job_id}/replay", data={"csrf": "forged"}
    )
    assert forged.status_code == 403
    csrf = page.split('name="csrf" value="')[1].split('"')[0]
    replayed = await http.post(
        f"/dashboard/dead-letters/{story.dead_job_id}/replay", data={"csrf": csrf}
    )
    assert replayed.status_code == 303
    assert replayed.headers["location"] == f"/dashboard/dead-letters?replayed={story.dead_job_id}"
    again = await http.post(
        f"/dashboard/dead-letters/{story.dead_job_id}/replay", data={"csrf": csrf}
    )
    assert "skipped=job%20is%20queued" in again.headers["location"]
    monkeypatch.setenv(dlq_plugin.FIXED_ENV, "1")
    await story.runtime.worker().run_until_idle()
    job = story.runtime.queue.get(story.dead_job_id)
    assert job is not None
    assert job.status == "done"
    with story.runtime.store.engine.connect() as conn:
        (entry,) = audit.entries(conn, action="dlq.replay")
    assert (entry.actor, entry.target) == ("dashboard:ops", f"job:{story.dead_job_id}")

    # Replay all shown: only what the filter shows (the failed translation stays dead).
    story.runtime.queue.enqueue(
        [JobSpec(dlq_plugin.NEEDS_FIX, f"again-{n}", partner="acme") for n in range(3)],
        story.runtime.clock.now(),
    )
    monkeypatch.setenv(dlq_plugin.FIXED_ENV, "0")
    await story.runtime.worker().run_until_idle()
    filtered = (
        await http.get("/dashboard/dead-letters", params={"job_type": dlq_plugin.NEEDS_FIX})
    ).text
    assert "Replay all 3 shown" in filtered
    forged_all = await http.post(
        "/dashboard/dead-letters/replay", data={"csrf": "x", "job_type": dlq_plugin.NEEDS_FIX}
    )
    assert forged_all.status_code == 403
    replayed_all = await http.post(
        "/dashboard/dead-letters/replay", data={"csrf": csrf, "job_type": dlq_plugin.NEEDS_FIX}
    )
    assert replayed_all.headers["location"] == "/dashboard/dead-letters?replayed_count=3"
    still_dead = story.runtime.queue.dead_jobs()
    assert [job.job_type for job in still_dead] == ["pipeline.translate"]
    with story.runtime.store.engine.connect() as conn:
        assert len(audit.entries(conn, action="dlq.replay")) == 4


async def test_a_partners_open_breaker_shows_on_the_overview_and_in_metrics(
    served: tuple[Story, httpx.AsyncClient],
) -> None:
    story, http = served
    runtime = story.runtime
    gate = PartnerGate(runtime.config.resilience, runtime.store.dialect)
    failure = CallResult(Outcome.FAILURE, "ConnectError: refused")
    with runtime.store.engine.begin() as conn:
        for _ in range(runtime.config.resilience.defaults.breaker.consecutive_failures):
            reopens = gate.failed(conn, "carrier:acme", failure, runtime.clock.now())
    assert reopens is not None
    await login(http, story.operator_token)
    overview = (await http.get("/dashboard/fragments/overview")).text
    assert f"open until {reopens:%H:%M:%S}" in overview
    scraped = (await http.get("/metrics")).text
    assert 'crossdock_partner_breaker_state{resource="carrier:acme"} 2.0' in scraped
    assert 'crossdock_partner_degraded{resource="carrier:acme"} 1.0' in scraped
