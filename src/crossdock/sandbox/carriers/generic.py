"""A generic JSON carrier's shape for a scenario, and the partner settings that read it.

Not any real carrier's documented format: the shape many freight carriers use (a shipment
with a list of scan events), the same one the generic carrier connector's tests use, so the
demo shows a `generic_carrier` partner configured only by `SETTINGS` below.
"""

from __future__ import annotations

from typing import Any

from crossdock.sandbox.carriers.scenario import (
    ADDRESS_ISSUE,
    ARRIVED,
    DELIVERED,
    DEPARTED,
    LABEL_CREATED,
    OUT_FOR_DELIVERY,
    PICKED_UP,
    Scenario,
    Step,
)

CODES: dict[str, str] = {
    LABEL_CREATED: "IR",
    PICKED_UP: "PU",
    DEPARTED: "DP",
    ARRIVED: "AR",
    OUT_FOR_DELIVERY: "OD",
    DELIVERED: "DL",
    ADDRESS_ISSUE: "AX",
}

SETTINGS: dict[str, Any] = {
    "events": "shipment.events",
    "fields": {
        "status": "statusCode",
        "text": "description",
        "occurred_at": "timestamp",
        "city": "location.city",
        "region": "location.region",
        "postal_code": "location.postalCode",
        "country": "location.countryCode",
    },
    "root_fields": {
        "tracking_number": "shipment.trackingId",
        "carrier": "shipment.carrier",
        "estimated_delivery_at": "shipment.eta",
    },
    "codes": {
        "IR": "info_received",
        "PU": "picked_up",
        "DP": "in_transit",
        "AR": "in_transit",
        "OD": "out_for_delivery",
        "DL": "delivered",
        "AX": {"milestone": "exception", "reason": "address"},
    },
}
"""The `settings` of a `generic_carrier` partner that receives these documents."""


def _event(step: Step) -> dict[str, Any]:
    return {
        "statusCode": CODES[step.code],
        "description": step.message,
        "timestamp": step.place.local(step.at).isoformat(),
        "location": {
            "city": step.place.city.title(),
            "region": step.place.state,
            "postalCode": step.place.zip,
            "countryCode": step.place.country,
        },
    }


def document(scenario: Scenario) -> dict[str, Any]:
    """The shipment with its scans so far: the webhook body, and the tracking API's answer."""
    return {
        "shipment": {
            "trackingId": scenario.tracking_number,
            "carrier": scenario.carrier,
            "eta": scenario.estimated_delivery.isoformat(),
            "delivered": scenario.delivered,
            "signedBy": scenario.signed_by if scenario.delivered else None,
            "events": [_event(step) for step in scenario.steps],
        }
    }


def webhook(scenario: Scenario) -> dict[str, Any]:
    return document(scenario)
