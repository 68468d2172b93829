"""AfterShip's shapes for a scenario: the tracking object (API) and `tracking_update` (webhook).

Source: AfterShip Tracking docs, "Tracking" and "Checkpoint" models and "Webhook
Specifications" (https://www.aftership.com/docs/tracking/2024-07/model/tracking), checked
against the recorded tracking in tests/fixtures/carrier_webhooks/aftership
(AfterShip/aftership-sdk-java GetTrackingResult.json): tag/subtag/subtag_message, `raw_tag`,
`checkpoint_time` in the scan's local time with its offset, ISO 3166 alpha-3 countries.
"""

from __future__ import annotations

import uuid
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

# scan → (tag, subtag, subtag_message, carrier raw code), from AfterShip's sub-status table.
CODES: dict[str, tuple[str, str, str, str]] = {
    LABEL_CREATED: ("InfoReceived", "InfoReceived_001", "Info Received", "GX"),
    PICKED_UP: ("InTransit", "InTransit_002", "Acceptance scan", "03"),
    DEPARTED: ("InTransit", "InTransit_007", "Departure Scan", "T1"),
    ARRIVED: ("InTransit", "InTransit_003", "Arrival scan", "10"),
    OUT_FOR_DELIVERY: ("OutForDelivery", "OutForDelivery_001", "Out for Delivery", "OF"),
    DELIVERED: ("Delivered", "Delivered_003", "Signed by customer", "01"),
    ADDRESS_ISSUE: ("Exception", "Exception_007", "Incorrect address", "04"),
}
_NAMESPACE = uuid.UUID("0b5a3c4e-2f61-4c8e-9d7a-3e1f5b6a7c8d")


def _utc(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S+00:00")


def _checkpoint(scenario: Scenario, step: Step) -> dict[str, Any]:
    tag, subtag, subtag_message, raw = CODES[step.code]
    place = step.place
    return {
        "slug": scenario.carrier,
        "city": place.city,
        "created_at": _utc(step.at),
        "location": f"{place.city}, {place.state} {place.zip}",
        "country_name": place.country_name,
        "message": step.message,
        "country_iso3": place.country_iso3,
        "tag": tag,
        "subtag": subtag,
        "subtag_message": subtag_message,
        "checkpoint_time": place.local(step.at).isoformat(),
        "coordinates": [],
        "state": place.state,
        "zip": place.zip,
        "raw_tag": raw,
    }


def tracking(scenario: Scenario) -> dict[str, Any]:
    """The tracking as the Tracking API returns it after the scenario's scans so far."""
    if scenario.steps:
        tag, subtag, subtag_message, _ = CODES[scenario.last.code]
        updated = scenario.last.at
    else:
        tag, subtag, subtag_message = "Pending", "Pending_001", "No information yet"
        updated = scenario.estimated_delivery
    pickup = next((s.at for s in scenario.steps if s.code == PICKED_UP), None)
    return {
        "id": scenario.digest("tracking")[:32],
        "created_at": _utc(scenario.steps[0].at if scenario.steps else updated),
        "updated_at": _utc(updated),
        "last_updated_at": _utc(updated),
        "tracking_number": scenario.tracking_number,
        "slug": scenario.carrier,
        "active": not scenario.delivered,
        "custom_fields": None,
        "customer_name": None,
        "destination_country_iso3": scenario.destination.country_iso3,
        "courier_destination_country_iso3": scenario.destination.country_iso3,
        "emails": [],
        "expected_delivery": scenario.estimated_delivery.date().isoformat(),
        "note": None,
        "order_id": None,
        "order_number": None,
        "origin_country_iso3": scenario.origin.country_iso3,
        "shipment_package_count": 1,
        "shipment_pickup_date": pickup.isoformat() if pickup else None,
        "shipment_delivery_date": scenario.last.at.isoformat() if scenario.delivered else None,
        "shipment_type": "Priority Mail",
        "signed_by": scenario.signed_by if scenario.delivered else None,
        "source": "api",
        "tag": tag,
        "subtag": subtag,
        "subtag_message": subtag_message,
        "title": scenario.tracking_number,
        "tracked_count": len(scenario.steps),
        "checkpoints": [_checkpoint(scenario, step) for step in scenario.steps],
    }


def webhook(scenario: Scenario) -> dict[str, Any]:
    """The `tracking_update` AfterShip posts after the latest scan (whole history in `msg`)."""
    body = tracking(scenario)
    previous = CODES[scenario.steps[-2].code][0] if len(scenario.steps) > 1 else None
    return {
        "event": "tracking_update",
        "event_id": str(uuid.uuid5(_NAMESPACE, scenario.digest("event"))),
        "is_tracking_first_tag": previous != body["tag"],
        "msg": body,
        "ts": int(scenario.last.at.timestamp()) if scenario.steps else 0,
    }
