"""EasyPost connector: signature, code table and mapping on EasyPost's own fixture."""

from __future__ import annotations

import hashlib
import hmac
import json
import unicodedata
from datetime import UTC, datetime
from pathlib import Path

import pytest

from crossdock.canonical.registry import validate_event
from crossdock.connectors.base import InboundMessage, WebhookRequest
from crossdock.connectors.carriers.easypost import CONNECTOR, codes
from crossdock.connectors.carriers.easypost.mapping import translate
from crossdock.errors import MappingError
from crossdock.security.standard_webhooks import SignatureError

FIXTURE = (
    Path(__file__).parent.parent
    / "fixtures/carrier_webhooks/easypost/easypost-tracker_updated-fedex-fixture.json"
)
BODY = FIXTURE.read_bytes()
NOW = datetime(2024, 8, 2, 19, 27, tzinfo=UTC)


def _signature(body: bytes, secret: str) -> str:
    # EasyPost's documented scheme, computed independently of the connector's code.
    key = unicodedata.normalize("NFKD", secret).encode("utf-8")
    return "hmac-sha256-hex=" + hmac.new(key, body, hashlib.sha256).hexdigest()


def _request(body: bytes, signature: str | None) -> WebhookRequest:
    headers = {"content-type": "application/json"}
    if signature is not None:
        headers["x-hmac-signature"] = signature
    return WebhookRequest(headers=headers, body=body)


def _message(body: bytes = BODY) -> InboundMessage:
    return InboundMessage(
        id="msg-1", partner="easypost-main", headers={}, body=body, received_at=NOW
    )


# --- signature ---------------------------------------------------------------------------


def test_known_good_signature_on_fixture_returns_event_id() -> None:
    verifier = CONNECTOR.make_verifier(["whsec-easypost"], {})
    assert verifier.verify(_request(BODY, _signature(BODY, "whsec-easypost")), NOW) == "evt_1"


def test_signature_literal_vector() -> None:
    # Pinned value, so a change to the scheme (key encoding, digest) cannot pass silently.
    expected = "hmac-sha256-hex=" + hmac.new(b"s\xc3\xa9cret", BODY, hashlib.sha256).hexdigest()
    nfkd = "hmac-sha256-hex=044558adfe9c4781bc7c72cd65c57c7185673ac9c03669d3a493caafaff2ef44"
    assert _signature(BODY, "s\u00e9cret") == nfkd != expected
    verifier = CONNECTOR.make_verifier(["s\u00e9cret"], {})
    assert verifier.verify(_request(BODY, nfkd), NOW) == "evt_1"
    with pytest.raises(SignatureError):
        verifier.verify(_request(BODY, expected), NOW)  # precomposed é, not NFKD


def test_nfkd_secret_precomposed_and_decomposed_both_verify() -> None:
    precomposed, decomposed = "s\u00e9cret", "se\u0301cret"
    assert precomposed != decomposed
    signed = _signature(BODY, decomposed)
    assert CONNECTOR.make_verifier([precomposed], {}).verify(_request(BODY, signed), NOW)
    assert CONNECTOR.make_verifier([decomposed], {}).verify(_request(BODY, signed), NOW)


def test_uppercase_hex_and_header_case_accepted() -> None:
    signed = _signature(BODY, "k")
    upper = "hmac-sha256-hex=" + signed.split("=", 1)[1].upper()
    request = WebhookRequest(headers={"X-Hmac-Signature": upper}, body=BODY)
    assert CONNECTOR.make_verifier(["k"], {}).verify(request, NOW) == "evt_1"


def test_tampered_body_fails() -> None:
    signed = _signature(BODY, "whsec-easypost")
    tampered = BODY.replace(b'"ORLANDO"', b'"ORLAND0"', 1)
    assert tampered != BODY
    with pytest.raises(SignatureError) as caught:
        CONNECTOR.make_verifier(["whsec-easypost"], {}).verify(_request(tampered, signed), NOW)
    assert "does not match the body" in caught.value.detail


def test_wrong_secret_fails() -> None:
    with pytest.raises(SignatureError) as caught:
        CONNECTOR.make_verifier(["right"], {}).verify(
            _request(BODY, _signature(BODY, "wrong")), NOW
        )
    assert "does not match the body for any configured webhook secret" in caught.value.detail


