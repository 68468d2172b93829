"""Versioned contracts: events against their schema version, declared versions, and the diff of
two schema sets naming what breaks a reader."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import pytest

from crossdock.canonical.contract_diff import diff_sets, load_schema_set
from crossdock.canonical.contract_validation import schema_errors
from crossdock.canonical.contracts import check_declared
from crossdock.canonical.event_types import ORDER_CONFIRMED_V1, SHIPMENT_MILESTONE_RECORDED_V1
from crossdock.canonical.registry import EVENT_TYPES
from crossdock.canonical.schema_export import export_schemas
from crossdock.connectors.base import InboundMessage
from crossdock.connectors.catalog import CONNECTORS
from crossdock.connectors.generic.mapping import translate
from crossdock.errors import MappingError
from crossdock.sandbox.generic_partner import (
    inventory,
    milestone,
    order_confirmed,
    shipment_created,
)
from support.cli import invoke

AT = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
ORDER_FILE = f"{ORDER_CONFIRMED_V1}.schema.json"


def translated(document: dict[str, Any]) -> dict[str, Any]:
    message = InboundMessage(
        id="m-1", partner="acme", headers={}, body=orjson.dumps(document), received_at=AT
    )
    (envelope,) = translate(message, {})
    return envelope.to_cloudevent()


@pytest.mark.parametrize(
    "document",
    [order_confirmed(1, AT), shipment_created(2, AT), milestone(3, 2, AT), inventory(4, AT)],
    ids=["order", "shipment", "milestone", "inventory"],
)
def test_mapped_events_conform_to_the_published_schema_of_their_version(
    document: dict[str, Any],
) -> None:
    assert schema_errors(translated(document)) == []


def test_a_nonconforming_event_is_told_where() -> None:
    event = translated(order_confirmed(1, AT))
    del event["data"]["lines"][0]["sku"]
    event["data"]["currency"] = 12
    problems = schema_errors(event)
    assert any(p.startswith("data.currency:") for p in problems), problems
    assert any(p.startswith("data.lines.0:") and "'sku'" in p for p in problems), problems
    assert schema_errors({**event, "type": "crossdock.order.confirmed.v9"})[0].startswith("type:")


def test_every_connector_declares_registered_versions_and_translate_enforces_them() -> None:
    for kind, connector in CONNECTORS.items():
        assert connector.produces is not None, f"{kind} declares no contract"
        assert connector.produces <= set(EVENT_TYPES), kind
    carrier = CONNECTORS["easypost"]
    envelope = translate(
        InboundMessage(
            id="m",
            partner="p",
            headers={},
            body=orjson.dumps(order_confirmed(1, AT)),
            received_at=AT,
        ),
        {},
    )
    assert SHIPMENT_MILESTONE_RECORDED_V1 in (carrier.produces or ())
    with pytest.raises(MappingError, match=r"produced crossdock\.order\.confirmed\.v1"):
        check_declared(carrier.kind, carrier.produces, envelope)


def edit(directory: Path, name: str, change: Any) -> None:
    path = directory / name
    document = json.loads(path.read_text())
    change(document)
    path.write_text(json.dumps(document))


def test_diff_names_breaking_and_non_breaking_changes(tmp_path: Path) -> None:
    old, new = tmp_path / "old", tmp_path / "new"
    export_schemas(old)
    shutil.copytree(old, new)
    assert diff_sets(load_schema_set(old), load_schema_set(new)) == []

    def change_order(schema: dict[str, Any]) -> None:
        defs = schema["$defs"]
        party = defs["Party"]
        del party["properties"]["email"]
        party["properties"]["vat_number"] = {"type": "string"}
        party["properties"]["tax_office"] = {"type": "string"}
        party["required"].append("tax_office")
        defs["Order"]["properties"]["currency"] = {"type": "integer"}

    edit(new, ORDER_FILE, change_order)
    (new / f"{SHIPMENT_MILESTONE_RECORDED_V1}.schema.json").unlink()
    shutil.copy(new / ORDER_FILE, new / "crossdock.order.confirmed.v2.schema.json")

    changes = {
        (c.severity, c.contract, c.path, c.what)
        for c in diff_sets(load_schema_set(old), load_schema_set(new))
    }
    order = ORDER_CONFIRMED_V1
    assert (
        "breaking",
        SHIPMENT_MILESTONE_RECORDED_V1,
        "(contract)",
        "event type removed",
    ) in changes
    assert (
        "non-breaking",
        "crossdock.order.confirmed.v2",
        "(contract)",
        "new event type",
    ) in changes
    assert ("breaking", order, "data.ship_to.email", "field removed") in changes
    assert ("non-breaking", order, "data.ship_to.vat_number", "new optional field") in changes
    assert ("breaking", order, "data.ship_to.tax_office", "new required field") in changes
    assert any(
        c[0] == "breaking" and c[2] == "data.currency" and c[3].startswith("type changed")
        for c in changes
    )


def test_diff_of_enum_values_and_constraints(tmp_path: Path) -> None:
    old, new = tmp_path / "old", tmp_path / "new"
    export_schemas(old)
    shutil.copytree(old, new)
    name = f"{SHIPMENT_MILESTONE_RECORDED_V1}.schema.json"
    milestones = json.loads((old / name).read_text())["$defs"]["Milestone"]["enum"]

    def change(schema: dict[str, Any]) -> None:
        schema["$defs"]["Milestone"]["enum"] = [*milestones[1:], "teleported"]
        schema["$defs"]["TrackingMilestone"]["properties"]["tracking_number"]["maxLength"] = 20

    edit(new, name, change)
    changes = [
        (c.severity, c.path, c.what) for c in diff_sets(load_schema_set(old), load_schema_set(new))
    ]
    assert ("breaking", "data.milestone", f"values removed: {milestones[:1]}") in changes
    assert ("non-breaking", "data.milestone", "values added: ['teleported']") in changes
    assert any(c[0] == "breaking" and c[1] == "data.tracking_number" for c in changes), changes


def test_cli_diff_and_validate(tmp_path: Path) -> None:
    old, new = tmp_path / "old", tmp_path / "new"
    export_schemas(old)
    shutil.copytree(old, new)
    same = invoke("contracts", "diff", str(old), str(new))
    assert same.exit_code == 0 and "0 breaking" in same.output

    def optional_only(schema: dict[str, Any]) -> None:
        schema["$defs"]["Party"]["properties"]["vat_number"] = {"type": "string"}

    edit(new, ORDER_FILE, optional_only)
    fine = invoke("contracts", "diff", str(old), str(new))
    assert fine.exit_code == 0, fine.output
    assert "non-breaking crossdock.order.confirmed.v1 data.ship_to.vat_number" in fine.output

    edit(new, ORDER_FILE, lambda s: s["$defs"]["Party"]["properties"].pop("email"))
    broken = invoke("contracts", "diff", str(old), str(new), "--json")
    assert broken.exit_code == 1
    lines = [json.loads(line) for line in broken.stdout.splitlines()]
    assert {"severity": "breaking", "path": "data.ship_to.email", "what": "field removed"} in [
        {key: line[key] for key in ("severity", "path", "what")} for line in lines
    ]
    assert invoke("contracts", "diff", str(old), str(tmp_path / "nowhere")).exit_code == 1

    events = tmp_path / "events.jsonl"
    good = translated(order_confirmed(1, AT))
    bad = {**good, "data": {**good["data"], "currency": 1}}
    events.write_bytes(orjson.dumps(good) + b"\n" + orjson.dumps(bad) + b"\n")
    checked = invoke("contracts", "validate", str(events))
    assert checked.exit_code == 1
    assert f"{events}:2: data.currency:" in checked.stderr
    assert "1 of 2 event(s) conform" in checked.stdout
    listed = invoke("contracts", "list")
    assert "crossdock.shipment.milestone_recorded.v1" in listed.output
