"""Pure mapping: an AfterShip Tracking webhook → one milestone event per checkpoint.

The webhook body (AfterShip "Webhook Specifications") is
`{"event": "tracking_update", "event_id": ..., "is_tracking_first_tag": ..., "ts": ...,
"msg": <tracking object>}`; `msg` carries `tracking_number`, `slug` and `checkpoints`.
Every webhook resends the whole checkpoint history, so each checkpoint's envelope id is
derived from the checkpoint itself and a resent checkpoint keeps its id.

`checkpoint_time` is the carrier's local time, usually with an offset. When it has none,
it is read in the zone named by the setting `naive_checkpoint_timezone` (default UTC).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import orjson

from crossdock.canonical.common import LocationRef
from crossdock.canonical.envelope import Envelope
from crossdock.canonical.milestones import ExceptionReason, Milestone
from crossdock.connectors.base import InboundMessage
from crossdock.connectors.carriers.aftership.codes import ISO3_TO_ISO2, SUBTAGS, TAGS
from crossdock.connectors.carriers.events import milestone_event, proof_of_delivery
from crossdock.errors import MappingError
from crossdock.ids import derived_id

SOURCE = "/carriers/aftership"

UNKNOWN_CODES: Counter[tuple[str, str]] = Counter()
"""(field, value) of every tag or subtag not in `codes`, so new codes show up in metrics."""


def translate(message: InboundMessage, settings: Mapping[str, Any]) -> list[Envelope]:
    try:
        document = orjson.loads(message.body)
    except orjson.JSONDecodeError as exc:
        raise MappingError(f"body is not valid JSON: {exc}") from None
    if not isinstance(document, dict):
        raise MappingError("the webhook body must be a JSON object", "(body)")
    tracking = document.get("msg")
    if not isinstance(tracking, dict):
        raise MappingError("msg (the tracking object) is required", "msg")
    number = tracking.get("tracking_number")
    if not isinstance(number, str) or not number.strip():
        raise MappingError("tracking_number is required", "msg.tracking_number")
    slug = tracking.get("slug")
    if not isinstance(slug, str) or not slug:
        raise MappingError("slug is required", "msg.slug")
    checkpoints = tracking.get("checkpoints") or []
    if not isinstance(checkpoints, list):
        raise MappingError("checkpoints must be a list", "msg.checkpoints")
    zone = _naive_zone(settings)
    return [
        _envelope(
            message,
            number,
            slug.lower(),
            point,
            f"msg.checkpoints[{index}]",
            zone,
            signed_by=tracking.get("signed_by"),
        )
        for index, point in enumerate(checkpoints)
    ]


def status_for(tag: str, subtag: str) -> tuple[Milestone, ExceptionReason | None]:
    """Milestone and reason for a tag/subtag pair; unknown codes are counted, never errors.

    An unknown subtag under a known tag takes the tag's milestone (the tag is the coarser
    but still reliable fact); an unknown tag gives `unknown`.
    """
    if subtag and subtag in SUBTAGS:
        return SUBTAGS[subtag]
    if subtag:
        UNKNOWN_CODES[("subtag", subtag)] += 1
    if tag in TAGS:
        return TAGS[tag]
    UNKNOWN_CODES[("tag", tag)] += 1
    return Milestone.UNKNOWN, None


def _envelope(
    message: InboundMessage,
    number: str,
    slug: str,
    point: Any,
    place: str,
    zone: ZoneInfo,
    *,
    signed_by: Any = None,
) -> Envelope:
    if not isinstance(point, dict):
        raise MappingError("a checkpoint must be a JSON object", place)
    raw_time = point.get("checkpoint_time")
    if not isinstance(raw_time, str) or not raw_time:
        raise MappingError("checkpoint_time is required", f"{place}.checkpoint_time")
    try:
        occurred_at = datetime.fromisoformat(raw_time)
    except ValueError:
        raise MappingError(
            f"not an ISO 8601 time: {raw_time!r}", f"{place}.checkpoint_time"
        ) from None
    if occurred_at.tzinfo is None:
        occurred_at = occurred_at.replace(tzinfo=zone)
    tag = _text(point.get("tag"))
    subtag = _text(point.get("subtag"))
    raw_tag = _text(point.get("raw_tag"))
    milestone, reason = status_for(tag, subtag)
    return milestone_event(
        message,
        {
            "tracking_number": number,
            "carrier_code": slug,
            "milestone": milestone,
            "exception_reason": reason,
            "occurred_at": occurred_at,
            "location": _location(point),
            "raw_code": raw_tag or subtag or tag,
            "raw_text": _text(point.get("message")),
            "proof_of_delivery": proof_of_delivery(milestone, signed_by=signed_by),
        },
        source=SOURCE,
        event_id=derived_id("aftership", number, raw_time, subtag or tag, raw_tag),
        place=place,
    )


def _location(point: Mapping[str, Any]) -> LocationRef | None:
    name = _text(point.get("location")) or None
    city = _text(point.get("city")) or None
    region = _text(point.get("state")) or None
    postal = _text(point.get("zip")) or None
    iso3 = _text(point.get("country_iso3")).upper()
    country = ISO3_TO_ISO2.get(iso3)
    if name is None and iso3 and country is None:
        name = _text(point.get("country_name")) or iso3  # keep the country we cannot code
    if not any((name, city, postal, country)):
        return None
    return LocationRef(
        name=name, city=city, region=region, postal_code=postal, country_code=country
    )


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _naive_zone(settings: Mapping[str, Any]) -> ZoneInfo:
    name = settings.get("naive_checkpoint_timezone", "UTC")
    try:
        return ZoneInfo(str(name))
    except (ZoneInfoNotFoundError, ValueError):
        raise MappingError(
            f"unknown time zone {name!r}", "settings.naive_checkpoint_timezone"
        ) from None