def test_rotation_accepts_any_configured_secret() -> None:
    verifier = CONNECTOR.make_verifier(["new-secret", "old-secret"], {})
    assert verifier.verify(_request(BODY, _signature(BODY, "old-secret")), NOW) == "evt_1"
    assert verifier.verify(_request(BODY, _signature(BODY, "new-secret")), NOW) == "evt_1"


def test_missing_and_malformed_header() -> None:
    verifier = CONNECTOR.make_verifier(["k"], {})
    with pytest.raises(SignatureError) as missing:
        verifier.verify(_request(BODY, None), NOW)
    assert missing.value.detail == "missing X-Hmac-Signature header"
    with pytest.raises(SignatureError) as malformed:
        verifier.verify(_request(BODY, "sha256=abc"), NOW)
    assert "hmac-sha256-hex=" in malformed.value.detail


def test_signed_body_without_event_id_fails() -> None:
    body = b'{"description":"tracker.updated"}'
    with pytest.raises(SignatureError) as caught:
        CONNECTOR.make_verifier(["k"], {}).verify(_request(body, _signature(body, "k")), NOW)
    assert "Event 'id'" in caught.value.detail


def test_no_secret_is_refused() -> None:
    with pytest.raises(ValueError, match="secret"):
        CONNECTOR.make_verifier([], {})


# --- mapping -----------------------------------------------------------------------------


def test_fixture_maps_every_history_entry() -> None:
    envelopes = translate(_message(), {})
    assert len(envelopes) == 7
    data = [e.data for e in envelopes]
    assert [d["milestone"] for d in data] == ["info_received"] + ["in_transit"] * 6
    assert [d["raw_code"] for d in data] == [
        "label_created",
        "arrived_at_facility",
        "arrived_at_facility",
        "departed_facility",
        "unknown",
        "unknown",
        "arrived_at_facility",
    ]
    for envelope in envelopes:
        model = validate_event(envelope)
        assert model.model_dump()["carrier_code"] == "fedex"
        assert envelope.type == "crossdock.shipment.milestone_recorded.v1"
        assert envelope.subject == "1"
        assert envelope.lanekey == "shipment:1"
        assert envelope.source == "/carriers/easypost"
        assert envelope.partner == "easypost-main"
        assert envelope.time == datetime.fromisoformat(envelope.data["occurred_at"])
        assert envelope.data["exception_reason"] is None


def test_first_and_fourth_entries_in_detail() -> None:
    envelopes = translate(_message(), {})
    first = validate_event(envelopes[0]).model_dump()
    assert first["tracking_number"] == "1"
    assert first["occurred_at"] == datetime(2024, 7, 31, 15, 0, tzinfo=UTC)
    assert first["occurred_at"].tzinfo is not None
    assert first["raw_text"] == "Shipment information sent to FedEx"
    assert first["location"] == {
        "code": None,
        "name": None,
        "city": None,
        "region": None,
        "postal_code": "32837",
        "country_code": "US",
    }
    assert first["estimated_delivery_at"] == datetime(2024, 8, 5, tzinfo=UTC)
    fourth = validate_event(envelopes[3]).model_dump()
    assert fourth["occurred_at"] == datetime(2024, 8, 1, 14, 42, 13, tzinfo=UTC)
    assert fourth["raw_code"] == "departed_facility"
    assert fourth["raw_text"] == "Departed FedEx location"
    assert fourth["location"]["city"] == "ORLANDO"
    assert fourth["location"]["region"] == "FL"
    assert fourth["location"]["postal_code"] == "32809"
    last = validate_event(envelopes[6]).model_dump()
    assert last["location"]["city"] == "EDISON"
    assert last["location"]["region"] == "NJ"
    assert last["location"]["postal_code"] == "08817"


def test_remapping_gives_same_ids_and_ids_are_distinct() -> None:
    first = [e.id for e in translate(_message(), {})]
    again = [e.id for e in translate(_message(), {})]
    assert first == again
    assert len(set(first)) == 7


def test_entry_resent_in_later_webhook_keeps_its_id() -> None:
    event = json.loads(BODY)
    event["id"] = "evt_2"
    event["result"]["tracking_details"] = event["result"]["tracking_details"][:3]
    later = translate(
        InboundMessage(
            id="msg-2",
            partner="easypost-main",
            headers={},
            body=json.dumps(event).encode(),
            received_at=NOW,
        ),
        {},
    )
    original = translate(_message(), {})
    assert [e.id for e in later] == [e.id for e in original[:3]]


