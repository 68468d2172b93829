"""A running app with two partners and a way to mint identities with scopes and keys."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from crossdock.clock import FrozenClock
from crossdock.config import LoggingConfig, PartnerConfig
from crossdock.runtime import Runtime
from crossdock.security import api_keys, identities
from crossdock.security.settings import SecurityConfig
from crossdock.web.app import create_app
from support.factories import make_config, make_runtime, partner_secret
from support.server import serving

START = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
Mint = Callable[..., str]


@pytest.fixture
def sqlite_first(request: pytest.FixtureRequest, sqlite_url: str) -> str:
    """SQLite unless a test asks for PostgreSQL too (`indirect` parametrization): the scope
    boundaries do not depend on the engine, and a fresh PostgreSQL database per test is
    what makes these tests slow."""
    if getattr(request, "param", "sqlite") == "postgresql":
        return str(request.getfixturevalue("postgres_url"))
    return sqlite_url


BOTH_ENGINES = pytest.mark.parametrize("sqlite_first", ["sqlite", "postgresql"], indirect=True)


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(START)


@pytest.fixture
def runtime(sqlite_first: str, tmp_path: Path, clock: FrozenClock) -> Iterator[Runtime]:
    _, acme_ref = partner_secret(tmp_path, "acme")
    _, globex_ref = partner_secret(tmp_path, "globex")
    config = make_config(
        sqlite_first,
        [],
        partners=[
            PartnerConfig(id="acme", kind="generic", secrets=[acme_ref]),
            PartnerConfig(id="globex", kind="generic", secrets=[globex_ref]),
        ],
        logging=LoggingConfig(level="warning"),
        security=SecurityConfig(subscriptions_api=True),
    )
    built = make_runtime(config, clock)
    try:
        yield built
    finally:
        built.store.dispose()


@pytest.fixture
def mint(runtime: Runtime) -> Mint:
    """`mint("acme-svc", "webhooks:write:acme", ...)`: an identity with those scopes, and a
    fresh key for it (the full secret, as shown once)."""

    def make(
        name: str, *scopes: str, kind: str = "service", expires_in: timedelta | None = None
    ) -> str:
        now = runtime.clock.now()
        with runtime.store.transaction() as conn:
            if identities.get(conn, name) is None:
                identities.create(conn, name=name, kind=kind, now=now, actor="test")
            if scopes:
                identities.grant(conn, name, list(scopes), now=now, actor="test")
            return api_keys.create(conn, name, now=now, actor="test", expires_in=expires_in).secret

    return make


@pytest.fixture
async def client(runtime: Runtime) -> AsyncIterator[httpx.AsyncClient]:
    async with (
        serving(create_app(runtime, run_workers=False)) as base,
        httpx.AsyncClient(base_url=base, timeout=10) as http,
    ):
        yield http


def bearer(key: str) -> dict[str, str]:
    return {"authorization": f"Bearer {key}"}
