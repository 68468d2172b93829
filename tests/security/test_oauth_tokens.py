"""OAuth2 client credentials over real HTTP: a key buys a short-lived JWT for some or all of
its scopes; expiry (by the clock), a revoked key or a revoked scope end what it allows."""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from crossdock.clock import FrozenClock
from crossdock.runtime import Runtime
from crossdock.security import api_keys, identities
from crossdock.security.settings import SecurityConfig
from crossdock.web.app import create_app
from support.factories import make_config, make_runtime
from support.server import serving

NOW = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)
TOKEN_PATH = "/api/v1/oauth/token"


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(NOW)


@pytest.fixture
def runtime(sqlite_url: str, tmp_path: Path, clock: FrozenClock) -> Runtime:
    key_file = tmp_path / "jwt.key"
    key_file.write_text("a-long-random-signing-key-for-tests\n", encoding="utf-8")
    security = SecurityConfig(jwt_key=f"file:{key_file}", token_lifetime=timedelta(minutes=10))
    return make_runtime(make_config(sqlite_url, [], security=security), clock)


@pytest.fixture
async def client(runtime: Runtime) -> AsyncIterator[httpx.AsyncClient]:
    async with (
        serving(create_app(runtime, run_workers=False)) as base,
        httpx.AsyncClient(base_url=base) as http,
    ):
        yield http


def make_key(runtime: Runtime, *scopes: str) -> str:
    with runtime.store.transaction() as conn:
        identities.create(conn, name="svc", kind="service", now=NOW, actor="test")
        identities.grant(conn, "svc", list(scopes), now=NOW, actor="test")
        return api_keys.create(conn, "svc", now=NOW, actor="test").secret


async def token(client: httpx.AsyncClient, key: str, **form: str) -> httpx.Response:
    key_id = key.split("_")[1]
    data = {"grant_type": "client_credentials", "client_id": key_id, "client_secret": key, **form}
    return await client.post(TOKEN_PATH, data=data)


def bearer(value: str) -> dict[str, str]:
    return {"authorization": f"Bearer {value}"}


async def test_a_token_carries_the_scopes_asked_and_works_like_the_key(
    client: httpx.AsyncClient, runtime: Runtime
) -> None:
    key = make_key(runtime, "events:read", "dlq:read")
    answer = await token(client, key)
    assert answer.status_code == 200, answer.text
    assert answer.headers["cache-control"] == "no-store"
    issued = answer.json()
    assert (issued["token_type"], issued["expires_in"]) == ("Bearer", 600)
    assert issued["scope"] == "dlq:read events:read"
    assert (
        await client.get("/api/v1/events", headers=bearer(issued["access_token"]))
    ).status_code == 200
    refused = await client.get("/api/v1/messages", headers=bearer(issued["access_token"]))
    assert refused.status_code == 403

    basic = base64.b64encode(f"{key.split('_')[1]}:{key.split('_', 2)[2]}".encode()).decode()
    narrow = await client.post(
        TOKEN_PATH,
        data={"grant_type": "client_credentials", "scope": "events:read"},
        headers={"authorization": f"Basic {basic}"},
    )
    assert narrow.status_code == 200, narrow.text
    assert narrow.json()["scope"] == "events:read"
    only_events = bearer(narrow.json()["access_token"])
    assert (await client.get("/api/v1/dead-letters", headers=only_events)).status_code == 403


async def test_refused_clients_and_requests_get_oauth_error_codes(
    client: httpx.AsyncClient, runtime: Runtime
) -> None:
    key = make_key(runtime, "events:read")
    wrong = await token(client, key.rsplit("_", 1)[0] + "_" + "x" * 43)
    assert (wrong.status_code, wrong.json()["error"]) == (401, "invalid_client")
    grant = await token(client, key, grant_type="password")
    assert (grant.status_code, grant.json()["error"]) == (400, "unsupported_grant_type")
    unknown = await token(client, key, scope="everything")
    assert (unknown.status_code, unknown.json()["error"]) == (400, "invalid_scope")
    not_held = await token(client, key, scope="dlq:replay")
    assert (not_held.status_code, not_held.json()["error"]) == (400, "invalid_scope")
    assert "does not hold dlq:read, dlq:replay" in not_held.json()["detail"]


async def test_expiry_revoked_keys_and_scopes_and_forgeries_end_a_token(
    client: httpx.AsyncClient, runtime: Runtime, clock: FrozenClock
) -> None:
    key = make_key(runtime, "events:read", "dlq:read")
    first = (await token(client, key)).json()["access_token"]
    clock.advance(timedelta(minutes=10))
    expired = await client.get("/api/v1/events", headers=bearer(first))
    assert (expired.status_code, expired.json()["detail"]) == (401, "access token expired")

    second = (await token(client, key)).json()["access_token"]
    with runtime.store.transaction() as conn:
        identities.revoke(conn, "svc", ["dlq:read"], now=clock.now(), actor="test")
    assert (await client.get("/api/v1/events", headers=bearer(second))).status_code == 200
    assert (await client.get("/api/v1/dead-letters", headers=bearer(second))).status_code == 403

    header, payload, signature = second.split(".")
    forged = f"{header}.{payload}.{signature[:-4]}AAAA"
    assert (await client.get("/api/v1/events", headers=bearer(forged))).status_code == 401

    with runtime.store.transaction() as conn:
        api_keys.revoke(conn, key.split("_")[1], now=clock.now(), actor="test")
    gone = await client.get("/api/v1/events", headers=bearer(second))
    assert gone.status_code == 401
    assert "no longer valid" in gone.json()["detail"]