def _with_detail(status: str, status_detail: str | None) -> bytes:
    event = json.loads(BODY)
    entry = event["result"]["tracking_details"][0]
    entry["status"] = status
    entry["status_detail"] = status_detail
    event["result"]["tracking_details"] = [entry]
    return json.dumps(event).encode()


def test_unknown_status_maps_to_unknown_and_counts() -> None:
    before = codes.UNKNOWN_CODES[("status", "teleported")]
    [envelope] = translate(_message(_with_detail("teleported", None)), {})
    assert envelope.data["milestone"] == "unknown"
    assert envelope.data["raw_code"] == "teleported"
    assert codes.UNKNOWN_CODES[("status", "teleported")] == before + 1
    validate_event(envelope)


def test_unknown_detail_is_counted_and_kept_verbatim() -> None:
    before = codes.UNKNOWN_CODES[("status_detail", "beamed_up")]
    [envelope] = translate(_message(_with_detail("in_transit", "beamed_up")), {})
    assert envelope.data["raw_code"] == "beamed_up"
    assert envelope.data["milestone"] == "in_transit"
    assert codes.UNKNOWN_CODES[("status_detail", "beamed_up")] == before + 1


@pytest.mark.parametrize(
    ("status", "detail", "milestone", "reason"),
    [
        ("in_transit", "weather_delay", "exception", "weather"),
        ("in_transit", "address_correction", "exception", "address"),
        ("in_transit", "lost", "exception", "lost"),
        ("in_transit", "received_at_origin_facility", "picked_up", None),
        ("return_to_sender", "refused", "returned_to_sender", "refused"),
        ("failure", None, "exception", "other"),
        ("error", "unknown", "exception", "other"),
        ("delivered", "arrived_at_destination", "delivered", None),
        ("delivered", "delayed", "delivered", None),
        ("available_for_pickup", "arrived_at_pickup_location", "available_for_pickup", None),
        ("cancelled", "cancelled", "cancelled", None),
        ("out_for_delivery", "out_for_delivery", "out_for_delivery", None),
        ("unknown", None, "unknown", None),
    ],
)
def test_code_table(status: str, detail: str | None, milestone: str, reason: str | None) -> None:
    [envelope] = translate(_message(_with_detail(status, detail)), {})
    validate_event(envelope)
    assert envelope.data["milestone"] == milestone
    assert envelope.data["exception_reason"] == reason


def test_every_documented_code_validates() -> None:
    for status in codes.STATUS_MILESTONES:
        for detail in [None, *codes.DETAIL_CODES]:
            [envelope] = translate(_message(_with_detail(status, detail)), {})
            validate_event(envelope)


def test_other_event_types_are_refused() -> None:
    event = json.loads(BODY)
    event["description"] = "batch.updated"
    with pytest.raises(MappingError) as caught:
        translate(_message(json.dumps(event).encode()), {})
    assert "batch.updated" in caught.value.detail
    assert caught.value.place == "description"


def test_naive_time_is_refused() -> None:
    event = json.loads(BODY)
    event["result"]["tracking_details"][0]["datetime"] = "2024-07-31T15:00:00"
    with pytest.raises(MappingError, match="no time zone"):
        translate(_message(json.dumps(event).encode()), {})


def test_connector_declaration() -> None:
    assert CONNECTOR.kind == "easypost"
    assert CONNECTOR.capabilities == frozenset({"receive_webhooks", "poll"})
    assert CONNECTOR.translate is translate


def test_tracker_signer_is_proof_of_delivery_of_the_delivered_entry() -> None:
    event = json.loads(BODY)
    event["result"]["signed_by"] = "R. MORALES"
    delivered = dict(event["result"]["tracking_details"][-1])
    delivered.update(status="delivered", status_detail="arrived_at_destination")
    delivered["datetime"] = "2024-08-05T15:02:00Z"
    event["result"]["tracking_details"].append(delivered)
    envelopes = translate(_message(json.dumps(event).encode()), {})
    assert envelopes[-1].data["milestone"] == "delivered"
    assert envelopes[-1].data["proof_of_delivery"] == {
        "signed_by": "R. MORALES",
        "signature_url": None,
        "photo_urls": [],
    }
    assert all(e.data["proof_of_delivery"] is None for e in envelopes[:-1])
    validate_event(envelopes[-1])
