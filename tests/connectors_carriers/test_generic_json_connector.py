"""Generic JSON carrier connector: settings validation and the declarative mapping.

The payload below is illustrative, written for these tests in the shape many freight
carriers use (a shipment with a list of scan events); it is not any carrier's documented
format.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from pydantic import ValidationError

from crossdock.canonical.registry import validate_event
from crossdock.connectors.base import InboundMessage
from crossdock.connectors.carriers.generic_json import CONNECTOR, UNKNOWN_CODES
from crossdock.connectors.carriers.generic_json.mapping import translate
from crossdock.connectors.carriers.generic_json.settings import GenericCarrierSettings
from crossdock.connectors.generic.signature import GenericVerifier
from crossdock.errors import MappingError

NOW = datetime(2024, 5, 3, 12, 0, tzinfo=UTC)

SETTINGS: dict[str, Any] = {
    "carrier_code": "dhl_freight",
    "events": "shipment.events",
    "fields": {
        "status": "statusCode",
        "text": "description",
        "occurred_at": "timestamp",
        "city": "location.city",
        "country": "location.countryCode",
    },
    "root_fields": {
        "tracking_number": "shipment.trackingId",
        "estimated_delivery_at": "shipment.eta",
    },
    "codes": {
        "PU": "picked_up",
        "TR": "in_transit",
        "OD": "out_for_delivery",
        "DL": "delivered",
        "EX": {"milestone": "exception", "reason": "delayed"},
    },
}

PAYLOAD: dict[str, Any] = {
    "shipment": {
        "trackingId": "JVGL0123456789",
        "eta": "2024-05-03T17:00:00+02:00",
        "events": [
            {
                "statusCode": "PU",
                "description": "Shipment picked up",
                "timestamp": "2024-05-01T09:15:00+02:00",
                "location": {"city": "Hamburg", "countryCode": "de"},
            },
            {
                "statusCode": "EX",
                "description": "Delayed at hub",
                "timestamp": "2024-05-02T03:40:00Z",
                "location": {"city": "Venlo", "countryCode": "NL"},
            },
            {
                "statusCode": "DL",
                "description": "Delivered",
                "timestamp": "2024-05-03T14:05:00+02:00",
            },
        ],
    }
}


def _message(payload: Any = PAYLOAD, partner: str = "dhl-freight") -> InboundMessage:
    return InboundMessage(
        id="msg-1",
        partner=partner,
        headers={},
        body=json.dumps(payload).encode(),
        received_at=NOW,
        correlation_id="corr-1",
    )


def _settings(**changes: Any) -> dict[str, Any]:
    return {**SETTINGS, **changes}


def _locs(exc: ValidationError) -> list[str]:
    return [".".join(map(str, err["loc"])) for err in exc.errors()]


# --- connector ----------------------------------------------------------------------------


def test_connector_declaration() -> None:
    assert CONNECTOR.kind == "generic_carrier"
    assert CONNECTOR.capabilities == frozenset({"receive_webhooks", "poll"})
    assert CONNECTOR.settings_model is GenericCarrierSettings
    assert CONNECTOR.translate is translate
    assert isinstance(
        CONNECTOR.make_verifier(["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"], {}), GenericVerifier
    )


# --- mapping ------------------------------------------------------------------------------


def test_mapping_field_by_field() -> None:
    envelopes = translate(_message(), SETTINGS)
    assert len(envelopes) == 3
    first, second, third = envelopes

    assert first.type == "crossdock.shipment.milestone_recorded.v1"
    assert first.source == "/carriers/dhl-freight"
    assert first.subject == "JVGL0123456789"
    assert first.lanekey == "shipment:JVGL0123456789"
    assert first.partner == "dhl-freight"
    assert first.correlationid == "corr-1"
    assert first.time == datetime(2024, 5, 1, 9, 15, tzinfo=timezone(timedelta(hours=2)))
    data = first.data
    assert data["tracking_number"] == "JVGL0123456789"
    assert data["carrier_code"] == "dhl_freight"
    assert data["milestone"] == "picked_up"
    assert data["exception_reason"] is None
    assert data["raw_code"] == "PU"
    assert data["raw_text"] == "Shipment picked up"
    assert data["location"]["city"] == "Hamburg"
    assert data["location"]["country_code"] == "DE"
    assert datetime.fromisoformat(data["occurred_at"]) == first.time
    assert datetime.fromisoformat(data["estimated_delivery_at"]) == datetime(
        2024, 5, 3, 15, 0, tzinfo=UTC
    )

    assert second.data["milestone"] == "exception"
    assert second.data["exception_reason"] == "delayed"
    assert second.data["location"]["country_code"] == "NL"
    assert second.time == datetime(2024, 5, 2, 3, 40, tzinfo=UTC)

    assert third.data["milestone"] == "delivered"
    assert third.data["location"] is None
    assert third.data["raw_text"] == "Delivered"

    for envelope in envelopes:
        validate_event(envelope)


def test_single_event_body_with_carrier_from_payload() -> None:
    settings = {
        "events": "[@]",
        "fields": {
            "tracking_number": "tracking",
            "status": "code",
            "occurred_at": "at",
            "carrier": "carrier",
        },
        "codes": {"1": "in_transit", "X": "exception"},
    }
    body = {"tracking": 12345, "code": 1, "at": "2024-05-01T10:00:00Z", "carrier": "Acme Freight"}
    (envelope,) = translate(_message(body), settings)
    assert envelope.data["tracking_number"] == "12345"
    assert envelope.data["carrier_code"] == "acme_freight"
    assert envelope.data["milestone"] == "in_transit"
    assert envelope.data["raw_code"] == "1"
    assert envelope.data["raw_text"] == ""
    validate_event(envelope)
    # A bare `exception` gets reason `other`, so the event is still routable.
    (failed,) = translate(_message({**body, "code": "X"}), settings)
    assert (failed.data["milestone"], failed.data["exception_reason"]) == ("exception", "other")
    validate_event(failed)


def test_unknown_code_maps_to_unknown_and_is_counted() -> None:
    payload = json.loads(json.dumps(PAYLOAD))
    payload["shipment"]["events"][0]["statusCode"] = "ZZ9"
    before = UNKNOWN_CODES[("dhl_freight", "ZZ9")]
    envelopes = translate(_message(payload), SETTINGS)
    assert envelopes[0].data["milestone"] == "unknown"
    assert envelopes[0].data["raw_code"] == "ZZ9"
    assert envelopes[0].data["exception_reason"] is None
    assert UNKNOWN_CODES[("dhl_freight", "ZZ9")] == before + 1
    validate_event(envelopes[0])


def test_same_payload_same_ids() -> None:
    first = [e.id for e in translate(_message(), SETTINGS)]
    again = [e.id for e in translate(_message(partner="dhl-freight"), SETTINGS)]
    assert first == again
    assert len(set(first)) == 3
    changed = json.loads(json.dumps(PAYLOAD))
    changed["shipment"]["events"][0]["timestamp"] = "2024-05-01T09:16:00+02:00"
    assert translate(_message(changed), SETTINGS)[0].id != first[0]


def test_naive_time_is_a_mapping_error_with_place() -> None:
    payload = json.loads(json.dumps(PAYLOAD))
    payload["shipment"]["events"][1]["timestamp"] = "2024-05-02T03:40:00"
    with pytest.raises(MappingError) as caught:
        translate(_message(payload), SETTINGS)
    assert caught.value.place == "events[1].occurred_at"
    assert "time zone" in caught.value.detail


def test_missing_tracking_number_is_a_mapping_error_with_place() -> None:
    payload = json.loads(json.dumps(PAYLOAD))
    del payload["shipment"]["trackingId"]
    with pytest.raises(MappingError) as caught:
        translate(_message(payload), SETTINGS)
    assert caught.value.place == "events[0].tracking_number"


def test_missing_status_names_the_event() -> None:
    payload = json.loads(json.dumps(PAYLOAD))
    del payload["shipment"]["events"][2]["statusCode"]
    with pytest.raises(MappingError) as caught:
        translate(_message(payload), SETTINGS)
    assert caught.value.place == "events[2].status"


def test_events_path_not_a_list_and_bad_json() -> None:
    with pytest.raises(MappingError) as caught:
        translate(_message({"shipment": {}}), SETTINGS)
    assert caught.value.place == "events"
    bad = InboundMessage(id="m", partner="p", headers={}, body=b"{nope", received_at=NOW)
    with pytest.raises(MappingError):
        translate(bad, SETTINGS)


# --- settings -----------------------------------------------------------------------------


def test_example_settings_validate() -> None:
    model = GenericCarrierSettings.model_validate(SETTINGS)
    assert model.codes["EX"].reason == "delayed"
    assert model.codes["DL"].milestone == "delivered"


def test_bad_jmespath_rejected_with_place() -> None:
    fields = {**SETTINGS["fields"], "city": "location.[city"}
    with pytest.raises(ValidationError) as caught:
        GenericCarrierSettings.model_validate(_settings(fields=fields))
    assert _locs(caught.value) == ["fields.city"]
    assert "JMESPath" in caught.value.errors()[0]["msg"]
    with pytest.raises(ValidationError) as caught:
        GenericCarrierSettings.model_validate(_settings(events="shipment.events[?"))
    assert _locs(caught.value) == ["events"]


def test_bad_milestone_and_reason_rejected_with_place() -> None:
    codes = {
        **SETTINGS["codes"],
        "DL": "deliverd",
        "EX": {"milestone": "exception", "reason": "aliens"},
        "OK": {"milestone": "delivered", "reason": "delayed"},
    }
    with pytest.raises(ValidationError) as caught:
        GenericCarrierSettings.model_validate(_settings(codes=codes))
    locs = _locs(caught.value)
    assert "codes.DL.milestone" in locs
    assert "codes.EX.reason" in locs
    assert "codes.OK" in locs


def test_unknown_settings_and_missing_required_paths_rejected() -> None:
    with pytest.raises(ValidationError) as caught:
        GenericCarrierSettings.model_validate(_settings(colour="blue"))
    assert _locs(caught.value) == ["colour"]
    fields = {k: v for k, v in SETTINGS["fields"].items() if k != "status"}
    with pytest.raises(ValidationError) as caught:
        GenericCarrierSettings.model_validate(_settings(fields=fields))
    assert "status" in str(caught.value)
    with pytest.raises(ValidationError) as caught:
        GenericCarrierSettings.model_validate(_settings(carrier_code=None))
    assert "carrier" in str(caught.value)
