"""Shippo track_updated → milestone envelopes, on Shippo's own documented sample."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import pytest

from crossdock.canonical.event_types import SHIPMENT_MILESTONE_RECORDED_V1
from crossdock.canonical.registry import validate_event
from crossdock.connectors.base import InboundMessage
from crossdock.connectors.carriers.shippo import CONNECTOR
from crossdock.connectors.carriers.shippo.mapping import (
    MISMATCHED_CODES,
    UNKNOWN_CODES,
    classify,
    translate,
)
from crossdock.errors import MappingError
from crossdock.ids import derived_id

FIXTURE = (
    Path(__file__).parent.parent
    / "fixtures/carrier_webhooks/shippo/shippo-track_updated-usps-delivered.json"
)
TRACKING = "9205590164917312751089"


def _message(body: bytes) -> InboundMessage:
    return InboundMessage(
        id="msg-1",
        partner="shippo-main",
        headers={},
        body=body,
        received_at=datetime(2024, 1, 1, tzinfo=UTC),
        correlation_id="corr-1",
    )


def _doc() -> dict[str, Any]:
    document: dict[str, Any] = orjson.loads(FIXTURE.read_bytes())
    return document


def _entry(status: str, code: str | None, date: str, details: str = "x") -> dict[str, Any]:
    return {
        "status": status,
        "substatus": None if code is None else {"code": code, "text": "", "action_required": False},
        "status_date": date,
        "status_details": details,
        "location": {"city": "Reno", "state": "NV", "zip": "89501", "country": "us"},
        "object_id": "string",
    }


def test_fixture_is_the_documented_sample() -> None:
    # The fixture is Shippo's sample verbatim, placeholders and odd status pairing included.
    doc = _doc()
    assert doc["event"] == "track_updated"
    assert doc["data"]["tracking_status"]["object_id"] == "string"
    assert doc["data"]["tracking_status"]["status"] == "DELIVERED"
    assert doc["data"]["tracking_status"]["substatus"]["code"] == "information_received"


def test_real_payload_maps_to_one_delivered_milestone() -> None:
    before = MISMATCHED_CODES["DELIVERED", "information_received"]
    envelopes = translate(_message(FIXTURE.read_bytes()), {})
    # tracking_status repeats the only history entry, so it yields no second envelope.
    assert len(envelopes) == 1
    envelope = envelopes[0]
    assert envelope.type == SHIPMENT_MILESTONE_RECORDED_V1
    assert envelope.source == "/carriers/shippo"
    assert envelope.subject == TRACKING
    assert envelope.lanekey == f"shipment:{TRACKING}"
    assert envelope.partner == "shippo-main"
    assert envelope.correlationid == "corr-1"
    assert envelope.time == datetime(2016, 7, 23, tzinfo=UTC)
    assert envelope.id == derived_id(
        "shippo", TRACKING, "2016-07-23T00:00:00Z", "DELIVERED", "information_received"
    )
    data = envelope.data
    # DELIVERED wins over the substatus Shippo documents under PRE_TRANSIT; the code is kept.
    assert data["milestone"] == "delivered"
    assert data["exception_reason"] is None
    assert data["raw_code"] == "information_received"
    assert data["raw_text"] == "Your shipment has been delivered at the destination mailbox."
    assert data["carrier_code"] == "usps"
    assert data["tracking_number"] == TRACKING
    assert data["estimated_delivery_at"].startswith("2019-08-24T14:15:22")
    assert data["location"] == {
        "code": None,
        "name": None,
        "city": "Las Vegas",
        "region": "NV",
        "postal_code": "89101",
        "country_code": "US",
    }
    # The placeholder "string" object_id / transaction values leak nowhere.
    assert "string" not in orjson.dumps(data).decode().replace("substring", "")
    assert MISMATCHED_CODES["DELIVERED", "information_received"] == before + 1
    validate_event(envelope)


def test_history_and_new_status_each_become_an_envelope() -> None:
    doc = _doc()
    doc["data"]["carrier"] = "USPS"
    doc["data"]["tracking_history"] = [
        _entry("PRE_TRANSIT", "information_received", "2024-03-01T08:00:00Z"),
        _entry("TRANSIT", "package_departed", "2024-03-02T09:30:00+02:00"),
        _entry("TRANSIT", "address_issue", "2024-03-03T10:00:00Z"),
        _entry("FAILURE", "package_lost", "2024-03-04T10:00:00Z"),
        _entry("TRANSIT", None, "2018-07-29T16:44:42.586"),
    ]
    doc["data"]["tracking_status"] = _entry("RETURNED", "package_unclaimed", "2024-03-05T10:00:00Z")
    envelopes = translate(_message(orjson.dumps(doc)), {})
    got = [(e.data["milestone"], e.data["exception_reason"], e.data["raw_code"]) for e in envelopes]
    assert got == [
        ("info_received", None, "information_received"),
        ("in_transit", None, "package_departed"),
        ("exception", "address", "address_issue"),
        ("exception", "lost", "package_lost"),
        ("in_transit", None, "TRANSIT"),
        ("returned_to_sender", "recipient_unavailable", "package_unclaimed"),
    ]
    assert {e.data["carrier_code"] for e in envelopes} == {"usps"}
    assert envelopes[1].data["occurred_at"] == "2024-03-02T09:30:00+02:00"
    # A naive Shippo timestamp (test-mode samples) is read as UTC.
    assert envelopes[4].time == datetime(2018, 7, 29, 16, 44, 42, 586000, tzinfo=UTC)
    assert envelopes[0].data["location"]["country_code"] == "US"
    for envelope in envelopes:
        validate_event(envelope)


def test_remapping_and_resending_keep_ids() -> None:
    doc = _doc()
    first = _entry("TRANSIT", "package_arrived", "2024-03-02T09:30:00Z")
    doc["data"]["tracking_history"] = [first]
    doc["data"]["tracking_status"] = first
    earlier = [e.id for e in translate(_message(orjson.dumps(doc)), {})]
    assert earlier == [e.id for e in translate(_message(orjson.dumps(doc)), {})]
    # The same scan resent in a later webhook, alongside a new one, keeps its id.
    second = _entry("TRANSIT", "out_for_delivery", "2024-03-03T07:00:00Z")
    doc["data"]["tracking_history"] = [first, second]
    doc["data"]["tracking_status"] = second
    later = translate(_message(orjson.dumps(doc)), {})
    assert later[0].id == earlier[0]
    assert len(later) == 2
    assert later[1].data["milestone"] == "out_for_delivery"


def test_unknown_status_maps_to_unknown_and_is_counted() -> None:
    doc = _doc()
    doc["data"]["tracking_history"] = [_entry("LOST_IN_SPACE", None, "2024-03-02T09:30:00Z")]
    doc["data"]["tracking_status"] = _entry("TRANSIT", "teleported", "2024-03-03T09:30:00Z")
    status_before = UNKNOWN_CODES["status", "LOST_IN_SPACE"]
    sub_before = UNKNOWN_CODES["substatus", "teleported"]
    envelopes = translate(_message(orjson.dumps(doc)), {})
    assert envelopes[0].data["milestone"] == "unknown"
    assert envelopes[0].data["raw_code"] == "LOST_IN_SPACE"
    # An unknown substatus keeps what its known status says.
    assert envelopes[1].data["milestone"] == "in_transit"
    assert envelopes[1].data["raw_code"] == "teleported"
    assert UNKNOWN_CODES["status", "LOST_IN_SPACE"] == status_before + 1
    assert UNKNOWN_CODES["substatus", "teleported"] == sub_before + 1
    for envelope in envelopes:
        validate_event(envelope)


def test_undated_entry_is_skipped_not_fatal() -> None:
    doc = _doc()
    doc["data"]["tracking_history"] = []
    doc["data"]["tracking_status"] = _entry("UNKNOWN", None, "")
    assert translate(_message(orjson.dumps(doc)), {}) == []


@pytest.mark.parametrize(
    ("status", "code", "expected"),
    [
        ("TRANSIT", "notice_left", ("delivery_attempted", "recipient_unavailable")),
        ("TRANSIT", "delivery_attempted", ("delivery_attempted", None)),
        ("TRANSIT", "pickup_available", ("available_for_pickup", None)),
        ("TRANSIT", "package_accepted", ("picked_up", None)),
        ("TRANSIT", "package_damaged", ("exception", "damaged")),
        ("TRANSIT", "delayed", ("exception", "delayed")),
        ("DELIVERED", "delivered", ("delivered", None)),
        ("FAILURE", None, ("exception", "other")),
        ("UNKNOWN", "other", ("unknown", None)),
    ],
)
def test_classify(status: str, code: str | None, expected: tuple[str, str | None]) -> None:
    milestone, reason = classify(status, code or "")
    assert (milestone.value, reason.value if reason else None) == expected


@pytest.mark.parametrize(
    ("change", "place"),
    [
        (lambda d: d.update(event="transaction_created"), "event"),
        (lambda d: d["data"].update(tracking_number=""), "data.tracking_number"),
        (lambda d: d["data"].update(carrier="US PS!"), "data.carrier"),
        (lambda d: d.update(data=[]), "data"),
    ],
)
def test_bad_payloads_raise_mapping_error(change: Any, place: str) -> None:
    doc = copy.deepcopy(_doc())
    change(doc)
    with pytest.raises(MappingError) as caught:
        translate(_message(orjson.dumps(doc)), {})
    assert caught.value.place == place


def test_connector_declaration() -> None:
    assert CONNECTOR.kind == "shippo"
    assert CONNECTOR.capabilities == frozenset({"receive_webhooks", "poll"})
    assert CONNECTOR.translate is translate
