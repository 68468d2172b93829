"""Pure mapping: a Shippo `track_updated` webhook → one milestone envelope per tracking entry.

Every `tracking_history` entry becomes an envelope, plus `tracking_status` when the history does
not already hold it. Ids derive from what identifies a scan (tracking number, status_date,
status, substatus code), never from Shippo's `object_id` (its own samples carry the placeholder
"string" there), so an entry resent in a later webhook gets the same id.

The top-level `status` is authoritative. A substatus refines it only when Shippo documents that
substatus under that status; otherwise (Shippo's own sample pairs DELIVERED with
`information_received`) the status decides the milestone, the substatus is still kept as
`raw_code`, and the pair is counted in `MISMATCHED_CODES`. Unknown statuses map to `unknown`,
unknown substatuses fall back to their status; both are counted in `UNKNOWN_CODES`. Entries
without a `status_date` cannot be placed in time and are skipped (counted likewise).
Naive timestamps (Shippo's test-mode samples omit the zone) are read as UTC.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Mapping
from datetime import UTC, datetime
from typing import Any

import orjson

from crossdock.canonical.common import LocationRef
from crossdock.canonical.envelope import Envelope
from crossdock.canonical.milestones import ExceptionReason, Milestone
from crossdock.connectors.base import InboundMessage
from crossdock.connectors.carriers.events import milestone_event
from crossdock.connectors.carriers.shippo.codes import STATUSES, SUBSTATUS_STATUS, SUBSTATUSES
from crossdock.errors import MappingError
from crossdock.ids import derived_id

SOURCE = "/carriers/shippo"
EVENT = "track_updated"

UNKNOWN_CODES: Counter[tuple[str, str]] = Counter()
"""(field, value) of codes this mapping does not know: `status`, `substatus`, `status_date`."""
MISMATCHED_CODES: Counter[tuple[str, str]] = Counter()
"""(status, substatus) pairs where the substatus is documented under another status."""

_CARRIER = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,63}$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")


def translate(message: InboundMessage, settings: Mapping[str, Any]) -> list[Envelope]:
    try:
        document = orjson.loads(message.body)
    except orjson.JSONDecodeError as exc:
        raise MappingError(f"body is not valid JSON: {exc}") from None
    if not isinstance(document, dict):
        raise MappingError("a Shippo webhook must be a JSON object", "(body)")
    event = document.get("event")
    if event != EVENT:
        raise MappingError(f"unsupported Shippo event {event!r}; only {EVENT!r}", "event")
    data = document.get("data")
    if not isinstance(data, dict):
        raise MappingError("data must be an object", "data")
    tracking = _text(data.get("tracking_number"))
    if not tracking:
        raise MappingError("tracking_number is required", "data.tracking_number")
    carrier = _text(data.get("carrier")).lower()
    if not _CARRIER.match(carrier):
        raise MappingError(f"carrier {carrier!r} is not a usable carrier code", "data.carrier")
    eta = _time(data.get("eta"))

    entries: list[tuple[str, Any]] = []
    history = data.get("tracking_history") or []
    if not isinstance(history, list):
        raise MappingError("tracking_history must be a list", "data.tracking_history")
    entries += [(f"data.tracking_history[{i}]", entry) for i, entry in enumerate(history)]
    entries.append(("data.tracking_status", data.get("tracking_status")))

    envelopes: dict[str, Envelope] = {}
    for place, entry in entries:
        if entry is None and place == "data.tracking_status":
            continue
        if not isinstance(entry, dict):
            raise MappingError("a tracking entry must be an object", place)
        envelope = _envelope(message, tracking, carrier, eta, entry, envelopes.keys())
        if envelope is not None:
            envelopes[envelope.id] = envelope
    return list(envelopes.values())


def _envelope(
    message: InboundMessage,
    tracking: str,
    carrier: str,
    eta: datetime | None,
    entry: Mapping[str, Any],
    seen: Collection[str],
) -> Envelope | None:
    """The entry's envelope; None when it is undated or already mapped (counted once)."""
    status = _text(entry.get("status"))
    substatus = entry.get("substatus")
    code = _text(substatus.get("code")) if isinstance(substatus, dict) else ""
    raw_date = _text(entry.get("status_date"))
    event_id = derived_id("shippo", tracking, raw_date, status, code)
    if event_id in seen:
        return None
    occurred_at = _time(raw_date)
    if occurred_at is None:
        UNKNOWN_CODES["status_date", raw_date] += 1
        return None
    milestone, reason = classify(status, code)
    return milestone_event(
        message,
        {
            "tracking_number": tracking,
            "carrier_code": carrier,
            "milestone": milestone,
            "exception_reason": reason,
            "occurred_at": occurred_at,
            "location": _location(entry.get("location")),
            "raw_code": code or status,
            "raw_text": _text(entry.get("status_details")),
            "estimated_delivery_at": eta,
        },
        source=SOURCE,
        event_id=event_id,
        place="data.tracking_history",
    )


def classify(status: str, substatus: str) -> tuple[Milestone, ExceptionReason | None]:
    """Milestone and reason for a Shippo status and substatus code (either may be empty)."""
    if status not in STATUSES:
        UNKNOWN_CODES["status", status] += 1
        return Milestone.UNKNOWN, None
    if not substatus:
        return STATUSES[status]
    if substatus not in SUBSTATUSES:
        UNKNOWN_CODES["substatus", substatus] += 1
        return STATUSES[status]
    if SUBSTATUS_STATUS[substatus] != status:
        MISMATCHED_CODES[status, substatus] += 1
        return STATUSES[status]
    return SUBSTATUSES[substatus] or STATUSES[status]


def _location(value: Any) -> LocationRef | None:
    if not isinstance(value, dict):
        return None
    country = _text(value.get("country")).upper()
    fields = {
        "city": _text(value.get("city")) or None,
        "region": _text(value.get("state")) or None,
        "postal_code": _text(value.get("zip")) or None,
        "country_code": country if _COUNTRY.match(country) else None,
    }
    if not any((fields["city"], fields["postal_code"], fields["country_code"])):
        return None
    return LocationRef(**fields)


def _time(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""
