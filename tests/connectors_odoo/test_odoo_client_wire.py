"""The bytes the Odoo client sends on JSON-RPC and JSON-2, protocol detection, and counting."""

from __future__ import annotations

import pytest

from crossdock.connectors.odoo.errors import OdooAccessDenied, OdooPrivateMethod, OdooUsageError
from crossdock.connectors.odoo.metrics import RPC_TOTAL
from tests.connectors_odoo.odoo_fakes import Call, FakeOdoo


def partners(call: Call) -> list[dict[str, object]]:
    return [{"id": 7, "name": "Harbor Retail"}]


async def test_jsonrpc_authenticates_once_then_calls_execute_kw() -> None:
    odoo = FakeOdoo(version=17)
    odoo.on("res.partner", "search_read", partners)
    client = odoo.client(protocol="jsonrpc")

    rows = await client.search_read(
        "res.partner", [("is_company", "=", True)], ["name"], limit=5, context={"lang": "en_US"}
    )
    await client.search_read("res.partner", [], ["name"])

    assert rows == [{"id": 7, "name": "Harbor Retail"}]
    assert odoo.paths() == ["/jsonrpc", "/jsonrpc", "/jsonrpc"]
    auth, first = odoo.seen[0].body, odoo.seen[1].body
    assert auth["jsonrpc"] == "2.0" and auth["method"] == "call"
    assert auth["params"] == {
        "service": "common",
        "method": "authenticate",
        "args": ["db", "bot", "pw", {}],
    }
    assert first["params"]["service"] == "object"
    assert first["params"]["method"] == "execute_kw"
    assert first["params"]["args"] == [
        "db",
        2,
        "pw",
        "res.partner",
        "search_read",
        [[["is_company", "=", True]]],  # the domain is positional: 16.0 names it `args`
        {
            "fields": ["name"],
            "limit": 5,
            "context": {"lang": "en_US"},
        },
    ]
    assert "authorization" not in odoo.seen[1].headers


async def test_jsonrpc_puts_ids_first_and_create_values_positionally() -> None:
    odoo = FakeOdoo(version=16)
    odoo.on("res.partner", "write", lambda call: True)
    odoo.on("res.partner", "create", lambda call: [11, 12])
    client = odoo.client(protocol="jsonrpc")

    assert await client.write("res.partner", [3, 4], {"ref": "X"}) is True
    assert await client.create("res.partner", [{"name": "A"}, {"name": "B"}]) == [11, 12]

    write_args = odoo.seen[1].body["params"]["args"]
    assert write_args[5:] == [[[3, 4]], {"vals": {"ref": "X"}}]
    create_args = odoo.seen[2].body["params"]["args"]
    # odoo/api.py reads args[0] to tell one record from many: values must be positional
    assert create_args[5:] == [[[{"name": "A"}, {"name": "B"}]], {}]


async def test_json2_sends_named_parameters_with_bearer_key_and_database() -> None:
    odoo = FakeOdoo(version=19)
    odoo.on("res.partner", "read", partners)
    odoo.on("res.partner", "create", lambda call: [11])
    client = odoo.client(protocol="json2")

    await client.read("res.partner", [7], ["name"], context={"lang": "fr_FR"})
    await client.create("res.partner", [{"name": "A"}])

    assert odoo.paths() == ["/json/2/res.partner/read", "/json/2/res.partner/create"]
    read = odoo.seen[0]
    assert read.headers["authorization"] == "bearer key"
    assert read.headers["x-odoo-database"] == "db"
    assert read.headers["content-type"] == "application/json"
    assert read.headers["user-agent"] == "crossdock-odoo/0.1"
    assert read.body == {"fields": ["name"], "ids": [7], "context": {"lang": "fr_FR"}}
    assert odoo.seen[1].body == {"vals_list": [{"name": "A"}]}


async def test_json2_omits_the_database_header_when_none_is_configured() -> None:
    odoo = FakeOdoo(version=19)
    odoo.on("res.partner", "search_count", lambda call: 3)
    client = odoo.client(protocol="json2", database=None, login=None, password=None)

    assert await client.search_count("res.partner", [("active", "=", True)]) == 3
    assert "x-odoo-database" not in odoo.seen[0].headers


@pytest.mark.parametrize(
    ("version", "api_key", "expected"),
    [
        (16, "env:ODOO_API_KEY", "jsonrpc"),
        (18, "env:ODOO_API_KEY", "jsonrpc"),
        (19, "env:ODOO_API_KEY", "json2"),
        (19, None, "jsonrpc"),
    ],
)
async def test_auto_detection_asks_version_info_once(
    version: int, api_key: str | None, expected: str
) -> None:
    odoo = FakeOdoo(version=version)
    odoo.on("res.partner", "search", lambda call: [1, 2])
    client = odoo.client(api_key=api_key)

    assert client.protocol is None
    assert await client.search("res.partner", []) == [1, 2]
    assert await client.search("res.partner", [], limit=1) == [1, 2]

    assert client.protocol == expected
    assert odoo.paths().count("/web/webclient/version_info") == 1
    version_call = odoo.seen[0]
    assert version_call.path == "/web/webclient/version_info"
    assert version_call.body["params"] == {}
    assert (await client.server_version()).major == version


