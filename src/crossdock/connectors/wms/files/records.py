"""The record types a file WMS exchanges, their canonical fields and how they nest.

Out (Crossdock writes): `order` with its `order_line`s, `cancel`, and a `label` per package
for a WMS that does not book the carrier itself. In (the WMS writes):
`acknowledgement`; `pick` with `pick_line`s; `packing` with `package`s; `shipment` with
`ship_line`s and `package`s; a `lot` belongs to the pick or ship line before it. A header
starts an event; its children follow it in the file. The layout (settings.py) says which
code and columns each type has; the names here are what the mapping reads and writes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

RecordKind = Literal[
    "order",
    "order_line",
    "cancel",
    "label",
    "acknowledgement",
    "pick",
    "pick_line",
    "packing",
    "package",
    "shipment",
    "ship_line",
    "lot",
]
FieldType = Literal["text", "decimal", "datetime", "date", "bool"]

_QUANTITY: dict[str, FieldType] = {"sku": "text", "quantity": "decimal", "uom": "text"}

FIELDS: Mapping[str, Mapping[str, FieldType]] = {
    "order": {
        "fulfillment_id": "text",
        "order_reference": "text",
        "warehouse": "text",
        "carrier": "text",
        "service_level": "text",
        "ship_date": "date",
        "ship_name": "text",
        "ship_street": "text",
        "ship_street2": "text",
        "ship_postal_code": "text",
        "ship_city": "text",
        "ship_country": "text",
        "ship_phone": "text",
        "ship_email": "text",
    },
    "order_line": {"fulfillment_id": "text", "line_id": "text", "description": "text", **_QUANTITY},
    "cancel": {"fulfillment_id": "text", "wms_order_id": "text", "requested_at": "datetime"},
    "label": {
        "fulfillment_id": "text",
        "wms_order_id": "text",
        "tracking_number": "text",
        "carrier": "text",
        "service_level": "text",
        "label_format": "text",
        "content": "text",
    },
    "acknowledgement": {
        "fulfillment_id": "text",
        "wms_order_id": "text",
        "accepted": "bool",
        "reason": "text",
        "occurred_at": "datetime",
    },
    "pick": {"fulfillment_id": "text", "occurred_at": "datetime"},
    "pick_line": {"line_id": "text", "short_reason": "text", **_QUANTITY},
    "packing": {"fulfillment_id": "text", "occurred_at": "datetime"},
    "package": {
        "package_ref": "text",
        "tracking_number": "text",
        "weight": "decimal",
        "weight_unit": "text",
        "length": "decimal",
        "width": "decimal",
        "height": "decimal",
        "dimension_unit": "text",
    },
    "shipment": {
        "fulfillment_id": "text",
        "confirmation_id": "text",
        "wms_order_id": "text",
        "carrier": "text",
        "service_level": "text",
        "occurred_at": "datetime",
    },
    "ship_line": {"line_id": "text", "short_reason": "text", **_QUANTITY},
    "lot": {"lot": "text", "quantity": "decimal", "uom": "text"},
}

REQUIRED: Mapping[str, frozenset[str]] = {
    "order": frozenset({"fulfillment_id"}),
    "order_line": frozenset({"line_id", "sku", "quantity"}),
    "cancel": frozenset({"fulfillment_id"}),
    "label": frozenset({"fulfillment_id", "tracking_number"}),
    "acknowledgement": frozenset({"fulfillment_id"}),
    "pick": frozenset({"fulfillment_id"}),
    "pick_line": frozenset({"line_id", "sku", "quantity"}),
    "packing": frozenset({"fulfillment_id"}),
    "package": frozenset({"weight"}),
    "shipment": frozenset({"fulfillment_id", "confirmation_id"}),
    "ship_line": frozenset({"line_id", "sku", "quantity"}),
    "lot": frozenset({"lot", "quantity"}),
}

HEADERS = frozenset({"acknowledgement", "pick", "packing", "shipment"})
"""Inbound record types that start an event."""

PARENTS: Mapping[str, frozenset[str]] = {
    "pick_line": frozenset({"pick"}),
    "ship_line": frozenset({"shipment"}),
    "package": frozenset({"packing", "shipment"}),
    "lot": frozenset({"pick_line", "ship_line"}),
}
"""Which record a child record may follow (the nearest one of these before it)."""
