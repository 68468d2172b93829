"""Contract: the Odoo client against the Odoo sandbox over real HTTP, on 16 and 18 (JSON-RPC)
and 19 (JSON-2): authentication, reads, batched creates and writes, upserts, every error class.

The sandbox (crossdock.sandbox.odoo) follows Odoo's wire formats; these tests keep the client
and the simulator honest with each other. Each test serves a fresh, seeded sandbox with
uvicorn on a free 127.0.0.1 port.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from crossdock.connectors.odoo import (
    CoalescingWriter,
    OdooAccessDenied,
    OdooAccessError,
    OdooBadRequest,
    OdooClient,
    OdooConcurrencyError,
    OdooLockError,
    OdooMissingError,
    OdooPrivateMethod,
    OdooServerError,
    OdooSettings,
    OdooUnavailable,
    OdooUserError,
    OdooValidationError,
    make_http_client,
    upsert_by_external_id,
    upsert_by_field,
)
from crossdock.pipeline.retry import RetryPolicy
from crossdock.sandbox.odoo import (
    ADMIN_API_KEY,
    ADMIN_LOGIN,
    ADMIN_PASSWORD,
    BOT_API_KEY,
    BOT_LOGIN,
    BOT_PASSWORD,
    READONLY_API_KEY,
    READONLY_LOGIN,
    READONLY_PASSWORD,
    SANDBOX_DB,
)
from crossdock.sandbox.odoo.orm import OdooDatabase
from crossdock.sandbox.odoo.server import build_app
from tests.support.server import serving

USERS = {
    "admin": (ADMIN_LOGIN, ADMIN_PASSWORD, ADMIN_API_KEY),
    "bot": (BOT_LOGIN, BOT_PASSWORD, BOT_API_KEY),
    "readonly": (READONLY_LOGIN, READONLY_PASSWORD, READONLY_API_KEY),
    "intruder": ("intruder", "wrong", "0" * 40),
}
EXPECTED_PROTOCOL = {16: "jsonrpc", 18: "jsonrpc", 19: "json2"}


@dataclass
class Sandbox:
    version: int
    url: str
    odoo: OdooDatabase
    http: httpx.AsyncClient

    def client(self, user: str = "bot", **overrides: Any) -> OdooClient:
        login, password, key = USERS[user]
        secrets = {"env:ODOO_PASSWORD": password, "env:ODOO_API_KEY": key}
        settings = OdooSettings(
            url=self.url,
            database=SANDBOX_DB,
            login=login,
            password="env:ODOO_PASSWORD",
            api_key="env:ODOO_API_KEY",
            **overrides,
        )
        return OdooClient(settings, self.http, secret_resolver=secrets.__getitem__)


@pytest.fixture(params=[16, 18, 19], ids=lambda v: f"odoo{v}")
async def sandbox(request: pytest.FixtureRequest) -> AsyncIterator[Sandbox]:
    app = build_app(request.param)
    async with serving(app) as url:
        probe = OdooSettings(url=url, api_key="env:UNUSED")
        async with make_http_client(probe) as http:
            yield Sandbox(request.param, url, app.state.odoo, http)


async def test_detects_the_protocol_and_authenticates(sandbox: Sandbox) -> None:
    client = sandbox.client()
    partners = await client.search_read(
        "res.partner", [("is_company", "=", True)], ["name", "country_id"], limit=3, order="id"
    )
    assert client.protocol == EXPECTED_PROTOCOL[sandbox.version]
    assert (await client.server_version()).major == sandbox.version
    assert len(partners) == 3
    assert all(set(p) == {"id", "name", "country_id"} for p in partners)
    assert await client.search_count("res.partner", [("is_company", "=", True)]) >= 3
    first_auth = "common" if sandbox.version < 19 else "web"
    assert client.rpc_counts.of(first_auth) == 1


async def test_creates_many_records_in_one_rpc_and_reads_them_back(sandbox: Sandbox) -> None:
    client = sandbox.client()
    ids = await client.create(
        "res.partner", [{"name": f"Dock {i}", "ref": f"D{i}"} for i in range(5)]
    )
    assert len(ids) == 5 and len(set(ids)) == 5
    assert client.rpc_counts[("res.partner", "create")] == 1
    rows = await client.read("res.partner", ids, ["name", "ref"])
    assert [r["ref"] for r in rows] == [f"D{i}" for i in range(5)]


async def test_coalesced_writes_share_one_rpc(sandbox: Sandbox) -> None:
    client = sandbox.client()
    ids = await client.create("res.partner", [{"name": f"W{i}"} for i in range(4)])
    writer = CoalescingWriter(client, window_ms=5, max_items=100)
    waits = [
        writer.submit("res.partner", record_id, {"city": "Antwerp"}, lane=f"lane-{record_id}")
        for record_id in ids
    ]
    waits.append(writer.submit("res.partner", ids[0], {"ref": "FIRST"}, lane=f"lane-{ids[0]}"))
    await asyncio.gather(*waits)

    # five updates, two writes: the first record's two updates merge, the others group
    assert client.rpc_counts[("res.partner", "write")] == 2
    rows = await client.read("res.partner", ids, ["city", "ref"])
    assert {r["city"] for r in rows} == {"Antwerp"}
    assert rows[0]["ref"] == "FIRST"


async def test_posts_to_the_chatter(sandbox: Sandbox) -> None:
    client = sandbox.client()
    [order] = await client.search("sale.order", [], limit=1)
    message_id = await client.message_post("sale.order", order, "Picked up by the carrier")
    assert isinstance(message_id, int) and message_id > 0


async def test_load_upserts_by_external_id_for_a_bot_without_ir_model_data(
    sandbox: Sandbox,
) -> None:
    client = sandbox.client("bot")
    rows = [{"id": "cust-1", "name": "Quay One", "ref": "Q1"}, {"id": "cust-2", "name": "Quay Two"}]
    first = await upsert_by_external_id(client, "res.partner", "crossdock", rows)
    second = await upsert_by_external_id(
        client, "res.partner", "crossdock", [{"id": "cust-1", "name": "Quay One (renamed)"}]
    )
    assert second["cust-1"] == first["cust-1"]
    [record] = await client.read("res.partner", [first["cust-1"]], ["name", "ref"])
    assert record["name"] == "Quay One (renamed)" and record["ref"] == "Q1"


async def test_load_refusing_a_row_is_a_validation_error(sandbox: Sandbox) -> None:
    client = sandbox.client()
    with pytest.raises(OdooValidationError) as caught:
        await upsert_by_external_id(
            client,
            "res.partner",
            "crossdock",
            [{"id": "bad", "name": "Bad", "country_id/id": "crossdock.nowhere"}],
        )
    assert caught.value.arguments  # Odoo's messages, row by row
    assert await client.search_count("res.partner", [("name", "=", "Bad")]) == 0


async def test_upsert_by_field_creates_then_updates(sandbox: Sandbox) -> None:
    client = sandbox.client()
    rows = [{"ref": "U1", "name": "One"}, {"ref": "U2", "name": "Two"}]
    created = await upsert_by_field(client, "res.partner", "ref", rows)
    updated = await upsert_by_field(
        client, "res.partner", "ref", [{"ref": "U1", "name": "One!"}, {"ref": "U2", "name": "Two"}]
    )
    assert created == updated
    assert client.rpc_counts[("res.partner", "create")] == 1
    assert client.rpc_counts[("res.partner", "write")] == 1  # only U1 changed
    [one] = await client.read("res.partner", [created["U1"]], ["name"])
    assert one["name"] == "One!"


async def test_business_errors_are_permanent_and_typed(sandbox: Sandbox) -> None:
    client = sandbox.client()
    with pytest.raises(OdooValidationError, match="require a name") as validation:
        await client.create("res.partner", [{"name": False}])
    assert validation.value.name == "odoo.exceptions.ValidationError"
    assert "Traceback" in validation.value.debug

    [quant] = await client.search("stock.quant", [], limit=1)
    with pytest.raises(OdooUserError, match="restricted") as user_error:
        await client.write("stock.quant", [quant], {"quantity": 5})
    assert user_error.value.name == "odoo.exceptions.UserError"

    with pytest.raises(OdooMissingError):
        await client.write("res.partner", [9_999_999], {"name": "ghost"})

    with pytest.raises(OdooPrivateMethod):
        await client.call("res.partner", "_compute_display_name", ids=[1])


async def test_unknown_methods_are_permanent(sandbox: Sandbox) -> None:
    client = sandbox.client()
    expected = OdooBadRequest if sandbox.version >= 19 else OdooServerError
    with pytest.raises(expected):
        await client.call("res.partner", "no_such_method", ids=[1])


async def test_access_errors(sandbox: Sandbox) -> None:
    reader = sandbox.client("readonly")
    [partner] = await reader.search("res.partner", [], limit=1)
    with pytest.raises(OdooAccessError, match="not allowed to modify"):
        await reader.write("res.partner", [partner], {"name": "nope"})

    with pytest.raises(OdooAccessDenied):
        await sandbox.client("intruder").search("res.partner", [], limit=1)


TRANSIENT: list[tuple[str, type[Exception]]] = [
    ("serialization", OdooConcurrencyError),
    ("lock", OdooLockError),
    ("http503", OdooUnavailable),
    ("http429", OdooUnavailable),
]


async def test_transient_failures_are_retryable_and_then_succeed(sandbox: Sandbox) -> None:
    client = sandbox.client()
    [partner] = await client.search("res.partner", [], limit=1)
    for kind, cls in TRANSIENT:
        sandbox.odoo.fail_next(1, kind, "res.partner", "write")  # type: ignore[arg-type]
        with pytest.raises(cls) as caught:
            await client.write("res.partner", [partner], {"city": kind})
        assert not RetryPolicy().is_permanent(caught.value), kind
        if kind == "http429":
            assert caught.value.retry_after == 1.0  # type: ignore[attr-defined]
        assert await client.write("res.partner", [partner], {"city": kind}) is True
