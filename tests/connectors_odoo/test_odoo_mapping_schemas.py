"""Every event the Odoo mapping produces validates against its exported JSON Schema."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from crossdock.canonical import EVENT_TYPES, Envelope
from crossdock.canonical.schema_export import export_schemas
from crossdock.connectors.odoo.mapping import events_for
from tests.connectors_odoo.test_odoo_mapping_account import invoice
from tests.connectors_odoo.test_odoo_mapping_inventory import balance_change, quant
from tests.connectors_odoo.test_odoo_mapping_purchase import purchase_order
from tests.connectors_odoo.test_odoo_mapping_sale import sale_order
from tests.connectors_odoo.test_odoo_mapping_shapes import WRITE_DATE, enriched, product
from tests.connectors_odoo.test_odoo_mapping_stock import move_line, picking, shipped_lines

NEW_TYPES = {
    "crossdock.order.cancelled.v1",
    "crossdock.fulfillment.requested.v1",
    "crossdock.fulfillment.cancelled.v1",
    "crossdock.receipt.recorded.v1",
    "crossdock.purchase_order.confirmed.v1",
    "crossdock.invoice.posted.v1",
    "crossdock.product.updated.v1",
    "crossdock.carrier.service_updated.v1",
}


def mapped_events() -> list[Envelope]:
    receipt_lines = {71: move_line(16, 71, 51, (7, "[CD-0007] Euro pallet S"), 24.0, lot_name="L1")}
    carrier = {
        "name": "DHL Express",
        "delivery_type": "fixed",
        "active": True,
        "write_date": WRITE_DATE,
    }
    return [
        *events_for(sale_order(18)),
        *events_for(sale_order(16, state="cancel")),
        *events_for(picking(18, "assigned")),
        *events_for(picking(16, "done", lines=shipped_lines(16), carrier_tracking_ref="JD1")),
        *events_for(picking(18, "cancel")),
        *events_for(picking(16, "done", code="incoming", lines=receipt_lines)),
        *events_for(purchase_order(19)),
        *events_for(invoice(18)),
        *events_for(balance_change(16, {81: quant(81, 3.0, 1.0)})),
        *events_for(enriched("product.product", 7, 18, product(18, 7, "CD-0007", "Pallet"), {})),
        *events_for(enriched("delivery.carrier", 3, 16, carrier, {})),
    ]


def test_new_types_are_registered() -> None:
    assert set(EVENT_TYPES) >= NEW_TYPES
    produced = {event.type for event in mapped_events()}
    assert produced >= NEW_TYPES


@pytest.fixture(scope="module")
def schemas(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("schemas")
    export_schemas(directory)
    return directory


def test_mapped_events_match_their_exported_schemas(schemas: Path) -> None:
    for event in mapped_events():
        schema = json.loads((schemas / f"{event.type}.schema.json").read_text(encoding="utf-8"))
        jsonschema.Draft202012Validator.check_schema(schema)
        errors = [
            e.message
            for e in jsonschema.Draft202012Validator(schema).iter_errors(event.to_cloudevent())
        ]
        assert errors == [], event.type
