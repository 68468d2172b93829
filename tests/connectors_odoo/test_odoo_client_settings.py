"""Odoo settings: secrets by reference only, credentials that fit the protocol, httpx limits."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from pydantic import ValidationError

from crossdock.connectors.odoo.client import OdooClient, make_http_client
from crossdock.connectors.odoo.errors import OdooAccessDenied
from crossdock.connectors.odoo.settings import OdooSettings
from tests.connectors_odoo.odoo_fakes import FakeOdoo


def test_defaults_and_url_normalisation() -> None:
    s = OdooSettings(url="https://erp.example.com/", api_key="env:ODOO_KEY")
    assert s.url == "https://erp.example.com"
    assert s.protocol == "auto"
    assert s.write_coalesce_window == 50
    timeout = s.httpx_timeout()
    assert (timeout.connect, timeout.read, timeout.pool) == (5.0, 60.0, 120.0)
    assert s.httpx_limits().max_connections == 8


@pytest.mark.parametrize(
    "values",
    [
        {"url": "https://erp", "api_key": "plain-secret"},
        {"url": "https://erp", "login": "bot", "password": "hunter2"},
        {"url": "https://erp", "protocol": "json2", "login": "bot", "password": "env:P"},
        {"url": "https://erp", "protocol": "jsonrpc", "api_key": "env:K"},
        {"url": "https://erp"},
        {"url": "ftp://erp", "api_key": "env:K"},
        {"url": "https://erp", "api_key": "env:K", "timeouts": {"connect": 10, "total": 5}},
        {"url": "https://erp", "api_key": "env:K", "surprise": 1},
    ],
)
def test_invalid_settings_are_refused(values: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        OdooSettings.model_validate(values)


def test_jsonrpc_may_use_the_api_key_as_password() -> None:
    s = OdooSettings(
        url="https://erp", protocol="jsonrpc", database="prod", login="bot", api_key="env:K"
    )
    assert s.password is None


async def test_secrets_are_resolved_from_their_references(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    key_file = tmp_path / "odoo.key"
    key_file.write_text("key\n", encoding="utf-8")
    monkeypatch.setenv("ODOO_TEST_PASSWORD", "pw")
    odoo = FakeOdoo(version=19)
    odoo.on("res.partner", "search", lambda call: [1])
    for protocol, extra in (
        ("json2", {"api_key": f"file:{key_file}"}),
        ("jsonrpc", {"password": "env:ODOO_TEST_PASSWORD"}),
    ):
        settings = OdooSettings(
            url="http://odoo.test", database="db", login="bot", protocol=protocol, **extra
        )
        http = make_http_client(settings, transport=httpx.MockTransport(odoo.handle))
        async with http:
            assert await OdooClient(settings, http).search("res.partner", []) == [1]
    assert odoo.seen[0].headers["authorization"] == "bearer key"
    assert odoo.seen[1].body["params"]["args"][2] == "pw"


async def test_a_rotated_key_is_read_again_after_access_denied(tmp_path: Path) -> None:
    key_file = tmp_path / "odoo.key"
    key_file.write_text("old", encoding="utf-8")
    odoo = FakeOdoo(version=19)
    odoo.on("res.partner", "search", lambda call: [1])
    settings = OdooSettings(url="http://odoo.test", protocol="json2", api_key=f"file:{key_file}")
    client = OdooClient(settings, httpx.AsyncClient(transport=httpx.MockTransport(odoo.handle)))

    with pytest.raises(OdooAccessDenied):
        await client.search("res.partner", [])
    key_file.write_text("key", encoding="utf-8")
    assert await client.search("res.partner", []) == [1]
    assert await client.search("res.partner", []) == [1]
    assert [s.headers["authorization"] for s in odoo.seen] == [
        "bearer old",
        "bearer key",
        "bearer key",
    ]
