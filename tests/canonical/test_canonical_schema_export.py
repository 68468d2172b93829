"""Tests for JSON Schema export: valid draft 2020-12 schemas, real documents, stable bytes."""

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from pydantic import BaseModel

from crossdock.canonical import EVENT_TYPES, build_event
from crossdock.canonical.schema_export import export_schemas

DIALECT = "https://json-schema.org/draft/2020-12/schema"


def load(path: Path) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return document


def test_export_writes_one_schema_per_type(tmp_path: Path) -> None:
    written = export_schemas(tmp_path / "schemas")
    names = [path.name for path in written]
    assert names == ["envelope.schema.json"] + [
        f"{event_type}.schema.json" for event_type in sorted(EVENT_TYPES)
    ]
    assert sorted(p.name for p in (tmp_path / "schemas").iterdir()) == sorted(names)
    for path in written:
        schema = load(path)
        jsonschema.Draft202012Validator.check_schema(schema)
        assert schema["$schema"] == DIALECT
        assert schema["title"]
        stem = path.name.removesuffix(".schema.json")
        assert schema["$id"] == f"https://schemas.crossdock.dev/{stem}.json"
        assert path.read_bytes().endswith(b"}\n")


def test_exported_schemas_accept_real_events(
    tmp_path: Path, event_type: str, sample_data: BaseModel
) -> None:
    export_schemas(tmp_path)
    document = build_event(
        event_type, sample_data, source="/tests", correlationid="c-1", partner="acme_wms"
    ).to_cloudevent()
    for name in (f"{event_type}.schema.json", "envelope.schema.json"):
        validator = jsonschema.Draft202012Validator(load(tmp_path / name))
        errors = [error.message for error in validator.iter_errors(document)]
        assert errors == [], name


def test_exported_schemas_reject_wrong_documents(
    tmp_path: Path, event_type: str, sample_data: BaseModel
) -> None:
    export_schemas(tmp_path)
    validator = jsonschema.Draft202012Validator(load(tmp_path / f"{event_type}.schema.json"))
    document = build_event(event_type, sample_data, source="/tests").to_cloudevent()

    other_type = next(name for name in sorted(EVENT_TYPES) if name != event_type)
    assert not validator.is_valid({**document, "type": other_type})
    assert not validator.is_valid({**document, "data": {**document["data"], "extra": 1}})
    assert not validator.is_valid({k: v for k, v in document.items() if k != "time"})


@pytest.mark.parametrize("bad_value", [1.5, "1e3"])
def test_schema_requires_decimal_strings(tmp_path: Path, bad_value: object) -> None:
    export_schemas(tmp_path)
    schema = load(tmp_path / "crossdock.inventory.balance_reported.v1.schema.json")
    balance = {
        "sku": "MUG-RED",
        "location": {"code": "AMS1"},
        "uom": "C62",
        "on_hand": "12.5",
        "available": "10",
        "as_of": "2024-05-03T06:00:00Z",
    }
    event = {
        "specversion": "1.0",
        "id": "1",
        "source": "/wms",
        "type": "crossdock.inventory.balance_reported.v1",
        "time": "2024-05-03T06:00:01Z",
        "schemaversion": 1,
        "data": balance,
    }
    validator = jsonschema.Draft202012Validator(schema)
    assert validator.is_valid(event)
    assert not validator.is_valid({**event, "data": {**balance, "on_hand": bad_value}})


def test_export_is_deterministic(tmp_path: Path) -> None:
    first = export_schemas(tmp_path / "a")
    second = export_schemas(tmp_path / "b")
    assert [p.name for p in first] == [p.name for p in second]
    for left, right in zip(first, second, strict=True):
        assert left.read_bytes() == right.read_bytes()
    # Re-exporting over existing files must not change them either.
    before = {p.name: p.read_bytes() for p in first}
    export_schemas(tmp_path / "a")
    assert {p.name: p.read_bytes() for p in first} == before