async def test_auto_detection_refuses_old_odoo_without_login() -> None:
    odoo = FakeOdoo(version=17)
    client = odoo.client(login=None, password=None)
    with pytest.raises(OdooUsageError, match="no JSON-2 API"):
        await client.search("res.partner", [])


async def test_refused_login_is_access_denied_and_retried_next_time() -> None:
    odoo = FakeOdoo(version=17)
    odoo.on("res.partner", "search", lambda call: [])
    client = odoo.client(protocol="jsonrpc", login="intruder")
    with pytest.raises(OdooAccessDenied, match="intruder"):
        await client.search("res.partner", [])
    with pytest.raises(OdooAccessDenied):
        await client.search("res.partner", [])
    assert odoo.paths() == ["/jsonrpc", "/jsonrpc"]  # authenticate again, never execute_kw


@pytest.mark.parametrize("protocol", ["jsonrpc", "json2"])
async def test_private_methods_are_refused_before_sending(protocol: str) -> None:
    odoo = FakeOdoo(version=19)
    client = odoo.client(protocol=protocol)
    with pytest.raises(OdooPrivateMethod, match="private"):
        await client.call("res.partner", "_compute_display_name", ids=[1])
    with pytest.raises(OdooPrivateMethod):
        await client.call_button("stock.picking", "__init__", [1])
    assert odoo.seen == []


async def test_misuse_is_refused_before_sending() -> None:
    odoo = FakeOdoo(version=19)
    client = odoo.client(protocol="json2")
    with pytest.raises(OdooUsageError, match="fields"):
        await client.search_read("res.partner", [], [])
    with pytest.raises(OdooUsageError, match="list of values"):
        await client.create("res.partner", {"name": "A"})  # type: ignore[arg-type]
    with pytest.raises(OdooUsageError, match="named parameters"):
        await client.call("res.partner", "read", ids=[1], args=[["name"]])
    assert odoo.seen == []
    assert await client.create("res.partner", []) == []
    assert await client.write("res.partner", [], {"name": "x"}) is True
    assert odoo.seen == []


async def test_message_post_and_buttons_on_both_protocols() -> None:
    for version, protocol, posted in ((17, "jsonrpc", 41), (19, "json2", [41])):
        odoo = FakeOdoo(version=version)
        odoo.on("sale.order", "message_post", lambda call, posted=posted: posted)
        odoo.on("sale.order", "action_confirm", lambda call: True)
        client = odoo.client(protocol=protocol)

        assert await client.message_post("sale.order", 5, "Shipped", subject="WMS") == 41
        assert await client.call_button("sale.order", "action_confirm", [5]) is True
        post, button = odoo.calls
        assert post.ids == [5] and post.kwargs["body"] == "Shipped"
        assert post.kwargs["subtype_xmlid"] == "mail.mt_note"
        assert button.ids == [5] and button.method == "action_confirm"


async def test_load_reports_ids_and_messages() -> None:
    odoo = FakeOdoo(version=18)
    odoo.on("product.product", "load", lambda call: {"ids": [5, 6], "messages": []})
    client = odoo.client(protocol="jsonrpc")
    result = await client.load("product.product", ["id", "name"], [["x.a", "A"], ["x.b", "B"]])
    assert result.ids == [5, 6] and result.errors == []
    assert odoo.calls[0].kwargs == {
        "fields": ["id", "name"],
        "data": [["x.a", "A"], ["x.b", "B"]],
    }


async def test_every_rpc_is_counted_per_model_and_method() -> None:
    odoo = FakeOdoo(version=19)
    odoo.on("res.partner", "search", lambda call: [1])
    odoo.on("res.partner", "write", lambda call: True)
    client = odoo.client()
    before = RPC_TOTAL.labels(model="res.partner", method="search", outcome="ok")._value.get()

    await client.search("res.partner", [])
    await client.search("res.partner", [])
    await client.write("res.partner", [1], {"name": "x"})

    counts = client.rpc_counts
    assert counts[("web", "version_info")] == 1
    assert counts[("res.partner", "search")] == 2
    assert counts.of("res.partner") == 3
    assert counts.total() == 4
    after = RPC_TOTAL.labels(model="res.partner", method="search", outcome="ok")._value.get()
    assert after - before == 2
