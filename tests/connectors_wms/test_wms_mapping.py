"""The REST WMS mapping, pure: the release body from the template and the WMS's codes, and
webhooks back to canonical events with Crossdock's codes; unmappable input names its place."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import orjson
import pytest

from crossdock.canonical.carrier import FulfillmentLine, FulfillmentRequest
from crossdock.canonical.common import Address, LocationRef, Party, Quantity
from crossdock.canonical.fulfillment import FulfillmentShipped
from crossdock.connectors.base import InboundMessage
from crossdock.connectors.wms.codes import CodeTables
from crossdock.connectors.wms.rest.mapping import CODES_KEY, release_document, render, translate
from crossdock.errors import MappingError
from crossdock.sandbox.wms.settings import RELEASE_TEMPLATE, codes, partner_settings

SETTINGS = partner_settings("http://wms.example", "env:WMS_KEY")
TABLES = CodeTables(codes())


def request() -> FulfillmentRequest:
    return FulfillmentRequest(
        fulfillment_id="WH/OUT/00042",
        order_reference="S00042",
        warehouse=LocationRef(code="WH"),
        ship_to=Party(
            name="Harbor Retail NV",
            address=Address(line1="Meir 12", city="Antwerp", postal_code="2000", country_code="BE"),
        ),
        carrier_code="dhl_express",
        service_level="DHL Express",
        lines=[
            FulfillmentLine(line_id="7", sku="CD-0003", quantity=Quantity(value="2", uom="C62")),
            FulfillmentLine(line_id="8", sku="CD-0009", quantity=Quantity(value="1.5", uom="KGM")),
        ],
    )


def message(body: dict[str, Any]) -> InboundMessage:
    return InboundMessage(
        id="01J0000000000000000000000",
        partner="wms-main",
        headers={},
        body=orjson.dumps({**body, CODES_KEY: TABLES.to_json()}),
        received_at=datetime(2026, 12, 1, tzinfo=UTC),
    )


def test_the_release_body_speaks_the_wms_codes() -> None:
    body = render(RELEASE_TEMPLATE, release_document(request(), TABLES))
    assert body == {
        "order_ref": "WH/OUT/00042",
        "customer_ref": "S00042",
        "site": "DC1",
        "carrier": "dhl_express",
        "service": "DHL_EXPRESS",
        "ship_to": {
            "name": "Harbor Retail NV",
            "street": "Meir 12",
            "zip": "2000",
            "city": "Antwerp",
            "country": "BE",
        },
        "lines": [
            {"line_ref": "7", "item": "WMS-0003", "qty": 2, "unit": "EA"},
            {"line_ref": "8", "item": "WMS-0009", "qty": 1.5, "unit": "KGM"},
        ],
    }


def test_a_ship_confirmation_comes_back_in_crossdock_codes() -> None:
    [envelope] = translate(
        message(
            {
                "event": "SHIPPED",
                "order_ref": "WH/OUT/00042",
                "shipment_id": "SHP-1",
                "at": "2026-12-01T10:00:00+00:00",
                "carrier": "dhl_express",
                "service": "DHL_EXPRESS",
                "lines": [
                    {
                        "line_ref": "7",
                        "item": "WMS-0003",
                        "qty": 2,
                        "unit": "EA",
                        "lots": [{"lot": "L-1", "qty": 2, "unit": "EA"}],
                    }
                ],
                "parcels": [
                    {
                        "parcel_id": "P1",
                        "tracking": "CDW1",
                        "weight_kg": 1.2,
                        "length_cm": 40,
                        "width_cm": 30,
                        "height_cm": 20,
                    }
                ],
            }
        ),
        SETTINGS,
    )
    shipped = FulfillmentShipped.model_validate(envelope.data)
    assert envelope.type == "crossdock.fulfillment.shipped.v1"
    assert envelope.lanekey == "picking:WH/OUT/00042"
    assert envelope.source == "/wms/wms-main"
    assert shipped.service_level == "DHL Express"
    [line] = shipped.lines
    assert (line.sku, line.quantity.uom, line.lots[0].quantity.uom) == ("CD-0003", "C62", "C62")
    [package] = shipped.packages
    assert (package.tracking_number, str(package.weight.value)) == ("CDW1", "1.2")
    assert shipped.ship_to is None


def test_an_unknown_event_names_the_setting() -> None:
    with pytest.raises(MappingError) as caught:
        translate(message({"event": "TELEPORTED", "order_ref": "WH/OUT/1"}), SETTINGS)
    assert caught.value.place == "event"
    assert "'TELEPORTED' is not one of" in caught.value.detail


def test_a_confirmation_without_lines_names_the_field() -> None:
    with pytest.raises(MappingError) as caught:
        translate(
            message(
                {
                    "event": "SHIPPED",
                    "order_ref": "WH/OUT/1",
                    "shipment_id": "S",
                    "lines": [],
                    "at": "2026-12-01T10:00:00Z",
                }
            ),
            SETTINGS,
        )
    assert "lines" in caught.value.detail
