"""The REST WMS client over real HTTP against the sandbox WMS: API key and OAuth2 client
credentials, idempotent releases, errors sorted into retryable and permanent."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from crossdock.connectors.wms.rest.client import WmsClient, WmsRefused, WmsUnavailable
from crossdock.connectors.wms.rest.settings import RestWmsSettings
from crossdock.flows.outbound.gateway import CancelOutcome
from crossdock.sandbox.wms.server import build_app
from crossdock.sandbox.wms.settings import partner_settings
from crossdock.sandbox.wms.warehouse import Warehouse
from tests.support.server import serving

BODY = {"order_ref": "WH/OUT/1", "lines": [{"line_ref": "1", "item": "WMS-0001", "qty": 1}]}


def secret(tmp_path: Path, name: str, value: str) -> str:
    path = tmp_path / name
    path.write_text(value + "\n", encoding="utf-8")
    return f"file:{path}"


async def test_api_key_release_is_idempotent_and_cancel_says_when_too_late(
    tmp_path: Path,
) -> None:
    warehouse = Warehouse()
    async with serving(build_app(warehouse, api_key="k-123")) as url, httpx.AsyncClient() as http:
        good = RestWmsSettings.model_validate(partner_settings(url, secret(tmp_path, "k", "k-123")))
        bad = RestWmsSettings.model_validate(partner_settings(url, secret(tmp_path, "b", "nope")))
        client = WmsClient("dc1", good, http)
        first = await client.release(BODY, "WH/OUT/1")
        again = await client.release(BODY, "WH/OUT/1")
        with pytest.raises(WmsRefused, match="HTTP 401"):
            await WmsClient("dc1", bad, http).release(BODY, "WH/OUT/2")
        warehouse.behaviour.outage = True
        with pytest.raises(WmsUnavailable, match="HTTP 503"):
            await client.release(BODY, "WH/OUT/3")
        warehouse.behaviour.outage = False
        await warehouse.execute(first)
        too_late = await client.cancel({}, "WH/OUT/1", first)
    assert first == again
    assert len(warehouse.orders) == 1
    assert too_late is CancelOutcome.ALREADY_SHIPPED


async def test_oauth2_client_credentials_fetch_one_token(tmp_path: Path) -> None:
    warehouse = Warehouse()
    app = build_app(warehouse, client=("crossdock", "s3cret"))
    async with serving(app) as url, httpx.AsyncClient() as http:
        settings = RestWmsSettings.model_validate(
            partner_settings(url, oauth=("crossdock", secret(tmp_path, "c", "s3cret")))
        )
        client = WmsClient("dc1", settings, http)
        one = await client.release(BODY, "WH/OUT/1")
        cancelled = await client.cancel({}, "WH/OUT/1", one)
        wrong = RestWmsSettings.model_validate(
            partner_settings(url, oauth=("crossdock", secret(tmp_path, "w", "wrong")))
        )
        with pytest.raises(WmsRefused, match="token"):
            await WmsClient("dc1", wrong, http).release(BODY, "WH/OUT/2")
        unreachable = RestWmsSettings.model_validate(
            partner_settings("http://127.0.0.1:9", oauth=("crossdock", secret(tmp_path, "c", "s")))
        )
        with pytest.raises(WmsUnavailable):
            await WmsClient("dc1", unreachable, http).release(BODY, "WH/OUT/3")
    assert cancelled is CancelOutcome.CANCELLED
    assert client.calls == {"token": 1, "release": 1, "cancel": 1}
