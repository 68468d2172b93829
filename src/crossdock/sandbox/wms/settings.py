"""The REST WMS declaration that speaks the sandbox's format: what a partner entry of kind
`wms_rest` pointed at `crossdock sandbox wms` holds (also an example for real WMSs)."""

from __future__ import annotations

from typing import Any

from crossdock.sandbox.odoo.seed import CARRIERS, PRODUCT_COUNT

_QTY = "{value: to_string(qty), uom: unit}"
_LINES = (
    "lines[].{line_id: line_ref, sku: item, quantity: " + _QTY + ", "
    "lots: not_null(lots, `[]`)[].{lot: lot, quantity: " + _QTY + "}, short_reason: short_reason}"
)
_PARCELS = (
    "not_null(parcels, `[]`)[].{package_ref: parcel_id, tracking_number: tracking, "
    "weight: {value: to_string(weight_kg), unit: 'kg'}, "
    "dimensions: {length: to_string(length_cm), width: to_string(width_cm), "
    "height: to_string(height_cm), unit: 'cm'}}"
)
_SHIP_TO = (
    "ship_to && {name: ship_to.name, address: {line1: ship_to.street, "
    "postal_code: ship_to.zip, city: ship_to.city, country_code: ship_to.country}}"
)

RELEASE_TEMPLATE: dict[str, Any] = {
    "order_ref": "fulfillment_id",
    "customer_ref": "order_reference",
    "site": "warehouse.code",
    "carrier": "carrier_code",
    "service": "service_level",
    "ship_to": {
        "name": "ship_to.name",
        "street": "ship_to.address.line1",
        "zip": "ship_to.address.postal_code",
        "city": "ship_to.address.city",
        "country": "ship_to.address.country_code",
    },
    "lines": "lines[].{line_ref: line_id, item: sku, qty: to_number(quantity.value), "
    "unit: quantity.uom}",
}

EVENTS: dict[str, Any] = {
    "kind": "event",
    "kinds": {
        "ORDER_ACK": "acknowledged",
        "PICK_CONFIRMED": "picked",
        "PACKED": "packed",
        "SHIPPED": "shipped",
    },
    "data": {
        "acknowledged": "{fulfillment_id: order_ref, wms_order_id: wms_order, "
        "accepted: not_null(accepted, `true`), reason: reason, occurred_at: at}",
        "picked": "{fulfillment_id: order_ref, occurred_at: at, lines: " + _LINES + "}",
        "packed": "{fulfillment_id: order_ref, occurred_at: at, packages: " + _PARCELS + "}",
        "shipped": "{fulfillment_id: order_ref, confirmation_id: shipment_id, occurred_at: at, "
        "carrier_code: carrier, service_level: service, lines: "
        + _LINES
        + ", packages: "
        + _PARCELS
        + ", ship_to: "
        + _SHIP_TO
        + "}",
    },
}


def codes() -> dict[str, dict[str, str]]:
    """The sandbox's own codes: its item numbers, units, site and services differ from Odoo's."""
    return {
        "sku": {f"CD-{i:04d}": f"WMS-{i:04d}" for i in range(1, PRODUCT_COUNT + 1)},
        "uom": {"C62": "EA", "DZN": "DZ"},
        "location": {"WH": "DC1"},
        "carrier_service": {name: name.upper().replace(" ", "_") for _x, name, _k, _p in CARRIERS},
    }


def partner_settings(
    base_url: str,
    key_ref: str | None = None,
    *,
    oauth: tuple[str, str] | None = None,
    books_carrier: bool = True,
) -> dict[str, Any]:
    """Settings for a `wms_rest` partner: API key auth (`key_ref`), or OAuth2 client
    credentials with (client id, secret reference)."""
    auth: dict[str, Any]
    if oauth is not None:
        auth = {
            "type": "oauth2",
            "token_url": f"{base_url}/oauth/token",
            "client_id": oauth[0],
            "client_secret": oauth[1],
        }
    else:
        auth = {"type": "api_key", "header": "X-Api-Key", "key": key_ref}
    return {
        "base_url": base_url,
        "auth": auth,
        "endpoints": {
            "release": {"method": "POST", "path": "/orders"},
            "cancel": {"method": "POST", "path": "/orders/{wms_order_id}/cancel"},
            "labels": {"method": "POST", "path": "/orders/{wms_order_id}/labels"},
        },
        "payloads": {"release": RELEASE_TEMPLATE},
        "responses": {"release_order_id": "id", "cancel_shipped_status": [409]},
        "events": EVENTS,
        "codes": codes(),
        "books_carrier": books_carrier,
    }
