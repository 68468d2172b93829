"""Fixtures serving the Odoo sandbox over real HTTP, one fresh database per test.

One uvicorn server per version runs in a background thread for the session; each test gets a
newly seeded database behind it and its own HTTP client.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import httpx
import pytest

from tests.sandbox_odoo.odoo_sandbox_support import Sandbox, ThreadedSandbox


@pytest.fixture(scope="session")
def sandbox_servers() -> Iterator[dict[int, ThreadedSandbox]]:
    servers: dict[int, ThreadedSandbox] = {}
    yield servers
    for server in servers.values():
        server.stop()


async def _box(servers: dict[int, ThreadedSandbox], version: int) -> AsyncIterator[Sandbox]:
    if version not in servers:
        servers[version] = ThreadedSandbox(version)
    server = servers[version]
    database = server.fresh(version)
    async with httpx.AsyncClient(timeout=10) as http:
        yield Sandbox(server.url, http, database)


@pytest.fixture(params=[16, 18], ids=["odoo16", "odoo18"])
async def box(
    request: pytest.FixtureRequest, sandbox_servers: dict[int, ThreadedSandbox]
) -> AsyncIterator[Sandbox]:
    """A sandbox on 16 and on 18, the two JSON-RPC generations that differ most."""
    async for sandbox in _box(sandbox_servers, request.param):
        yield sandbox


@pytest.fixture
async def box16(sandbox_servers: dict[int, ThreadedSandbox]) -> AsyncIterator[Sandbox]:
    async for sandbox in _box(sandbox_servers, 16):
        yield sandbox


@pytest.fixture
async def box17(sandbox_servers: dict[int, ThreadedSandbox]) -> AsyncIterator[Sandbox]:
    async for sandbox in _box(sandbox_servers, 17):
        yield sandbox


@pytest.fixture
async def box18(sandbox_servers: dict[int, ThreadedSandbox]) -> AsyncIterator[Sandbox]:
    async for sandbox in _box(sandbox_servers, 18):
        yield sandbox


@pytest.fixture
async def box19(sandbox_servers: dict[int, ThreadedSandbox]) -> AsyncIterator[Sandbox]:
    async for sandbox in _box(sandbox_servers, 19):
        yield sandbox
