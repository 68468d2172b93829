"""The label connector's quotes over real HTTP against the label sandbox: rates read as
quoted, a malformed quote refused naming its place, an outage retryable."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from crossdock.canonical.carrier import FulfillmentLine, FulfillmentRequest
from crossdock.canonical.common import Address, LocationRef, Party, Quantity, Weight
from crossdock.canonical.shipment import Package
from crossdock.connectors.carriers.labels.client import LabelApiGateway
from crossdock.connectors.carriers.labels.settings import LabelApiSettings
from crossdock.connectors.carriers.tracking_http import ProviderRefused, ProviderUnavailable
from crossdock.sandbox.wms.labels import LabelBook, ServicePrice, build_app
from crossdock.sandbox.wms.stack import serving

KEY = "label-key-0123456789"
REQUEST = FulfillmentRequest(
    fulfillment_id="WH/OUT/00007",
    warehouse=LocationRef(code="WH"),
    ship_to=Party(
        name="Harbor Retail NV",
        address=Address(line1="Kaai 1", postal_code="2000", city="Antwerpen", country_code="BE"),
    ),
    service_level="PostNL Standard",
    lines=[
        FulfillmentLine(line_id="1", sku="SKU-1", quantity=Quantity(value=Decimal("1"), uom="C62"))
    ],
)
PARCELS = [
    Package(package_ref=f"P{n}", weight=Weight(value=Decimal("1.5"), unit="kg")) for n in (1, 2)
]


def _gateway(url: str, tmp_path: Path) -> LabelApiGateway:
    key = tmp_path / "labels.key"
    key.write_text(KEY, encoding="utf-8")
    settings = LabelApiSettings(base_url=url, api_key=f"file:{key}", carrier_code="postnl")
    return LabelApiGateway("labels", settings)


async def test_rates_are_read_as_quoted_and_a_bad_one_is_refused(tmp_path: Path) -> None:
    book = LabelBook(services={"STD": ServicePrice("standard", Decimal("6.95"), 2)})
    async with serving(build_app(book, api_key=KEY)) as url:
        gateway = _gateway(url, tmp_path)
        try:
            [rate] = await gateway.rates(REQUEST, PARCELS)
            book.services["BAD"] = ServicePrice("economy", Decimal("-1"), 3)
            with pytest.raises(ProviderRefused, match=r"labels rates\[1\]: negative"):
                await gateway.rates(REQUEST, PARCELS)
            book.outage = True
            with pytest.raises(ProviderUnavailable, match="HTTP 503"):
                await gateway.rates(REQUEST, PARCELS)
        finally:
            await gateway.aclose()
    assert (rate.partner, rate.carrier_code, rate.service_code) == ("labels", "postnl", "STD")
    assert (rate.service_level, rate.currency, rate.transit_days) == ("standard", "EUR", 2)
    assert rate.price == Decimal("13.90"), "per parcel times the two parcels"
    assert book.bookings == {}, "a quote books nothing"
