"""Pure mapping: a generic partner's body (one CloudEvent or a batch of them) → envelopes.

The partner may leave out what Crossdock can fill in: `id` (derived from the stored message,
so a replayed translation yields the same ids), `source`, `specversion` and `schemaversion`.
`partner` is always the sender, whatever the body says, so no partner can speak for another.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson

from crossdock.canonical.envelope import Envelope
from crossdock.canonical.errors import InvalidEnvelope, InvalidEventData, UnknownEventType
from crossdock.canonical.event_types import parse_event_type
from crossdock.canonical.registry import validate_event
from crossdock.connectors.base import InboundMessage
from crossdock.errors import MappingError
from crossdock.ids import derived_id


def translate(message: InboundMessage, settings: Mapping[str, Any]) -> list[Envelope]:
    try:
        document = orjson.loads(message.body)
    except orjson.JSONDecodeError as exc:
        raise MappingError(f"body is not valid JSON: {exc}") from None
    items = document if isinstance(document, list) else [document]
    if not items:
        raise MappingError("the batch holds no event", "(body)")
    return [_envelope(message, index, item, len(items) > 1) for index, item in enumerate(items)]


def _envelope(message: InboundMessage, index: int, item: Any, batch: bool) -> Envelope:
    place = f"[{index}]" if batch else ""
    if not isinstance(item, dict):
        raise MappingError(f"an event must be a JSON object, not {type(item).__name__}", place)
    event_type = item.get("type")
    if not isinstance(event_type, str):
        raise MappingError("type is required and must be a string", _join(place, "type"))
    try:
        major = parse_event_type(event_type).major
    except ValueError as exc:
        raise MappingError(str(exc), _join(place, "type")) from None
    filled = {
        "specversion": "1.0",
        "id": derived_id(message.id, str(index)),
        "source": f"/partners/{message.partner}",
        "schemaversion": major,
        "correlationid": message.correlation_id,
        **item,
        "partner": message.partner,
    }
    if "lanekey" not in item and isinstance(item.get("subject"), str):
        filled["lanekey"] = f"{parse_event_type(event_type).domain}:{item['subject']}"
    try:
        envelope = Envelope.from_cloudevent(filled)
        validate_event(envelope)
    except InvalidEventData as exc:
        problems = "; ".join(
            f"{_join(place, 'data', *map(str, err['loc']))}: {err['msg']}"
            for err in exc.validation_error.errors()
        )
        raise MappingError(problems) from None
    except (InvalidEnvelope, UnknownEventType) as exc:
        raise MappingError(str(exc), place) from None
    return envelope


def _join(*parts: str) -> str:
    return ".".join(part for part in parts if part).replace(".[", "[")
