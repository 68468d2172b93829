"""Scope boundaries over real HTTP: a partner posts only as itself and reads only its own
messages, a viewer cannot replay, revoked and expired keys are refused, a rotated key
overlaps and then stops by the clock."""

from __future__ import annotations

from datetime import timedelta

import httpx
import orjson
from sqlalchemy import update

from crossdock.clock import FrozenClock
from crossdock.runtime import Runtime
from crossdock.security import api_keys
from crossdock.store import audit
from crossdock.store.jobs import JobSpec
from crossdock.store.schema import jobs
from tests.security.conftest import BOTH_ENGINES, Mint, bearer

ORDER = {
    "type": "crossdock.order.confirmed.v1",
    "subject": "SO00042",
    "time": "2026-12-01T08:00:00+00:00",
    "data": {},
}


async def post_as(
    client: httpx.AsyncClient, key: str, partner: str, **headers: str
) -> httpx.Response:
    return await client.post(
        f"/api/v1/intake/{partner}",
        content=orjson.dumps(ORDER),
        headers={**bearer(key), "content-type": "application/json", **headers},
    )


async def test_a_partner_posts_only_as_itself(client: httpx.AsyncClient, mint: Mint) -> None:
    acme = mint("acme-svc", "webhooks:write:acme", kind="partner")
    accepted = await post_as(client, acme, "acme", **{"idempotency-key": "order-42"})
    assert accepted.status_code == 202, accepted.text
    again = await post_as(client, acme, "acme", **{"idempotency-key": "order-42"})
    assert again.json()["message_id"] == accepted.json()["message_id"]
    assert again.headers["crossdock-duplicate"] == "true"

    refused = await post_as(client, acme, "globex")
    assert refused.status_code == 403
    assert refused.headers["content-type"] == "application/problem+json"
    assert "webhooks:write:globex" in refused.json()["detail"]


@BOTH_ENGINES
async def test_a_partner_reads_only_its_own_messages(client: httpx.AsyncClient, mint: Mint) -> None:
    acme = mint("acme-svc", "webhooks:write:acme", "messages:read:acme", kind="partner")
    globex = mint("globex-svc", "webhooks:write:globex", "messages:read:globex", kind="partner")
    mine = (await post_as(client, acme, "acme")).json()["message_id"]
    theirs = (await post_as(client, globex, "globex")).json()["message_id"]

    listed = await client.get("/api/v1/messages", headers=bearer(acme))
    assert listed.status_code == 200
    assert [m["id"] for m in listed.json()["messages"]] == [mine]
    assert (await client.get(f"/api/v1/messages/{mine}", headers=bearer(acme))).status_code == 200

    other = await client.get(f"/api/v1/messages/{theirs}", headers=bearer(acme))
    assert other.status_code == 404, "another partner's message looks like no message at all"
    filtered = await client.get("/api/v1/messages?partner=globex", headers=bearer(acme))
    assert filtered.status_code == 403

    viewer = mint("ops-viewer", "role:viewer", kind="user")
    everyone = await client.get("/api/v1/messages", headers=bearer(viewer))
    assert {m["id"] for m in everyone.json()["messages"]} == {mine, theirs}


async def test_a_new_identity_can_do_nothing(client: httpx.AsyncClient, mint: Mint) -> None:
    nobody = mint("fresh")
    for method, path in [
        ("GET", "/api/v1/messages"),
        ("GET", "/api/v1/events"),
        ("GET", "/api/v1/dead-letters"),
        ("POST", "/api/v1/intake/acme"),
    ]:
        answer = await client.request(method, path, headers=bearer(nobody), content=b"{}")
        assert answer.status_code == 403, (method, path)
    assert (await client.get("/api/v1/messages")).status_code == 401


def dead_job(runtime: Runtime) -> int:
    now = runtime.clock.now()
    (job_id,) = runtime.queue.enqueue(
        [JobSpec(job_type="flows.status_board", idempotency_key="dead-1", payload={})], now
    )
    with runtime.store.transaction() as conn:
        conn.execute(update(jobs).where(jobs.c.id == job_id).values(status="dead", finished_at=now))
    return job_id


