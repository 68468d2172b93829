"""stock.quant → InventoryBalance: siblings summed, zero when emptied, on 16 and 18 shapes."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from crossdock.canonical import InventoryBalance
from crossdock.connectors.odoo.mapping import events_for
from crossdock.connectors.odoo.mapping_record import EnrichedRecord
from tests.connectors_odoo.test_odoo_mapping_shapes import WRITE_DATE, enriched

LOCATIONS = {
    8: {
        "id": 8,
        "complete_name": "WH/Stock",
        "usage": "internal",
        "warehouse_id": [1, "Crossdock Warehouse"],
    },
    5: {"id": 5, "complete_name": "Partners/Customers", "usage": "customer", "warehouse_id": False},
}


def quant(
    qid: int, quantity: float, reserved: float, write_date: str = WRITE_DATE, location: int = 8
) -> dict[str, Any]:
    return {
        "id": qid,
        "product_id": [9, "[CD-0009] Kraft paper S"],
        "location_id": [location, "WH/Stock"],
        "quantity": quantity,
        "reserved_quantity": reserved,
        "write_date": write_date,
    }


def balance_change(
    version: int, siblings: dict[int, dict[str, Any]], location: int = 8, **record: Any
) -> EnrichedRecord:
    change = {**quant(81, 12.5, 2.0, location=location), **record}
    return enriched(
        "stock.quant", 81, version, change, {"stock.quant": siblings, "stock.location": LOCATIONS}
    )


@pytest.mark.parametrize("version", [16, 18])
def test_balance_sums_the_lots_of_one_sku_and_location(version: int) -> None:
    siblings = {81: quant(81, 12.5, 2.0), 82: quant(82, 7.25, 0.0, "2025-03-04 09:20:00")}
    [event] = events_for(balance_change(version, siblings))
    balance = InventoryBalance.model_validate(event.data)
    assert (event.type, event.subject) == (
        "crossdock.inventory.balance_reported.v1",
        "CD-0009@WH/Stock",
    )
    assert event.lanekey == "inventory:CD-0009@WH/Stock"
    assert event.time == datetime(2025, 3, 4, 9, 15, tzinfo=UTC)
    assert (balance.sku, balance.uom) == ("CD-0009", "KGM")
    assert (balance.location.code, balance.location.name) == ("WH/Stock", "Crossdock Warehouse")
    assert (balance.on_hand, balance.reserved, balance.available) == (
        Decimal("19.75"),
        Decimal(2),
        Decimal("17.75"),
    )
    assert balance.as_of == datetime(2025, 3, 4, 9, 20, tzinfo=UTC)


def test_an_emptied_quant_reports_zero() -> None:
    record = balance_change(18, {})
    record = EnrichedRecord(record.model, 81, 18, record.record, record.related, missing=True)
    [event] = events_for(record)
    assert (event.data["on_hand"], event.data["available"]) == ("0", "0")


def test_customer_locations_report_nothing() -> None:
    assert events_for(balance_change(18, {}, location=5)) == []
