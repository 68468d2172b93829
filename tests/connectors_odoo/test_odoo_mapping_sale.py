"""sale.order → Order / OrderCancellation, on 16, 18 and 19 shapes, and the translate contract."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import orjson
import pytest

from crossdock.canonical import Order, OrderCancellation
from crossdock.connectors.base import InboundMessage
from crossdock.connectors.odoo.codes import MappingOptions
from crossdock.connectors.odoo.mapping import events_for, translate
from crossdock.connectors.odoo.mapping_record import EnrichedRecord
from crossdock.errors import MappingError
from crossdock.ids import derived_id
from tests.connectors_odoo.test_odoo_mapping_shapes import (
    WRITE_DATE,
    enriched,
    line_uom,
    product,
    products,
)


def sale_order(version: int, state: str = "sale", **changes: Any) -> EnrichedRecord:
    uom = line_uom(version)
    lines = {
        101: {
            "id": 101,
            "order_id": [42, "SO042"],
            "sequence": 10,
            "name": "Pallets",
            "product_id": False,
            "product_uom_qty": 0.0,
            uom: False,
            "price_unit": 0.0,
            "display_type": "line_section",
        },
        102: {
            "id": 102,
            "order_id": [42, "SO042"],
            "sequence": 11,
            "name": "[CD-0007] Euro pallet S",
            "product_id": [7, "[CD-0007] Euro pallet S"],
            "product_uom_qty": 4.0,
            uom: [1, "Units"],
            "price_unit": 12.5,
            "display_type": False,
        },
        103: {
            "id": 103,
            "order_id": [42, "SO042"],
            "sequence": 12,
            "name": "Kraft paper",
            "product_id": [9, "[CD-0009] Kraft paper S"],
            "product_uom_qty": 2.5,
            uom: [3, "kg"],
            "price_unit": 3.2,
            "display_type": False,
        },
        104: {
            "id": 104,
            "order_id": [42, "SO042"],
            "sequence": 13,
            "name": "Shipping",
            "product_id": [90, "Shipping"],
            "product_uom_qty": 1.0,
            uom: [1, "Units"],
            "price_unit": -5.0,
            "display_type": False,
        },
    }
    record = {
        "name": "SO042",
        "state": state,
        "partner_id": [15, "Lyon Outdoor SAS"],
        "partner_shipping_id": [16, "Lyon Outdoor SAS"],
        "order_line": [101, 102, 103, 104],
        "currency_id": [1, "EUR"],
        "commitment_date": "2025-03-06 22:30:00",
        "date_order": "2025-03-04 08:00:00",
        "client_order_ref": "PO-4120",
        "write_date": WRITE_DATE,
        **changes,
    }
    return enriched("sale.order", 42, version, record, {"sale.order.line": lines})


@pytest.mark.parametrize("version", [16, 18, 19])
def test_confirmed_order(version: int) -> None:
    [event] = events_for(sale_order(version), partner="acme", message_id="m-1")
    order = Order.model_validate(event.data)
    assert event.type == "crossdock.order.confirmed.v1"
    assert (event.id, event.source, event.subject) == (
        derived_id("m-1", "0"),
        "/odoo/acme",
        "SO042",
    )
    assert (event.lanekey, event.correlationid, event.partner) == (
        "sale_order:SO042",
        "SO042",
        "acme",
    )
    assert event.time == datetime(2025, 3, 4, 9, 15, tzinfo=UTC)
    assert order.currency == "EUR"
    assert order.requested_ship_date == date(2025, 3, 6)
    assert [
        (line.line_id, line.sku, line.quantity.value, line.quantity.uom, line.unit_price)
        for line in order.lines
    ] == [
        ("102", "CD-0007", Decimal(4), "C62", Decimal("12.5")),
        ("103", "CD-0009", Decimal("2.5"), "KGM", Decimal("3.2")),
    ]
    assert order.ship_to.name == "Lyon Outdoor SAS"  # a nameless delivery address
    assert order.ship_to.address.line1 == "Quai Perrache 2"
    assert order.ship_to.address.line2 == "Dock 4"
    assert order.customer is not None and order.customer.address.country_code == "FR"
    assert [(ref.system, ref.value) for ref in order.partner_refs] == [
        ("odoo", "sale.order:42"),
        ("customer", "PO-4120"),
    ]


def test_sixteen_locked_order_is_confirmed_too() -> None:
    [event] = events_for(sale_order(16, state="done"))
    assert event.type == "crossdock.order.confirmed.v1"


@pytest.mark.parametrize("version", [16, 18])
def test_cancelled_order(version: int) -> None:
    [event] = events_for(sale_order(version, state="cancel"))
    cancelled = OrderCancellation.model_validate(event.data)
    assert event.type == "crossdock.order.cancelled.v1"
    assert cancelled.order_number == "SO042"
    assert cancelled.cancelled_at == datetime(2025, 3, 4, 9, 15, tzinfo=UTC)


@pytest.mark.parametrize("state", ["draft", "sent"])
def test_quotations_raise_no_event(state: str) -> None:
    assert events_for(sale_order(18, state=state)) == []


def test_the_same_change_yields_the_same_ids() -> None:
    assert events_for(sale_order(18))[0].id == events_for(sale_order(18))[0].id


def test_a_product_without_default_code_names_its_place() -> None:
    record = sale_order(18)
    related = {
        **record.related,
        "product.product": {
            **products(18),
            9: product(18, 9, False, "Kraft paper S", uom=(3, "kg")),
        },
    }
    with pytest.raises(MappingError) as caught:
        events_for(EnrichedRecord(record.model, record.id, 18, record.record, related))
    assert (
        str(caught.value) == "sale.order(42).order_line[2].product_id: product has no default_code"
    )


def test_an_incomplete_address_names_the_partner() -> None:
    record = sale_order(18)
    partners = {**record.related["res.partner"]}
    partners[16] = {**partners[16], "street": False}
    related = {**record.related, "res.partner": partners}
    with pytest.raises(MappingError) as caught:
        events_for(EnrichedRecord(record.model, record.id, 18, record.record, related))
    assert caught.value.place == "sale.order(42).partner_shipping_id"
    assert caught.value.detail == "partner 16 (Lyon Outdoor SAS) has no street"


def test_unknown_units_need_a_setting() -> None:
    record = sale_order(18)
    related = {
        **record.related,
        "uom.uom": {1: {"id": 1, "name": "Units"}, 3: {"id": 3, "name": "Bag"}},
    }
    changed = EnrichedRecord(record.model, record.id, 18, record.record, related)
    with pytest.raises(MappingError, match=r"order_line\[2\]\.product_uom: unit 'Bag'"):
        events_for(changed)
    [event] = events_for(changed, options=MappingOptions(uom_codes={"bag": "BG"}))
    assert event.data["lines"][1]["quantity"]["uom"] == "BG"


def message(body: dict[str, Any]) -> InboundMessage:
    return InboundMessage(
        id="msg-7",
        partner="acme",
        headers={},
        body=orjson.dumps(body),
        received_at=datetime(2025, 3, 4, 9, 15, 2, tzinfo=UTC),
        correlation_id="corr-1",
    )


def test_translate_reads_the_enriched_body() -> None:
    record = sale_order(18)
    change = {"_model": "sale.order", "_id": 42, "_action": "Send SO(#12)", "state": "sale"}
    [event] = translate(message({**change, "_enriched": record.to_json()}), {})
    assert event.id == derived_id("msg-7", "0")
    assert event.data == events_for(record)[0].data


def test_translate_refuses_what_it_cannot_read() -> None:
    with pytest.raises(MappingError, match="not enriched"):
        translate(message({"_model": "sale.order", "_id": 42, "state": "sale"}), {})
    other = sale_order(18).to_json() | {"id": 43}
    with pytest.raises(MappingError, match=r"describes sale.order\(43\)"):
        translate(message({"_model": "sale.order", "_id": 42, "_enriched": other}), {})
    assert (
        translate(
            message(
                {
                    "_model": "res.partner",
                    "_id": 15,
                    "_enriched": {"model": "res.partner", "id": 15, "version": 18, "record": {}},
                }
            ),
            {},
        )
        == []
    )
