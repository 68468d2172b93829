"""AfterShip connector: signature, mapping of a real tracking object, unknown codes, ids.

The real fixture is an AfterShip *API* response `{meta, data: {tracking}}` (see SOURCES.md
next to it). AfterShip's webhook carries the same tracking object as `msg`, in the
documented envelope `{event, event_id, is_tracking_first_tag, msg, ts}`; `_webhook_body`
builds that envelope around the fixture's tracking object.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import hmac
import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from crossdock.canonical.registry import validate_event
from crossdock.connectors.base import InboundMessage, WebhookRequest
from crossdock.connectors.carriers.aftership import CONNECTOR
from crossdock.connectors.carriers.aftership import mapping as aftership_mapping
from crossdock.connectors.carriers.aftership.signature import HEADER, sign
from crossdock.errors import MappingError
from crossdock.security.standard_webhooks import SignatureError

FIXTURE = (
    Path(__file__).parent.parent
    / "fixtures/carrier_webhooks/aftership/aftership-get-tracking-fedex-delivered.json"
)
NOW = datetime(2024, 1, 1, tzinfo=UTC)
EVENT_ID = "0b3a5f9e-3c1d-4a52-9f5e-1a2b3c4d5e6f"


def _tracking() -> dict[str, Any]:
    document = json.loads(FIXTURE.read_bytes())
    tracking: dict[str, Any] = document["data"]["tracking"]
    return tracking


def _webhook_body(tracking: dict[str, Any], event_id: str | None = EVENT_ID) -> bytes:
    body: dict[str, Any] = {
        "event": "tracking_update",
        "is_tracking_first_tag": False,
        "msg": tracking,
        "ts": 1532481000,
    }
    if event_id is not None:
        body["event_id"] = event_id
    return json.dumps(body).encode()


def _message(body: bytes) -> InboundMessage:
    return InboundMessage(
        id="m-1",
        partner="aftership-main",
        headers={},
        body=body,
        received_at=NOW,
        correlation_id="corr-1",
    )


# --- signature ---------------------------------------------------------------------------


def test_sign_matches_independent_hmac_vector() -> None:
    # Computed outside the code under test: printf '{"event_id":"x"}' |
    #   openssl dgst -sha256 -hmac s3cr3t -binary | base64
    assert sign(b'{"event_id":"x"}', "s3cr3t") == "P+E2tdrceQ6t25ZJ3TRIotwFDOxFbnpme2JDCloTdRU="
    expected = base64.b64encode(hmac.new(b"k", b"body", hashlib.sha256).digest()).decode()
    assert sign(b"body", "k") == expected


def test_known_good_signature_verifies_and_returns_event_id() -> None:
    body = _webhook_body(_tracking())
    verifier = CONNECTOR.make_verifier(["old-secret", "new-secret"], {})
    request = WebhookRequest(headers={HEADER: sign(body, "new-secret")}, body=body)
    assert verifier.verify(request, NOW) == EVENT_ID
    # the retired secret is still accepted during rotation
    request = WebhookRequest(headers={HEADER: sign(body, "old-secret")}, body=body)
    assert verifier.verify(request, NOW) == EVENT_ID


def test_header_name_is_case_insensitive() -> None:
    body = b'{"event_id":"x"}'
    verifier = CONNECTOR.make_verifier(["s3cr3t"], {})
    request = WebhookRequest(
        headers={"Aftership-Hmac-Sha256": "P+E2tdrceQ6t25ZJ3TRIotwFDOxFbnpme2JDCloTdRU="},
        body=body,
    )
    assert verifier.verify(request, NOW) == "x"


def test_without_event_id_dedup_key_is_body_digest() -> None:
    body = _webhook_body(_tracking(), event_id=None)
    verifier = CONNECTOR.make_verifier(["s"], {})
    key = verifier.verify(WebhookRequest(headers={HEADER: sign(body, "s")}, body=body), NOW)
    assert key == "sha256:" + hashlib.sha256(body).hexdigest()


def test_tampered_body_fails() -> None:
    body = _webhook_body(_tracking())
    verifier = CONNECTOR.make_verifier(["s"], {})
    tampered = body.replace(b"111111111111", b"111111111112")
    assert tampered != body
    with pytest.raises(SignatureError) as info:
        verifier.verify(WebhookRequest(headers={HEADER: sign(body, "s")}, body=tampered), NOW)
    assert info.value.detail == (
        "aftership-hmac-sha256 does not match the body for any configured secret"
    )


def test_wrong_secret_fails() -> None:
    body = _webhook_body(_tracking())
    verifier = CONNECTOR.make_verifier(["right"], {})
    with pytest.raises(SignatureError, match="does not match the body") as info:
        verifier.verify(WebhookRequest(headers={HEADER: sign(body, "wrong")}, body=body), NOW)
    assert "aftership-hmac-sha256" in info.value.detail


def test_missing_header_fails() -> None:
    verifier = CONNECTOR.make_verifier(["s"], {})
    with pytest.raises(SignatureError) as info:
        verifier.verify(WebhookRequest(headers={}, body=b"{}"), NOW)
    assert info.value.detail == "missing aftership-hmac-sha256 header"


def test_no_secrets_is_a_configuration_error() -> None:
    with pytest.raises(ValueError, match="at least one secret"):
        CONNECTOR.make_verifier([], {})


# --- mapping -----------------------------------------------------------------------------


def test_connector_declaration() -> None:
    assert CONNECTOR.kind == "aftership"
    assert CONNECTOR.capabilities == frozenset({"receive_webhooks", "poll"})


def test_real_tracking_maps_one_milestone_per_checkpoint() -> None:
    tracking = _tracking()
    envelopes = CONNECTOR.translate(_message(_webhook_body(tracking)), {})
    assert len(envelopes) == len(tracking["checkpoints"]) == 14
    for envelope in envelopes:
        validate_event(envelope)
        assert envelope.type == "crossdock.shipment.milestone_recorded.v1"
        assert envelope.source == "/carriers/aftership"
        assert envelope.subject == "111111111111"
        assert envelope.lanekey == "shipment:111111111111"
        assert envelope.partner == "aftership-main"
        assert envelope.correlationid == "corr-1"
        assert envelope.data["carrier_code"] == "fedex"
        assert envelope.data["tracking_number"] == "111111111111"
        assert envelope.data["raw_code"] == "FPX_L_RPIF"

    first, picked, *_, out, delivered = envelopes
    assert first.data["milestone"] == "info_received"
    assert first.data["raw_text"] == "Shipment information sent to FedEx"
    assert first.data["location"] is None
    assert first.time == datetime(2018, 7, 23, 1, 21, 39, tzinfo=timezone(timedelta(hours=-5)))
    assert first.data["occurred_at"] == "2018-07-23T01:21:39-05:00"

    assert picked.data["milestone"] == "picked_up"  # InTransit_002 acceptance scan
    assert picked.data["raw_text"] == "Picked up"
    assert picked.data["location"] == {
        "code": None,
        "name": "DONGGUAN CN",
        "city": None,
        "region": None,
        "postal_code": None,
        "country_code": "CN",
    }
    assert picked.time == datetime(2018, 7, 23, 8, 58, tzinfo=UTC)

    assert out.data["milestone"] == "out_for_delivery"
    assert out.data["location"]["name"] == "NARITA-SHI JP"
    assert out.data["location"]["country_code"] == "JP"

    assert delivered.data["milestone"] == "delivered"
    assert delivered.data["exception_reason"] is None
    assert delivered.data["location"]["name"] == "SAPPORO JP"
    assert delivered.data["occurred_at"] == "2018-07-25T10:10:00+09:00"


def test_milestone_sequence_of_the_real_tracking() -> None:
    envelopes = CONNECTOR.translate(_message(_webhook_body(_tracking())), {})
    assert [e.data["milestone"] for e in envelopes] == [
        "info_received",
        "picked_up",
        *["in_transit"] * 10,
        "out_for_delivery",
        "delivered",
    ]


def test_same_minute_checkpoints_get_distinct_ids_and_remapping_is_stable() -> None:
    tracking = _tracking()
    first = CONNECTOR.translate(_message(_webhook_body(tracking)), {})
    ids = [e.id for e in first]
    assert len(set(ids)) == len(ids)  # two 23:14 GUANGZHOU scans differ by subtag
    # a later webhook resends the history plus one more checkpoint: old ids are kept
    later = copy.deepcopy(tracking)
    later["checkpoints"].append(
        dict(later["checkpoints"][-1], checkpoint_time="2018-07-26T09:00:00+09:00")
    )
    again = InboundMessage(
        id="m-2",
        partner="aftership-main",
        headers={},
        body=_webhook_body(later, "other"),
        received_at=NOW,
    )
    second = CONNECTOR.translate(again, {})
    assert [e.id for e in second][: len(ids)] == ids
    assert second[-1].id not in ids


def test_exception_subtag_carries_reason_and_raw_code_falls_back_to_subtag() -> None:
    tracking = _tracking()
    point = dict(tracking["checkpoints"][-1], tag="Exception", subtag="Exception_013", raw_tag=None)
    tracking["checkpoints"] = [point]
    (envelope,) = CONNECTOR.translate(_message(_webhook_body(tracking)), {})
    validate_event(envelope)
    assert envelope.data["milestone"] == "exception"
    assert envelope.data["exception_reason"] == "lost"
    assert envelope.data["raw_code"] == "Exception_013"
    assert envelope.data["raw_text"] == "Delivered"


def test_returned_to_sender_and_failed_attempt() -> None:
    tracking = _tracking()
    base = tracking["checkpoints"][-1]
    tracking["checkpoints"] = [
        dict(base, tag="Exception", subtag="Exception_011"),
        dict(base, tag="AttemptFail", subtag="AttemptFail_002"),
    ]
    returned, attempted = CONNECTOR.translate(_message(_webhook_body(tracking)), {})
    assert returned.data["milestone"] == "returned_to_sender"
    assert attempted.data["milestone"] == "delivery_attempted"
    assert attempted.data["exception_reason"] == "recipient_unavailable"


def test_unknown_tag_maps_to_unknown_and_is_counted() -> None:
    tracking = _tracking()
    point = dict(tracking["checkpoints"][0], tag="Teleported", subtag="Teleported_001", raw_tag="")
    tracking["checkpoints"] = [point]
    before_tag = aftership_mapping.UNKNOWN_CODES[("tag", "Teleported")]
    before_sub = aftership_mapping.UNKNOWN_CODES[("subtag", "Teleported_001")]
    (envelope,) = CONNECTOR.translate(_message(_webhook_body(tracking)), {})
    validate_event(envelope)
    assert envelope.data["milestone"] == "unknown"
    assert envelope.data["raw_code"] == "Teleported_001"
    assert aftership_mapping.UNKNOWN_CODES[("tag", "Teleported")] == before_tag + 1
    assert aftership_mapping.UNKNOWN_CODES[("subtag", "Teleported_001")] == before_sub + 1


def test_unknown_subtag_under_known_tag_keeps_tag_milestone_and_is_counted() -> None:
    tracking = _tracking()
    tracking["checkpoints"] = [
        dict(tracking["checkpoints"][0], tag="InTransit", subtag="InTransit_999")
    ]
    before = aftership_mapping.UNKNOWN_CODES[("subtag", "InTransit_999")]
    (envelope,) = CONNECTOR.translate(_message(_webhook_body(tracking)), {})
    assert envelope.data["milestone"] == "in_transit"
    assert aftership_mapping.UNKNOWN_CODES[("subtag", "InTransit_999")] == before + 1


def test_checkpoint_time_without_offset_uses_configured_zone() -> None:
    tracking = _tracking()
    tracking["checkpoints"] = [
        dict(tracking["checkpoints"][0], checkpoint_time="2018-07-23T08:58:00")
    ]
    (utc,) = CONNECTOR.translate(_message(_webhook_body(tracking)), {})
    assert utc.time == datetime(2018, 7, 23, 8, 58, tzinfo=UTC)
    assert utc.time.utcoffset() == timedelta(0)
    (tokyo,) = CONNECTOR.translate(
        _message(_webhook_body(tracking)), {"naive_checkpoint_timezone": "Asia/Tokyo"}
    )
    assert tokyo.time == datetime(2018, 7, 22, 23, 58, tzinfo=UTC)


def test_city_state_zip_and_country_are_mapped() -> None:
    tracking = _tracking()
    tracking["checkpoints"] = [
        dict(
            tracking["checkpoints"][0],
            location=None,
            city="Memphis",
            state="TN",
            zip="38118",
            country_iso3="USA",
        )
    ]
    (envelope,) = CONNECTOR.translate(_message(_webhook_body(tracking)), {})
    assert envelope.data["location"] == {
        "code": None,
        "name": None,
        "city": "Memphis",
        "region": "TN",
        "postal_code": "38118",
        "country_code": "US",
    }


@pytest.mark.parametrize(
    ("body", "place"),
    [
        (b"not json", ""),
        (b"[]", "(body)"),
        (b'{"event":"tracking_update"}', "msg"),
        (b'{"msg":{"slug":"fedex","checkpoints":[]}}', "msg.tracking_number"),
        (
            b'{"msg":{"tracking_number":"1","slug":"fedex","checkpoints":[{"tag":"InTransit"}]}}',
            "msg.checkpoints[0].checkpoint_time",
        ),
    ],
)
def test_malformed_bodies_raise_mapping_error(body: bytes, place: str) -> None:
    with pytest.raises(MappingError) as info:
        CONNECTOR.translate(_message(body), {})
    assert info.value.place == place


def test_signer_is_proof_of_delivery_on_the_delivered_checkpoint_only() -> None:
    envelopes = CONNECTOR.translate(_message(_webhook_body(_tracking())), {})
    delivered = [e for e in envelopes if e.data["milestone"] == "delivered"]
    assert [e.data["proof_of_delivery"] for e in delivered] == [
        {"signed_by": "..KOSUTOKO", "signature_url": None, "photo_urls": []}
    ]
    assert all(
        e.data["proof_of_delivery"] is None for e in envelopes if e.data["milestone"] != "delivered"
    )
