"""Dashboard roles: identities log in with their API keys; a viewer reads (personal data
masked) but cannot replay; an operator replays; revoking the key ends the session."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest

from crossdock.security import api_keys, identities
from crossdock.store import audit
from crossdock.web.app import create_app
from support.logs import isolated_logging
from support.server import serving
from tests.browser.dashboard_support import Story, build_runtime, tell

ADMIN = "cli:test"


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


def key_for(story: Story, name: str, scopes: list[str]) -> api_keys.IssuedKey:
    now = story.clock.now()
    with story.runtime.store.engine.begin() as conn:
        identities.create(conn, name=name, kind="user", now=now, actor=ADMIN)
        if scopes:
            identities.grant(conn, name, scopes, now=now, actor=ADMIN)
        return api_keys.create(conn, name, now=now, actor=ADMIN)


async def login(http: httpx.AsyncClient, token: str) -> bool:
    answer = await http.post("/dashboard/login", data={"token": token, "next": "/"})
    return not answer.headers["location"].startswith("/dashboard/login")


def csrf_of(page: str) -> str:
    return page.split('name="csrf" value="')[1].split('"', maxsplit=1)[0]


async def test_a_viewer_reads_with_personal_data_masked_and_cannot_replay(
    served: tuple[Story, httpx.AsyncClient],
) -> None:
    story, http = served
    viewer = key_for(story, "bob", ["role:viewer"])
    assert await login(http, viewer.secret)
    overview = (await http.get("/")).text
    assert "bob" in overview
    assert "(viewer)" in overview

    message = (await http.get(f"/dashboard/messages/{story.leaky_message_id}")).text
    assert "Harbor Retail" not in message
    assert "1 Quay Road" not in message
    assert "[personal]" in message

    page = (await http.get("/dashboard/dead-letters")).text
    assert f'id="job-{story.dead_job_id}"' in page
    assert 'class="replay"' not in page
    assert 'id="read-only"' in page
    refused = await http.post(
        f"/dashboard/dead-letters/{story.dead_job_id}/replay", data={"csrf": csrf_of(page)}
    )
    assert refused.status_code == 403
    assert refused.headers["content-type"] == "application/problem+json"
    assert "dlq:replay" in refused.json()["detail"]
    job = story.runtime.queue.get(story.dead_job_id)
    assert job is not None
    assert job.status == "dead"


async def test_an_operator_identity_replays_and_its_revoked_key_ends_the_session(
    served: tuple[Story, httpx.AsyncClient],
) -> None:
    story, http = served
    operator = key_for(story, "olga", ["role:operator"])
    assert await login(http, operator.secret)
    page = (await http.get("/dashboard/dead-letters")).text
    assert 'class="replay"' in page
    replayed = await http.post(
        f"/dashboard/dead-letters/{story.dead_job_id}/replay", data={"csrf": csrf_of(page)}
    )
    assert replayed.status_code == 303
    assert replayed.headers["location"] == f"/dashboard/dead-letters?replayed={story.dead_job_id}"
    with story.runtime.store.engine.connect() as conn:
        (entry,) = audit.entries(conn, action="dlq.replay")
    assert entry.actor == "dashboard:olga"

    with story.runtime.store.engine.begin() as conn:
        api_keys.revoke(conn, operator.key_id, now=story.clock.now(), actor=ADMIN)
    after = await http.get("/dashboard/dead-letters")
    assert after.status_code == 303
    assert after.headers["location"].startswith("/dashboard/login")


async def test_keys_without_a_dashboard_role_and_forged_sessions_are_refused(
    served: tuple[Story, httpx.AsyncClient],
) -> None:
    story, http = served
    partner = key_for(story, "acme-bot", ["webhooks:write:acme"])
    assert not await login(http, partner.secret)
    assert not await login(http, "cdk_0123456789abcdef_not-a-real-secret")
    # A cookie naming a real key but signed with anything else is no session.
    viewer = key_for(story, "vera", ["role:viewer"])
    http.cookies.set("crossdock_session", f"key:{viewer.key_id}|9999999999|{'0' * 64}")
    forged = await http.get("/dashboard/dead-letters")
    assert forged.status_code == 303
    assert forged.headers["location"].startswith("/dashboard/login")
