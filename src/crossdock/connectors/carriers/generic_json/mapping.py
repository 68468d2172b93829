"""Pure mapping: a generic carrier's JSON body → milestone envelopes, as its settings say.

One `crossdock.shipment.milestone_recorded.v1` per selected event. Ids derive from the
event's content (carrier, tracking number, time, raw code), so a resent event keeps its id.
An unknown status code never fails: it maps to `unknown`, keeps its raw code and is counted.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from datetime import datetime
from functools import lru_cache
from typing import Any

import jmespath
import orjson

from crossdock.canonical.common import LocationRef
from crossdock.canonical.envelope import Envelope
from crossdock.canonical.milestones import Milestone
from crossdock.connectors.base import InboundMessage
from crossdock.connectors.carriers.events import milestone_event
from crossdock.connectors.carriers.generic_json.settings import FieldPaths, GenericCarrierSettings
from crossdock.errors import MappingError
from crossdock.ids import derived_id

__all__ = ["UNKNOWN_CODES", "translate"]

# (carrier code, raw status) pairs the code table did not know, so operators can see which
# codes still need a mapping. Never an error: the event maps to `unknown`, raw code kept.
UNKNOWN_CODES: Counter[tuple[str, str]] = Counter()

_COUNTRY = re.compile(r"^[A-Z]{2}$")


@lru_cache(maxsize=512)
def _compiled(expression: str) -> Any:
    return jmespath.compile(expression)


def _search(expression: str | None, document: Any) -> Any:
    if expression is None:
        return None
    return _compiled(expression).search(document)


def translate(message: InboundMessage, settings: Mapping[str, Any]) -> list[Envelope]:
    config = (
        settings
        if isinstance(settings, GenericCarrierSettings)
        else GenericCarrierSettings.model_validate(dict(settings))
    )
    try:
        body = orjson.loads(message.body)
    except orjson.JSONDecodeError as exc:
        raise MappingError(f"body is not valid JSON: {exc}") from None
    events = _search(config.events, body)
    if not isinstance(events, list):
        raise MappingError(
            f"the events path {config.events!r} must select a list, got {type(events).__name__}",
            "events",
        )
    root = _read(config.root_fields, body)
    return [
        _envelope(message, config, event, root, f"events[{i}]") for i, event in enumerate(events)
    ]


def _read(paths: FieldPaths, document: Any) -> dict[str, Any]:
    values = {name: _search(path, document) for name, path in paths}
    return {name: value for name, value in values.items() if value is not None}


def _envelope(
    message: InboundMessage,
    config: GenericCarrierSettings,
    event: Any,
    root: Mapping[str, Any],
    place: str,
) -> Envelope:
    values = {**root, **_read(config.fields, event)}

    def scalar(name: str, required: bool) -> str | None:
        value = values.get(name)
        if isinstance(value, str | int | float) and not isinstance(value, bool):
            text = str(value).strip()
            if text:
                return text
        if required:
            raise MappingError(
                f"{name} is required (a non-empty string or number)", _at(place, name)
            )
        return None

    tracking = _required(scalar("tracking_number", True))
    status = _required(scalar("status", True))
    raw_when = _required(scalar("occurred_at", True))
    occurred_at = _time(raw_when, _at(place, "occurred_at"))
    carrier = config.carrier_code or _carrier_code(scalar("carrier", True), _at(place, "carrier"))
    raw_estimate = scalar("estimated_delivery_at", False)
    estimated = _time(raw_estimate, _at(place, "estimated_delivery_at")) if raw_estimate else None
    target = config.codes.get(status)
    if target is None:
        UNKNOWN_CODES[(carrier, status)] += 1
        milestone, reason = Milestone.UNKNOWN, None
    else:
        milestone, reason = target.milestone, target.reason
    return milestone_event(
        message,
        {
            "tracking_number": tracking,
            "carrier_code": carrier,
            "milestone": milestone,
            "exception_reason": reason,
            "occurred_at": occurred_at,
            "location": _location(scalar),
            "raw_code": status,
            "raw_text": scalar("text", False) or "",
            "estimated_delivery_at": estimated,
        },
        source=f"/carriers/{message.partner}",
        event_id=derived_id("generic_json", carrier, tracking, occurred_at.isoformat(), status),
        place=place,
    )


def _at(place: str, name: str) -> str:
    return f"{place}.{name}"


def _required(value: str | None) -> str:
    assert value is not None  # scalar(..., True) raises first
    return value


def _carrier_code(value: str | None, place: str) -> str:
    code = re.sub(r"[^a-z0-9_.-]+", "_", (value or "").strip().lower()).strip("_.-")[:64]
    if not code:
        raise MappingError(f"{value!r} gives no usable carrier code", place)
    return code


def _time(value: str, place: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise MappingError(f"{value!r} is not an ISO 8601 time", place) from None
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        raise MappingError(f"{value!r} has no time zone", place)
    return parsed


def _location(scalar: Any) -> LocationRef | None:
    country = scalar("country", False)
    country = country.upper() if country else None
    fields = {
        "code": scalar("location_code", False),
        "name": scalar("location_name", False),
        "city": scalar("city", False),
        "region": scalar("region", False),
        "postal_code": scalar("postal_code", False),
        "country_code": country if country and _COUNTRY.match(country) else None,
    }
    if not any(fields[k] for k in ("code", "name", "city", "postal_code", "country_code")):
        return None
    return LocationRef(**fields)
