"""Pure mapping: an EasyPost `tracker.created`/`tracker.updated` Event → milestone envelopes.

One `crossdock.shipment.milestone_recorded.v1` per TrackingDetail (the tracker's history).
Ids derive from the entry itself, so a history entry resent by a later webhook keeps its id.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import orjson

from crossdock.canonical.common import LocationRef
from crossdock.canonical.envelope import Envelope
from crossdock.connectors.base import InboundMessage
from crossdock.connectors.carriers.easypost.codes import UNKNOWN_CODES, classify
from crossdock.connectors.carriers.events import milestone_event, proof_of_delivery
from crossdock.errors import MappingError
from crossdock.ids import derived_id

__all__ = ["UNKNOWN_CODES", "translate"]

SOURCE = "/carriers/easypost"
TRACKER_EVENTS = frozenset({"tracker.created", "tracker.updated"})
_COUNTRY = re.compile(r"^[A-Z]{2}$")


def translate(message: InboundMessage, settings: Mapping[str, Any]) -> list[Envelope]:
    try:
        event = orjson.loads(message.body)
    except orjson.JSONDecodeError as exc:
        raise MappingError(f"body is not valid JSON: {exc}") from None
    if not isinstance(event, dict):
        raise MappingError("an EasyPost Event must be a JSON object")
    description = event.get("description")
    if description not in TRACKER_EVENTS:
        raise MappingError(
            f"unsupported EasyPost event {description!r}: only tracker.created and "
            "tracker.updated carry tracking",
            "description",
        )
    tracker = event.get("result")
    if not isinstance(tracker, dict) or tracker.get("object") != "Tracker":
        raise MappingError("a tracker event's result must be a Tracker object", "result")
    tracking = tracker.get("tracking_code")
    if not isinstance(tracking, str) or not tracking:
        raise MappingError("tracking_code is required", "result.tracking_code")
    carrier = _carrier_code(tracker.get("carrier"))
    estimated = _time(tracker.get("est_delivery_date"), "result.est_delivery_date", True)
    details = tracker.get("tracking_details") or []
    if not isinstance(details, list):
        raise MappingError("tracking_details must be a list", "result.tracking_details")
    return [
        _envelope(
            message,
            tracking,
            carrier,
            estimated,
            detail,
            f"result.tracking_details[{i}]",
            signed_by=tracker.get("signed_by"),
        )
        for i, detail in enumerate(details)
    ]


def _envelope(
    message: InboundMessage,
    tracking: str,
    carrier: str,
    estimated: datetime | None,
    detail: Any,
    place: str,
    *,
    signed_by: Any = None,
) -> Envelope:
    if not isinstance(detail, dict):
        raise MappingError("a TrackingDetail must be an object", place)
    status = detail.get("status")
    if not isinstance(status, str) or not status:
        raise MappingError("status is required", f"{place}.status")
    status_detail = detail.get("status_detail")
    if not isinstance(status_detail, str):
        status_detail = ""
    raw_when = detail.get("datetime")
    occurred_at = _time(raw_when, f"{place}.datetime", False)
    if occurred_at is None or not isinstance(raw_when, str):  # _time raises first
        raise MappingError("an ISO 8601 time is required", f"{place}.datetime")
    found = classify(status, status_detail or None)
    for key in found.unknown:
        UNKNOWN_CODES[key] += 1
    text = detail.get("message")
    return milestone_event(
        message,
        {
            "tracking_number": tracking,
            "carrier_code": carrier,
            "milestone": found.milestone,
            "exception_reason": found.exception_reason,
            "occurred_at": occurred_at,
            "location": _location(detail.get("tracking_location")),
            "raw_code": status_detail or status,
            "raw_text": text if isinstance(text, str) else "",
            "estimated_delivery_at": estimated,
            "proof_of_delivery": proof_of_delivery(found.milestone, signed_by=signed_by),
        },
        source=SOURCE,
        event_id=derived_id("easypost", tracking, raw_when, status, status_detail),
        place=place,
    )


def _carrier_code(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise MappingError("carrier is required", "result.carrier")
    code = re.sub(r"[^a-z0-9_.-]+", "_", value.strip().lower()).strip("_.-")
    return code[:64] or "unknown"


def _time(value: Any, place: str, optional: bool) -> datetime | None:
    if value is None and optional:
        return None
    if not isinstance(value, str):
        raise MappingError("an ISO 8601 time is required", place)
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise MappingError(f"{value!r} is not an ISO 8601 time", place) from None
    if parsed.tzinfo is None:
        raise MappingError(f"{value!r} has no time zone", place)
    return parsed


def _location(value: Any) -> LocationRef | None:
    if not isinstance(value, dict):
        return None

    def text(key: str) -> str | None:
        item = value.get(key)
        return item.strip() if isinstance(item, str) and item.strip() else None

    country = text("country")
    country = country.upper() if country else None
    fields = {
        "city": text("city"),
        "region": text("state"),
        "postal_code": text("zip"),
        "country_code": country if country and _COUNTRY.match(country) else None,
    }
    if not any(fields[k] for k in ("city", "postal_code", "country_code")):
        return None
    return LocationRef(**fields)