@BOTH_ENGINES
async def test_a_viewer_cannot_replay_an_operator_can_and_is_audited(
    client: httpx.AsyncClient, mint: Mint, runtime: Runtime
) -> None:
    job_id = dead_job(runtime)
    viewer = mint("viewer", "role:viewer", kind="user")
    operator = mint("operator", "role:operator", kind="user")

    listed = await client.get("/api/v1/dead-letters", headers=bearer(viewer))
    assert [d["id"] for d in listed.json()["dead_letters"]] == [job_id]
    refused = await client.post(
        "/api/v1/dead-letters/replay", json={"job_ids": [job_id]}, headers=bearer(viewer)
    )
    assert refused.status_code == 403
    assert "dlq:replay" in refused.json()["detail"]

    done = await client.post(
        "/api/v1/dead-letters/replay", json={"job_ids": [job_id, 999]}, headers=bearer(operator)
    )
    assert done.status_code == 200
    assert done.json() == {"replayed": [job_id], "skipped": {"999": "no such job"}}
    with runtime.store.engine.connect() as conn:
        (entry,) = audit.entries(conn, action="dlq.replay")
    assert entry.actor.startswith("identity:operator[")


async def test_revoked_and_expired_keys_are_refused(
    client: httpx.AsyncClient, mint: Mint, runtime: Runtime, clock: FrozenClock
) -> None:
    revoked = mint("svc", "events:read")
    short = mint("svc", expires_in=timedelta(hours=1))
    assert (await client.get("/api/v1/events", headers=bearer(revoked))).status_code == 200
    key_id = revoked.split("_")[1]
    with runtime.store.transaction() as conn:
        api_keys.revoke(conn, key_id, now=clock.now(), actor="test")
    answer = await client.get("/api/v1/events", headers=bearer(revoked))
    assert answer.status_code == 401
    assert "revoked" in answer.json()["detail"]

    assert (await client.get("/api/v1/events", headers=bearer(short))).status_code == 200
    clock.advance(timedelta(hours=1))
    answer = await client.get("/api/v1/events", headers=bearer(short))
    assert answer.status_code == 401
    assert "expired" in answer.json()["detail"]

    wrong_secret = short.rsplit("_", 1)[0] + "_" + "x" * 43
    answer = await client.get("/api/v1/events", headers=bearer(wrong_secret))
    assert (answer.status_code, answer.json()["detail"]) == (401, "unknown API key")


async def test_a_rotated_key_overlaps_then_stops(
    client: httpx.AsyncClient, mint: Mint, runtime: Runtime, clock: FrozenClock
) -> None:
    old = mint("svc", "events:read")
    with runtime.store.transaction() as conn:
        new = api_keys.rotate(
            conn, old.split("_")[1], now=clock.now(), actor="test", overlap=timedelta(hours=2)
        ).secret
    for key in (old, new):
        assert (await client.get("/api/v1/events", headers=bearer(key))).status_code == 200
    clock.advance(timedelta(hours=2))
    assert (await client.get("/api/v1/events", headers=bearer(old))).status_code == 401
    assert (await client.get("/api/v1/events", headers=bearer(new))).status_code == 200
    with runtime.store.engine.connect() as conn:
        actions = [entry.action for entry in audit.entries(conn)]
    assert actions.count("key.created") == 2
    assert "key.rotated" in actions


async def test_subscriptions_api_takes_identity_keys_with_config_scopes(
    client: httpx.AsyncClient, mint: Mint
) -> None:
    viewer = mint("viewer", "role:viewer", kind="user")
    writer = mint("config-bot", "config:write")
    new = {
        "name": "ops",
        "url": "https://example.invalid/hook",
        "event_types": ["crossdock.order.*"],
    }
    assert (await client.get("/api/v1/subscriptions", headers=bearer(viewer))).status_code == 200
    refused = await client.post("/api/v1/subscriptions", json=new, headers=bearer(viewer))
    assert refused.status_code == 403
    created = await client.post("/api/v1/subscriptions", json=new, headers=bearer(writer))
    assert created.status_code == 201, created.text
    assert (await client.get("/api/v1/subscriptions")).status_code == 401


async def test_the_audit_trail_is_read_with_audit_read_and_paged_by_seq(
    client: httpx.AsyncClient, mint: Mint
) -> None:
    viewer = mint("viewer", "role:viewer", kind="user")
    auditor = mint("auditor", "audit:read", kind="service")
    refused = await client.get("/api/v1/audit", headers=bearer(viewer))
    assert refused.status_code == 403
    first = await client.get("/api/v1/audit?limit=2", headers=bearer(auditor))
    assert first.status_code == 200
    page = first.json()["entries"]
    assert [e["action"] for e in page] == ["identity.created", "identity.granted"]
    rest = await client.get(f"/api/v1/audit?after_seq={page[-1]['seq']}", headers=bearer(auditor))
    actions = [e["action"] for e in rest.json()["entries"]]
    assert actions[0] == "key.created" and "identity.created" in actions
    keys = await client.get("/api/v1/audit?action=key.created", headers=bearer(auditor))
    assert {e["action"] for e in keys.json()["entries"]} == {"key.created"}
