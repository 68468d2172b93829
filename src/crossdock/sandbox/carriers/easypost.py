"""EasyPost's shapes for a scenario: the Tracker (API) and the `tracker.*` Event (webhook).

Source: EasyPost API reference, Tracker and Event objects (https://docs.easypost.com/docs/
trackers, /docs/events), checked against the recorded Event in
tests/fixtures/carrier_webhooks/easypost (EasyPost/examples official/fixtures/event-body.json):
`status`/`status_detail` per TrackingDetail, `tracking_location` with city/state/country/zip.
"""

from __future__ import annotations

from datetime import datetime
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

# scan → (status, status_detail), values of EasyPost's documented enums.
CODES: dict[str, tuple[str, str]] = {
    LABEL_CREATED: ("pre_transit", "label_created"),
    PICKED_UP: ("in_transit", "received_at_origin_facility"),
    DEPARTED: ("in_transit", "departed_facility"),
    ARRIVED: ("in_transit", "arrived_at_facility"),
    OUT_FOR_DELIVERY: ("out_for_delivery", "out_for_delivery"),
    DELIVERED: ("delivered", "arrived_at_destination"),
    ADDRESS_ISSUE: ("in_transit", "address_correction"),
}
CARRIER_NAMES = {"usps": "USPS", "ups": "UPS", "fedex": "FedEx", "dhl_express": "DHLExpress"}


def _time(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def carrier_name(code: str) -> str:
    return CARRIER_NAMES.get(code, code.upper())


def _detail(scenario: Scenario, step: Step) -> dict[str, Any]:
    status, detail = CODES[step.code]
    return {
        "object": "TrackingDetail",
        "message": step.message,
        "description": step.message,
        "status": status,
        "status_detail": detail,
        "datetime": _time(step.at),
        "source": carrier_name(scenario.carrier),
        "carrier_code": "",
        "tracking_location": {
            "object": "TrackingLocation",
            "city": step.place.city,
            "state": step.place.state,
            "country": step.place.country,
            "zip": step.place.zip,
        },
    }


def tracker(scenario: Scenario) -> dict[str, Any]:
    """The Tracker as `GET /v2/trackers` returns it after the scenario's scans so far."""
    status, detail = CODES[scenario.last.code] if scenario.steps else ("unknown", "unknown")
    first = scenario.steps[0].at if scenario.steps else scenario.estimated_delivery
    updated = scenario.last.at if scenario.steps else first
    return {
        "id": "trk_" + scenario.digest("tracker")[:32],
        "object": "Tracker",
        "mode": "test",
        "tracking_code": scenario.tracking_number,
        "status": status,
        "status_detail": detail,
        "created_at": _time(first),
        "updated_at": _time(updated),
        "signed_by": scenario.signed_by if scenario.delivered else None,
        "weight": 17.6,
        "est_delivery_date": _time(scenario.estimated_delivery),
        "shipment_id": None,
        "carrier": carrier_name(scenario.carrier),
        "tracking_details": [_detail(scenario, step) for step in scenario.steps],
        "carrier_detail": None,
        "finalized": scenario.delivered,
        "is_return": False,
        "public_url": "https://track.easypost.com/" + scenario.digest("public")[:24],
        "fees": [],
    }


def webhook(scenario: Scenario) -> dict[str, Any]:
    """The Event EasyPost posts after the latest scan: `tracker.created` for the first,
    `tracker.updated` (with the previous status) for the others."""
    result = tracker(scenario)
    previous = CODES[scenario.steps[-2].code][0] if len(scenario.steps) > 1 else None
    return {
        "object": "Event",
        "id": "evt_" + scenario.digest("event")[:32],
        "description": "tracker.created" if previous is None else "tracker.updated",
        "mode": "test",
        "previous_attributes": {} if previous is None else {"status": previous},
        "created_at": result["updated_at"],
        "updated_at": result["updated_at"],
        "pending_urls": [],
        "completed_urls": [],
        "user_id": "user_" + scenario.digest("user")[:32],
        "status": "pending",
        "result": result,
    }
