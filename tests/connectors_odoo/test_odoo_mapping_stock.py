"""stock.picking → FulfillmentRequest, Shipment, FulfillmentCancellation, Receipt on 16 and 18."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from pydantic import ValidationError

from crossdock.canonical import FulfillmentCancellation, FulfillmentRequest, Receipt, Shipment
from crossdock.connectors.odoo.codes import MappingOptions
from crossdock.connectors.odoo.mapping import events_for
from crossdock.connectors.odoo.mapping_record import EnrichedRecord
from crossdock.connectors.odoo.partner import OdooPartnerSettings
from crossdock.errors import MappingError
from tests.connectors_odoo.test_odoo_mapping_shapes import WRITE_DATE, enriched

VERSIONS = [16, 18]
WAREHOUSE = {
    "stock.picking.type": {
        1: {"id": 1, "code": "incoming", "warehouse_id": [1, "Crossdock Warehouse"]},
        2: {"id": 2, "code": "outgoing", "warehouse_id": [1, "Crossdock Warehouse"]},
    },
    "stock.warehouse": {
        1: {
            "id": 1,
            "name": "Crossdock Warehouse",
            "code": "WH",
            "partner_id": [1, "Crossdock Demo Company"],
        },
    },
    "delivery.carrier": {
        3: {
            "id": 3,
            "name": "DHL Express",
            "delivery_type": "fixed",
            "active": True,
            "write_date": WRITE_DATE,
        },
    },
}


def move(
    version: int,
    mid: int,
    product: tuple[int, str],
    qty: float,
    *,
    state: str,
    done: float = 0.0,
    uom: tuple[int, str] = (1, "Units"),
    **extra: Any,
) -> dict[str, Any]:
    quantities = (
        {"quantity_done": done} if version == 16 else {"quantity": done, "picked": state == "done"}
    )
    return {
        "id": mid,
        "picking_id": [5, "WH/OUT/00042"],
        "product_id": list(product),
        "product_uom_qty": qty,
        "product_uom": list(uom),
        "state": state,
        "sale_line_id": False,
        "purchase_line_id": False,
        **quantities,
        **extra,
    }


def move_line(
    version: int,
    lid: int,
    move_id: int,
    product: tuple[int, str],
    qty: float,
    *,
    package: tuple[int, str] | None = None,
    lot: tuple[int, str] | None = None,
    lot_name: str | bool = False,
    uom: tuple[int, str] = (1, "Units"),
) -> dict[str, Any]:
    quantities = {"qty_done": qty} if version == 16 else {"quantity": qty, "picked": True}
    return {
        "id": lid,
        "move_id": [move_id, "move"],
        "product_id": list(product),
        "product_uom_id": list(uom),
        "lot_id": list(lot) if lot else False,
        "lot_name": lot_name,
        "result_package_id": list(package) if package else False,
        **quantities,
    }


PALLET = (7, "[CD-0007] Euro pallet S")
CUSHION = (8, "[CD-0008] Air cushion S")
PAPER = (9, "[CD-0009] Kraft paper S")


def picking(
    version: int,
    state: str,
    *,
    code: str = "outgoing",
    name: str = "WH/OUT/00042",
    lines: dict[int, dict[str, Any]] | None = None,
    **changes: Any,
) -> EnrichedRecord:
    moves = {
        51: move(
            version,
            51,
            PALLET,
            2.0,
            state=state,
            done=2.0 if state == "done" else 0.0,
            sale_line_id=[102, "SO042 - Euro pallet S"],
        ),
        52: move(version, 52, CUSHION, 10.0, state=state, done=10.0 if state == "done" else 0.0),
        53: move(version, 53, PAPER, 1.5, state="cancel", uom=(3, "kg")),
    }
    lines = lines if lines is not None else {}
    record = {
        "name": name,
        "state": state,
        "picking_type_code": code,
        "picking_type_id": [2 if code == "outgoing" else 1, "Crossdock Warehouse: Operations"],
        "origin": "SO042",
        "partner_id": [16, "Lyon Outdoor SAS"],
        "sale_id": [42, "SO042"] if code == "outgoing" else False,
        "purchase_id": [7, "P00007"] if code == "incoming" else False,
        "carrier_id": [3, "DHL Express"],
        "carrier_tracking_ref": False,
        "scheduled_date": "2025-03-05 07:00:00",
        "date_done": False,
        "move_ids": list(moves),
        "move_line_ids": list(lines),
        "write_date": WRITE_DATE,
        **changes,
    }
    related = {**WAREHOUSE, "stock.move": moves, "stock.move.line": lines}
    return enriched("stock.picking", 5, version, record, related)


def shipped_lines(version: int) -> dict[int, dict[str, Any]]:
    return {
        61: move_line(version, 61, 51, PALLET, 1.0, package=(2, "PACK0000002")),
        62: move_line(version, 62, 51, PALLET, 1.0, package=(1, "PACK0000001")),
        63: move_line(
            version, 63, 52, CUSHION, 4.0, package=(1, "PACK0000001"), lot=(9, "L-2025-01")
        ),
        64: move_line(
            version, 64, 52, CUSHION, 6.0, package=(1, "PACK0000001"), lot=(10, "L-2025-02")
        ),
        65: move_line(version, 65, 52, CUSHION, 0.0),  # reserved, never picked
    }


@pytest.mark.parametrize("version", VERSIONS)
def test_ready_delivery_requests_fulfillment(version: int) -> None:
    [event] = events_for(picking(version, "assigned"))
    request = FulfillmentRequest.model_validate(event.data)
    assert (event.type, event.subject) == ("crossdock.fulfillment.requested.v1", "WH/OUT/00042")
    assert (event.lanekey, event.correlationid) == ("picking:WH/OUT/00042", "SO042")
    assert request.order_reference == "SO042"
    assert (request.warehouse.code, request.warehouse.name) == ("WH", "Crossdock Warehouse")
    assert request.ship_from is not None and request.ship_from.address.city == "Rotterdam"
    assert request.ship_to.address.line1 == "Quai Perrache 2"
    assert (request.carrier_code, request.service_level) == ("dhl_express", "DHL Express")
    assert [
        (line.line_id, line.sku, line.quantity.value, line.order_line_id) for line in request.lines
    ] == [("51", "CD-0007", Decimal(2), "102"), ("52", "CD-0008", Decimal(10), None)]


@pytest.mark.parametrize("version", VERSIONS)
def test_done_delivery_is_a_shipment_with_packages_and_lots(version: int) -> None:
    record = picking(
        version,
        "done",
        lines=shipped_lines(version),
        carrier_tracking_ref="JD0001, JD0002",
        date_done="2025-03-05 16:40:00",
    )
    [event] = events_for(record)
    shipment = Shipment.model_validate(event.data)
    assert event.type == "crossdock.shipment.created.v1"
    assert (shipment.shipment_id, shipment.order_reference) == ("WH/OUT/00042", "SO042")
    assert (shipment.carrier_code, shipment.service_level) == ("dhl_express", "DHL Express")
    assert shipment.ship_from.name == "Crossdock Demo Company"
    assert str(shipment.ship_date) == "2025-03-05"
    first, second = shipment.packages
    assert (first.package_ref, first.tracking_number) == ("PACK0000001", "JD0001")
    assert (second.package_ref, second.tracking_number) == ("PACK0000002", "JD0002")
    assert [(c.sku, c.quantity.value) for c in first.contents] == [
        ("CD-0007", Decimal(1)),
        ("CD-0008", Decimal(4)),
        ("CD-0008", Decimal(6)),
    ]
    assert first.weight.value == Decimal("27.0")  # 25 kg pallet + 10 x 0.2 kg
    assert [(c.sku, c.quantity.value) for c in second.contents] == [("CD-0007", Decimal(1))]


@pytest.mark.parametrize(
    ("refs", "numbers", "extra"),
    [("MASTER1", ["MASTER1", "MASTER1", "MASTER1"], []), ("A,B", [None, None, None], ["A", "B"])],
)
def test_tracking_numbers_follow_packages(refs: str, numbers: list[Any], extra: list[str]) -> None:
    lines = {**shipped_lines(18), 66: move_line(18, 66, 52, CUSHION, 1.0)}  # one loose item
    [event] = events_for(picking(18, "done", lines=lines, carrier_tracking_ref=refs))
    shipment = Shipment.model_validate(event.data)
    assert [p.tracking_number for p in shipment.packages] == numbers
    assert shipment.packages[-1].package_ref is None
    assert [r.value for r in shipment.references if r.system == "dhl_express"] == extra


def test_a_shipment_needs_a_carrier() -> None:
    record = picking(18, "done", lines=shipped_lines(18), carrier_id=False)
    with pytest.raises(MappingError) as caught:
        events_for(record)
    assert caught.value.place == "stock.picking(5).carrier_id"
    [event] = events_for(record, options=MappingOptions(default_carrier_code="own_fleet"))
    assert event.data["carrier_code"] == "own_fleet"


def test_mapping_options_are_declared_partner_settings() -> None:
    """A partner's settings may carry the mapping's options; a wrong one is named."""
    raw = {
        "odoo": {"url": "https://odoo.example", "database": "prod", "login": "bot",
                 "password": "env:ODOO_PASSWORD"},
        "default_carrier_code": "own_fleet",
        "carrier_codes": {"DHL Express": "dhl_express"},
        "uom_codes": {"Units": "EA"},
        "weight_unit": "lb",
    }  # fmt: skip
    settings = OdooPartnerSettings.model_validate(raw)
    assert settings.default_carrier_code == "own_fleet"
    options = MappingOptions.from_settings(raw)
    assert (options.default_carrier_code, options.weight_unit) == ("own_fleet", "lb")
    record = picking(18, "done", lines=shipped_lines(18), carrier_id=False)
    [event] = events_for(record, options=options)
    assert event.data["carrier_code"] == "own_fleet"
    with pytest.raises(ValidationError) as refused:
        OdooPartnerSettings.model_validate({**raw, "weight_unit": "stone"})
    assert refused.value.errors()[0]["loc"] == ("weight_unit",)


def test_a_done_delivery_without_quantities_is_refused() -> None:
    with pytest.raises(MappingError, match="no move line with a quantity"):
        events_for(picking(16, "done", lines={65: move_line(16, 65, 52, CUSHION, 0.0)}))


@pytest.mark.parametrize("version", VERSIONS)
def test_cancelled_delivery_withdraws_the_request(version: int) -> None:
    [event] = events_for(picking(version, "cancel"))
    cancelled = FulfillmentCancellation.model_validate(event.data)
    assert event.type == "crossdock.fulfillment.cancelled.v1"
    assert (cancelled.fulfillment_id, cancelled.order_reference) == ("WH/OUT/00042", "SO042")


@pytest.mark.parametrize("version", VERSIONS)
def test_done_receipt_records_lots(version: int) -> None:
    lines = {
        71: move_line(version, 71, 51, PALLET, 24.0, lot=(11, "LOT-A")),
        72: move_line(version, 72, 52, CUSHION, 48.0, lot_name="LOT-NEW"),
    }
    record = picking(
        version,
        "done",
        code="incoming",
        name="WH/IN/00007",
        lines=lines,
        date_done="2025-03-05 10:00:00",
        partner_id=[30, "PackSource BV"],
    )
    moves = {**record.related["stock.move"]}
    moves[51] = {**moves[51], "purchase_line_id": [201, "P00007 - Euro pallet S"]}
    record = EnrichedRecord(
        record.model, record.id, version, record.record, {**record.related, "stock.move": moves}
    )
    [event] = events_for(record)
    receipt = Receipt.model_validate(event.data)
    assert (event.type, event.correlationid) == ("crossdock.receipt.recorded.v1", "P00007")
    assert receipt.purchase_order_reference == "P00007"
    assert receipt.supplier is not None and receipt.supplier.name == "PackSource BV"
    assert receipt.received_at.isoformat() == "2025-03-05T10:00:00+00:00"
    assert [
        (line.sku, line.quantity.value, line.lot, line.purchase_line_id) for line in receipt.lines
    ] == [("CD-0007", Decimal(24), "LOT-A", "201"), ("CD-0008", Decimal(48), "LOT-NEW", None)]


@pytest.mark.parametrize(
    ("code", "state"),
    [
        ("outgoing", "draft"),
        ("outgoing", "confirmed"),
        ("incoming", "assigned"),
        ("internal", "done"),
    ],
)
def test_other_transfers_raise_nothing(code: str, state: str) -> None:
    assert events_for(picking(18, state, code=code)) == []
