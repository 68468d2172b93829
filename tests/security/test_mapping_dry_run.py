"""`crossdock mappings test`: a changed generic JSON carrier mapping replayed, dry, on the
partner's stored messages; per event type what would change, which fields, with examples."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import func, select

from crossdock.canonical.envelope import Envelope
from crossdock.clock import FrozenClock
from crossdock.config import Config
from crossdock.connectors.base import InboundMessage
from crossdock.connectors.carriers import generic_json as generic_carrier
from crossdock.ids import new_id
from crossdock.pipeline.dry_run import (
    CandidateError,
    MappingUnderTest,
    candidate_from_reference,
    compare,
)
from crossdock.pipeline.translate import translate_job_factory
from crossdock.runtime import Runtime
from crossdock.store.inbox import IncomingMessage
from crossdock.store.schema import events, jobs
from support.cli import invoke, write_config

NOW = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)
PARTNER = "freight"
SETTINGS: dict[str, Any] = {
    "carrier_code": "dhl_freight",
    "events": "shipment.events",
    "fields": {
        "status": "statusCode",
        "occurred_at": "timestamp",
        "city": "location.city",
    },
    "root_fields": {"tracking_number": "shipment.trackingId"},
    "codes": {"PU": "picked_up", "TR": "in_transit", "OD": "in_transit", "DL": "delivered"},
}


def payload(number: int, *codes: str) -> bytes:
    scans = [
        {
            "statusCode": code,
            "timestamp": f"2026-12-0{1 + index}T09:00:00Z",
            "location": {"city": "Venlo", "town": "Venlo-Blerick"},
        }
        for index, code in enumerate(codes)
    ]
    return json.dumps({"shipment": {"trackingId": f"JV{number:08d}", "events": scans}}).encode()


def store(runtime: Runtime, body: bytes, received: datetime) -> None:
    message = IncomingMessage(
        id=new_id(),
        partner=PARTNER,
        dedup_key=new_id(),
        received_at=received,
        headers={},
        body=body,
        content_type="application/json",
    )
    runtime.inbox.ingest([message], translate_job_factory(runtime.partners))


def test_a_changed_code_table_and_field_path_are_reported_per_field(
    db_url: str, tmp_path: Path
) -> None:
    data = {
        "database": {"url": db_url},
        "partners": [{"id": PARTNER, "kind": "generic_carrier", "settings": SETTINGS}],
    }
    config = write_config(tmp_path / "crossdock.yaml", data)
    runtime = Runtime.build(Config.model_validate(data), FrozenClock(NOW))
    try:
        assert invoke("db", "upgrade", "-c", str(config)).exit_code == 0
        store(runtime, payload(1, "PU", "OD"), NOW - timedelta(days=1))
        store(runtime, payload(2, "PU", "TR", "OD", "DL"), NOW - timedelta(days=2))
        store(runtime, payload(3, "OD"), NOW - timedelta(days=30))  # outside --since
        store(runtime, payload(4, "XX"), NOW - timedelta(days=1))  # unknown code: kept, mapped
        store(runtime, b'{"shipment": {"events": [{"statusCode": "PU"}]}}', NOW)  # never maps

        changed = {
            **SETTINGS,
            "fields": {**SETTINGS["fields"], "city": "location.town"},
            "codes": {**SETTINGS["codes"], "OD": "out_for_delivery"},
        }
        mapping = tmp_path / "mapping.yaml"
        mapping.write_text(yaml.safe_dump(changed), encoding="utf-8")
        with runtime.store.engine.connect() as conn:
            before = (
                conn.execute(select(func.count()).select_from(events)).scalar_one(),
                conn.execute(select(func.count()).select_from(jobs)).scalar_one(),
            )
        args = ["mappings", "test", "--partner", PARTNER, "--mapping", str(mapping)]
        result = invoke(*args, "--since", "2026-11-27T00:00:00Z", "-c", str(config))
        assert result.exit_code == 0, result.output
        assert "4 stored message(s) of freight replayed" in result.output
        assert "data.milestone: 2 event(s)" in result.output
        assert "'in_transit' → 'out_for_delivery'" in result.output
        assert "data.location.city: 7 event(s)" in result.output
        assert "'Venlo' → 'Venlo-Blerick'" in result.output
        assert "1 message(s) fail with both mappings" in result.output

        report = json.loads(invoke(*args, "--json", "-c", str(config)).stdout)
        (kind,) = report["event_types"].values()
        assert kind["events"] == 8 and kind["changed"] == 8
        assert kind["fields"]["data.milestone"] == 3
        with runtime.store.engine.connect() as conn:
            after = (
                conn.execute(select(func.count()).select_from(events)).scalar_one(),
                conn.execute(select(func.count()).select_from(jobs)).scalar_one(),
            )
        assert after == before, "a dry run writes nothing"
    finally:
        runtime.store.dispose()


def test_a_mapping_that_would_stop_mapping_and_a_bad_mapping_file(
    sqlite_url: str, tmp_path: Path
) -> None:
    data = {
        "database": {"url": sqlite_url},
        "partners": [{"id": PARTNER, "kind": "generic_carrier", "settings": SETTINGS}],
    }
    config = str(write_config(tmp_path / "crossdock.yaml", data))
    runtime = Runtime.build(Config.model_validate(data), FrozenClock(NOW))
    try:
        assert invoke("db", "upgrade", "-c", config).exit_code == 0
        store(runtime, payload(1, "PU"), NOW)
        broken = tmp_path / "broken.yaml"
        broken.write_text(
            yaml.safe_dump({**SETTINGS, "fields": {**SETTINGS["fields"], "occurred_at": "when"}})
        )
        result = invoke(
            "mappings", "test", "--partner", PARTNER, "--mapping", str(broken), "-c", config
        )
        assert result.exit_code == 0
        assert "1 message(s) would no longer map" in result.output

        invalid = tmp_path / "invalid.yaml"
        invalid.write_text(yaml.safe_dump({**SETTINGS, "codes": {"PU": "teleported"}}))
        refused = invoke(
            "mappings", "test", "--partner", PARTNER, "--mapping", str(invalid), "-c", config
        )
        assert refused.exit_code == 1
        assert "codes.PU" in refused.output
        unknown = invoke(
            "mappings", "test", "--partner", "nobody", "--mapping", str(invalid), "-c", config
        )
        assert unknown.exit_code == 1 and "no partner 'nobody'" in unknown.output
    finally:
        runtime.store.dispose()


def translate_without_deliveries(
    message: InboundMessage, settings: Mapping[str, Any]
) -> list[Envelope]:
    """A code mapping under test: the generic carrier's, dropping delivered scans."""
    produced = generic_carrier.translate(message, settings)
    return [envelope for envelope in produced if envelope.data["milestone"] != "delivered"]


def test_a_mapping_in_code_is_compared_event_by_event() -> None:
    message = InboundMessage(
        id="m-1", partner=PARTNER, headers={}, body=payload(1, "PU", "DL"), received_at=NOW
    )
    current = MappingUnderTest(generic_carrier.translate, SETTINGS)
    candidate = candidate_from_reference(
        "tests.security.test_mapping_dry_run:translate_without_deliveries", SETTINGS
    )
    report = compare([message], current, candidate)
    (kind,) = report.by_type.values()
    assert (kind.events, kind.changed, kind.removed, kind.added) == (2, 0, 1, 0)
    with pytest.raises(CandidateError, match="has no function 'nothing'"):
        candidate_from_reference("tests.security.test_mapping_dry_run:nothing", SETTINGS)
