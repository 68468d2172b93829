"""The file layouts the sandbox WMS speaks in file mode, and a `wms_files` partner entry for
it: a semicolon CSV and a Latin-1 fixed-width variant of the same records (also examples of
what a real legacy WMS declaration looks like)."""

from __future__ import annotations

from typing import Any, Literal

from crossdock.sandbox.wms.settings import codes

LayoutName = Literal["csv", "fixed"]

# (record kind, record code, [(field, fixed-width options)])
_F = dict[str, Any]
_TEXT20: _F = {"width": 20}
_WHEN: _F = {"width": 14}
_QTY: _F = {"width": 9, "pad": "0", "implied_decimal": True, "decimals": 3}
_SIZE: _F = {"width": 5, "pad": "0", "implied_decimal": True, "decimals": 1}
_RECORDS: list[tuple[str, str, list[tuple[str, _F]]]] = [
    (
        "order",
        "OH",
        [
            ("fulfillment_id", _TEXT20),
            ("order_reference", _TEXT20),
            ("warehouse", {"width": 6}),
            ("carrier", {"width": 20}),
            ("service_level", {"width": 24}),
            ("ship_name", {"width": 40}),
            ("ship_street", {"width": 40}),
            ("ship_postal_code", {"width": 10}),
            ("ship_city", {"width": 30}),
            ("ship_country", {"width": 2}),
        ],
    ),
    (
        "order_line",
        "OL",
        [
            ("fulfillment_id", _TEXT20),
            ("line_id", {"width": 10}),
            ("sku", _TEXT20),
            ("quantity", _QTY),
            ("uom", {"width": 4}),
        ],
    ),
    (
        "cancel",
        "CX",
        [("fulfillment_id", _TEXT20), ("wms_order_id", _TEXT20), ("requested_at", _WHEN)],
    ),
    (
        "label",
        "LB",
        [
            ("fulfillment_id", _TEXT20),
            ("wms_order_id", _TEXT20),
            ("tracking_number", _TEXT20),
            ("carrier", {"width": 20}),
            ("service_level", {"width": 24}),
            ("label_format", {"width": 4}),
            ("content", {"width": 400}),
        ],
    ),
    (
        "acknowledgement",
        "AK",
        [
            ("fulfillment_id", _TEXT20),
            ("wms_order_id", _TEXT20),
            ("accepted", {"width": 1}),
            ("occurred_at", _WHEN),
            ("reason", {"width": 60}),
        ],
    ),
    ("pick", "PH", [("fulfillment_id", _TEXT20), ("occurred_at", _WHEN)]),
    (
        "pick_line",
        "PL",
        [
            ("line_id", {"width": 10}),
            ("sku", _TEXT20),
            ("quantity", _QTY),
            ("uom", {"width": 4}),
            ("short_reason", {"width": 40}),
        ],
    ),
    ("packing", "KH", [("fulfillment_id", _TEXT20), ("occurred_at", _WHEN)]),
    (
        "package",
        "PK",
        [
            ("package_ref", _TEXT20),
            ("tracking_number", _TEXT20),
            ("weight", {"width": 7, "pad": "0", "implied_decimal": True, "decimals": 2}),
            ("weight_unit", {"width": 2}),
            ("length", _SIZE),
            ("width", _SIZE),
            ("height", _SIZE),
            ("dimension_unit", {"width": 2}),
        ],
    ),
    (
        "shipment",
        "SH",
        [
            ("fulfillment_id", _TEXT20),
            ("confirmation_id", _TEXT20),
            ("wms_order_id", _TEXT20),
            ("carrier", {"width": 20}),
            ("service_level", {"width": 24}),
            ("occurred_at", _WHEN),
        ],
    ),
    (
        "ship_line",
        "SL",
        [
            ("line_id", {"width": 10}),
            ("sku", _TEXT20),
            ("quantity", _QTY),
            ("uom", {"width": 4}),
            ("short_reason", {"width": 40}),
        ],
    ),
    ("lot", "LT", [("lot", _TEXT20), ("quantity", _QTY), ("uom", {"width": 4})]),
]


def layout(name: LayoutName) -> dict[str, Any]:
    """The sandbox's layout as a partner's YAML would declare it."""
    fixed = name == "fixed"
    records = {
        kind: {
            "code": code,
            "fields": [{"name": field, **(options if fixed else {})} for field, options in fields],
        }
        for kind, code, fields in _RECORDS
    }
    if fixed:
        return {"format": "fixed", "encoding": "latin-1", "code_width": 2, "records": records}
    return {"format": "csv", "delimiter": ";", "records": records}


def partner_settings(transport: dict[str, Any], name: LayoutName = "csv") -> dict[str, Any]:
    """Settings for a `wms_files` partner reading and writing the sandbox's files."""
    return {
        "transport": transport,
        "layout": layout(name),
        "files": {
            "release": "ORD_{fulfillment_id}.txt",
            "cancel": "CAN_{fulfillment_id}.txt",
            "labels": "LBL_{fulfillment_id}.txt",
        },
        "codes": codes(),
    }
