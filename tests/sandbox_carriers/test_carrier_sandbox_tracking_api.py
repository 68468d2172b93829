"""Each provider's `fetch_tracking` against the simulated tracking APIs over real HTTP: the
answer is shaped as the provider's webhook (translate maps it), keys are required, unknown
numbers are None, and throttling is a retryable error carrying the provider's Retry-After."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from crossdock.connectors.carriers.aftership.settings import AfterShipApi
from crossdock.connectors.carriers.aftership.tracking_api import (
    fetch_tracking as aftership_fetch,
)
from crossdock.connectors.carriers.easypost.settings import EasyPostApi
from crossdock.connectors.carriers.easypost.tracking_api import fetch_tracking as easypost_fetch
from crossdock.connectors.carriers.generic_json.settings import GenericApi
from crossdock.connectors.carriers.generic_json.tracking_api import (
    fetch_tracking as generic_fetch,
)
from crossdock.connectors.carriers.shippo.settings import ShippoApi
from crossdock.connectors.carriers.shippo.tracking_api import fetch_tracking as shippo_fetch
from crossdock.connectors.carriers.tracking_http import parse_retry_after
from crossdock.errors import PermanentError, RetryableError
from crossdock.sandbox.carriers.api import TrackingBook, build_app
from crossdock.sandbox.carriers.scenario import Scenario
from tests.sandbox_carriers.conftest import expected, milestones, translate_as
from tests.support.server import serving

KEY = "sk-test-carrier-4242"
Fetch = Callable[[httpx.AsyncClient, Any, str, str], Awaitable[bytes | None]]


def _api(provider: str, url: str, key_ref: str) -> Any:
    if provider == "easypost":
        return EasyPostApi(base_url=url, api_key=key_ref)
    if provider == "aftership":
        return AfterShipApi(base_url=url + "/tracking/2024-07", api_key=key_ref)
    if provider == "shippo":
        return ShippoApi(base_url=url, api_key=key_ref)
    return GenericApi(url_template=url + "/generic/track/{tracking_number}", token=key_ref)


FETCHERS: dict[str, Fetch] = {
    "easypost": easypost_fetch,
    "aftership": aftership_fetch,
    "shippo": shippo_fetch,
    "generic": generic_fetch,
}


def _key_file(tmp_path: Path, key: str) -> str:
    path = tmp_path / "carrier-api.key"
    path.write_text(key + "\n", encoding="utf-8")
    return f"file:{path}"


@pytest.mark.parametrize("provider", sorted(FETCHERS))
async def test_fetch_returns_the_webhook_shape(
    provider: str, delivered: Scenario, tmp_path: Path
) -> None:
    book = TrackingBook()
    book.add(delivered, visible=3)
    async with serving(build_app(book, KEY)) as url, httpx.AsyncClient() as http:
        api = _api(provider, url, _key_file(tmp_path, KEY))
        fetch = FETCHERS[provider]
        body = await fetch(http, api, delivered.tracking_number, "usps")
        assert body is not None
        assert milestones(translate_as(provider, body)) == expected(delivered.upto(3))
        # Unchanged: byte for byte the same answer (one inbox message when stored).
        assert await fetch(http, api, delivered.tracking_number, "usps") == body
        book.advance(delivered.tracking_number, 4)
        later = await fetch(http, api, delivered.tracking_number, "usps")
        assert later is not None
        assert later != body
        assert milestones(translate_as(provider, later)) == expected(delivered)
        assert await fetch(http, api, "9400100000000000000000", "usps") is None


@pytest.mark.parametrize("provider", sorted(FETCHERS))
async def test_wrong_key_is_a_permanent_error(
    provider: str, delivered: Scenario, tmp_path: Path
) -> None:
    book = TrackingBook()
    book.add(delivered)
    async with serving(build_app(book, KEY)) as url, httpx.AsyncClient() as http:
        api = _api(provider, url, _key_file(tmp_path, "sk-revoked"))
        with pytest.raises(PermanentError, match="refused the API key"):
            await FETCHERS[provider](http, api, delivered.tracking_number, "usps")


@pytest.mark.parametrize("provider", sorted(FETCHERS))
async def test_throttling_is_retryable_with_retry_after(
    provider: str, delivered: Scenario, tmp_path: Path
) -> None:
    book = TrackingBook()
    book.add(delivered)
    frozen_second = 1000.25
    app = build_app(book, KEY, max_per_second=2, clock=lambda: frozen_second)
    async with serving(app) as url, httpx.AsyncClient() as http:
        api = _api(provider, url, _key_file(tmp_path, KEY))
        fetch = FETCHERS[provider]
        assert await fetch(http, api, delivered.tracking_number, "usps") is not None
        assert await fetch(http, api, delivered.tracking_number, "usps") is not None
        with pytest.raises(RetryableError) as caught:
            await fetch(http, api, delivered.tracking_number, "usps")
    assert caught.value.retry_after == 1.0
    assert "429" in str(caught.value)


async def test_unreachable_provider_is_retryable(tmp_path: Path) -> None:
    api = EasyPostApi(
        base_url="http://127.0.0.1:9",
        api_key=_key_file(tmp_path, KEY),
        timeout=timedelta(seconds=2),
    )
    async with httpx.AsyncClient() as http:
        with pytest.raises(RetryableError, match="could not be reached"):
            await easypost_fetch(http, api, "9400100000000000000000", "usps")


async def test_server_errors_are_retryable_and_keep_retry_after(tmp_path: Path) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(503, headers={"Retry-After": "30"}, text="maintenance")

    api = ShippoApi(base_url="https://api.example", api_key=_key_file(tmp_path, KEY))
    async with httpx.AsyncClient(transport=httpx.MockTransport(answer)) as http:
        with pytest.raises(RetryableError) as caught:
            await shippo_fetch(http, api, "1Z999", "ups")
    assert caught.value.retry_after == 30.0


def test_retry_after_as_seconds_or_http_date() -> None:
    now = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
    assert parse_retry_after("120", now) == 120.0
    assert parse_retry_after(format_datetime(now + timedelta(seconds=90), usegmt=True), now) == 90
    assert parse_retry_after(format_datetime(now - timedelta(seconds=5), usegmt=True), now) == 0
    assert parse_retry_after("soon", now) is None
    assert parse_retry_after(None, now) is None


def test_missing_key_reference_is_permanent(tmp_path: Path) -> None:
    from crossdock.connectors.carriers.tracking_http import api_key

    with pytest.raises(PermanentError, match="does not exist"):
        api_key(f"file:{tmp_path / 'absent.key'}", "EasyPost")
