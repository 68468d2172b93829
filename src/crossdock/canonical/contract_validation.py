"""Events checked against the JSON Schema of their type and version.

The schemas are the ones `crossdock schema export` publishes to partners (schema_export.py),
so a document that passes here passes a partner's own validator, and the other way round.
"""

from __future__ import annotations

import functools
from typing import Any

from jsonschema import Draft202012Validator

from crossdock.canonical.registry import EVENT_TYPES
from crossdock.canonical.schema_export import event_schema


@functools.cache
def _validator(event_type: str) -> Draft202012Validator:
    return Draft202012Validator(event_schema(event_type))


def schema_errors(document: Any) -> list[str]:
    """What makes `document` (a CloudEvent as JSON) break the contract of its type and
    version, each as `path: message`; empty when it conforms."""
    if not isinstance(document, dict):
        return [f"(top level): an event is a JSON object, not {type(document).__name__}"]
    event_type = document.get("type")
    if not isinstance(event_type, str) or event_type not in EVENT_TYPES:
        known = ", ".join(sorted(EVENT_TYPES))
        return [f"type: {event_type!r} is not a registered event type and version ({known})"]
    found = sorted(_validator(event_type).iter_errors(document), key=lambda e: list(e.path))
    return [
        f"{'.'.join(str(p) for p in error.path) or '(top level)'}: {error.message}"
        for error in found
    ]
