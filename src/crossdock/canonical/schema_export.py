"""Export JSON Schemas (draft 2020-12) for the envelope and every registered event type."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from crossdock.canonical.envelope import Envelope
from crossdock.canonical.event_types import parse_event_type
from crossdock.canonical.registry import data_model_for, registered_event_types

JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_BASE_URL = "https://schemas.crossdock.dev/"
ENVELOPE_SCHEMA_FILE = "envelope.schema.json"


def envelope_schema() -> dict[str, Any]:
    """JSON Schema of the envelope with ``data`` left as any JSON object."""
    schema = Envelope.model_json_schema()
    return {
        "$schema": JSON_SCHEMA_DIALECT,
        "$id": f"{SCHEMA_BASE_URL}envelope.json",
        **schema,
        "title": "Crossdock CloudEvents envelope",
    }


def event_schema(event_type: str) -> dict[str, Any]:
    """JSON Schema of a full event: the envelope with ``type`` fixed and ``data`` typed."""
    model = data_model_for(event_type)
    major = parse_event_type(event_type).major
    schema = copy.deepcopy(Envelope.model_json_schema())
    data_schema = model.model_json_schema()
    model_defs: dict[str, Any] = data_schema.pop("$defs", {})
    definitions: dict[str, Any] = schema.setdefault("$defs", {})
    for name, definition in {**model_defs, model.__name__: data_schema}.items():
        # Envelope and data share one $defs namespace; a clash would silently
        # point a $ref at the wrong definition.
        if name in definitions and definitions[name] != definition:
            raise ValueError(f"schema definition {name!r} is defined twice for {event_type!r}")
        definitions[name] = definition
    properties = schema["properties"]
    properties["type"] = {**properties["type"], "const": event_type}
    properties["schemaversion"] = {**properties["schemaversion"], "const": major}
    properties["data"] = {"$ref": f"#/$defs/{model.__name__}"}
    return {
        "$schema": JSON_SCHEMA_DIALECT,
        "$id": f"{SCHEMA_BASE_URL}{event_type}.json",
        **schema,
        "title": event_type,
    }


def _write_json(path: Path, document: dict[str, Any]) -> None:
    # Sorted keys, fixed indentation and a trailing newline make re-exports byte-identical,
    # so a changed schema shows up as a real diff in review.
    text = json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    path.write_bytes(text.encode("utf-8"))


def export_schemas(directory: Path) -> list[Path]:
    """Write ``envelope.schema.json`` and one ``<event type>.schema.json`` per event type.

    Creates ``directory`` if needed and returns the written paths, envelope first.
    """
    directory.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    envelope_path = directory / ENVELOPE_SCHEMA_FILE
    _write_json(envelope_path, envelope_schema())
    written.append(envelope_path)
    for event_type in registered_event_types():
        path = directory / f"{event_type}.schema.json"
        _write_json(path, event_schema(event_type))
        written.append(path)
    return written
