"""Shippo's shapes for a scenario: the Track object (API) and `track_updated` (webhook).

Source: Shippo API reference, Track object and "Event Definitions"
(https://docs.goshippo.com/docs/tracking/tracking), checked against the recorded webhook in
tests/fixtures/carrier_webhooks/shippo (goshippo/ai track_updated.delivered.json): a
`tracking_status` with `substatus {code, text, action_required}` and the full
`tracking_history`; the webhook's `data` is the Track itself.
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
    Place,
    Scenario,
    Step,
)

# scan → (status, substatus code, substatus text, action_required), per Shippo's table.
CODES: dict[str, tuple[str, str, str, bool]] = {
    LABEL_CREATED: (
        "PRE_TRANSIT",
        "information_received",
        "Information about the package received.",
        False,
    ),
    PICKED_UP: ("TRANSIT", "package_accepted", "Package has been accepted into network.", False),
    DEPARTED: ("TRANSIT", "package_departed", "Package has departed from a facility.", False),
    ARRIVED: ("TRANSIT", "package_arrived", "Package has arrived at a facility.", False),
    OUT_FOR_DELIVERY: ("TRANSIT", "out_for_delivery", "Package is out for delivery.", False),
    DELIVERED: ("DELIVERED", "delivered", "Package has been delivered.", False),
    ADDRESS_ISSUE: (
        "TRANSIT",
        "address_issue",
        "Address information is incorrect. Contact carrier to ensure delivery.",
        True,
    ),
}


def _time(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _address(place: Place) -> dict[str, str]:
    return {"city": place.city.title(), "state": place.state, "zip": place.zip, "country": "US"}


def _entry(scenario: Scenario, step: Step) -> dict[str, Any]:
    status, code, text, action = CODES[step.code]
    return {
        "object_created": _time(step.at),
        "object_updated": _time(step.at),
        "object_id": scenario.digest("entry", step.code, step.at.isoformat())[:32],
        "status": status,
        "substatus": {"code": code, "text": text, "action_required": action},
        "status_details": step.message,
        "status_date": _time(step.at),
        "location": _address(step.place),
    }


def track(scenario: Scenario) -> dict[str, Any]:
    """The Track as `GET /tracks/{carrier}/{number}` returns it after the scans so far."""
    history = [_entry(scenario, step) for step in scenario.steps]
    return {
        "carrier": scenario.carrier,
        "tracking_number": scenario.tracking_number,
        "address_from": _address(scenario.origin),
        "address_to": _address(scenario.destination),
        "eta": _time(scenario.estimated_delivery),
        "original_eta": _time(scenario.estimated_delivery),
        "servicelevel": {"token": f"{scenario.carrier}_priority", "name": "Priority Mail"},
        "metadata": None,
        "messages": [],
        "test": True,
        "transaction": None,
        "tracking_status": history[-1] if history else None,
        "tracking_history": history,
    }


def webhook(scenario: Scenario) -> dict[str, Any]:
    """The `track_updated` Shippo posts after the latest scan."""
    return {"event": "track_updated", "test": True, "data": track(scenario)}
