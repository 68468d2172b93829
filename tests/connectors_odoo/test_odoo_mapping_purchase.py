"""purchase.order → PurchaseOrder, on 16, 18 and 19 shapes."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest

from crossdock.canonical import PurchaseOrder
from crossdock.connectors.odoo.mapping import events_for
from crossdock.connectors.odoo.mapping_record import EnrichedRecord
from crossdock.errors import MappingError
from tests.connectors_odoo.test_odoo_mapping_shapes import WRITE_DATE, enriched, line_uom


def purchase_order(version: int, state: str = "purchase", **changes: Any) -> EnrichedRecord:
    uom = line_uom(version)
    lines = {
        201: {
            "id": 201,
            "order_id": [7, "P00007"],
            "name": "[CD-0007] Euro pallet S",
            "product_id": [7, "[CD-0007] Euro pallet S"],
            "product_qty": 24.0,
            uom: [1, "Units"],
            "price_unit": 7.35,
            "date_planned": "2025-03-10 08:00:00",
        },
        202: {
            "id": 202,
            "order_id": [7, "P00007"],
            "name": "Freight",
            "product_id": [90, "Shipping"],
            "product_qty": 1.0,
            uom: [1, "Units"],
            "price_unit": 40.0,
            "date_planned": False,
        },
        203: {
            "id": 203,
            "order_id": [7, "P00007"],
            "name": "Notes",
            "product_id": False,
            "product_qty": 0.0,
            uom: False,
            "price_unit": 0.0,
            "date_planned": False,
        },
    }
    record = {
        "name": "P00007",
        "state": state,
        "partner_id": [30, "PackSource BV"],
        "partner_ref": "SO-88812",
        "origin": False,
        "order_line": [201, 202, 203],
        "currency_id": [1, "EUR"],
        "date_order": "2025-03-03 10:00:00",
        "date_approve": "2025-03-04 09:14:59",
        "date_planned": "2025-03-10 08:00:00",
        "write_date": WRITE_DATE,
        **changes,
    }
    return enriched("purchase.order", 7, version, record, {"purchase.order.line": lines})


@pytest.mark.parametrize("version", [16, 18, 19])
def test_confirmed_purchase_order(version: int) -> None:
    [event] = events_for(purchase_order(version))
    order = PurchaseOrder.model_validate(event.data)
    assert (event.type, event.subject) == ("crossdock.purchase_order.confirmed.v1", "P00007")
    assert (event.lanekey, event.correlationid) == ("purchase_order:P00007", "P00007")
    assert order.vendor.name == "PackSource BV"
    assert order.vendor_reference == "SO-88812"
    assert order.confirmed_at == datetime(2025, 3, 4, 9, 14, 59, tzinfo=UTC)
    assert order.expected_date == date(2025, 3, 10)
    assert [
        (line.line_id, line.sku, line.quantity.value, line.unit_price, line.expected_date)
        for line in order.lines
    ] == [("201", "CD-0007", Decimal(24), Decimal("7.35"), date(2025, 3, 10))]


def test_locked_purchase_order_is_confirmed() -> None:
    [event] = events_for(purchase_order(18, state="done"))
    assert event.type == "crossdock.purchase_order.confirmed.v1"


@pytest.mark.parametrize("state", ["draft", "sent", "to approve", "cancel"])
def test_unconfirmed_purchase_orders_raise_nothing(state: str) -> None:
    assert events_for(purchase_order(16, state=state)) == []


def test_vendor_without_country_is_refused() -> None:
    record = purchase_order(18)
    partners = {**record.related["res.partner"]}
    partners[30] = {**partners[30], "country_id": False}
    with pytest.raises(MappingError) as caught:
        events_for(
            EnrichedRecord(
                record.model, 7, 18, record.record, {**record.related, "res.partner": partners}
            )
        )
    assert str(caught.value) == (
        "purchase.order(7).partner_id: partner 30 (PackSource BV) has no country"
    )
