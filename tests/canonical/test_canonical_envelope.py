"""Tests for the CloudEvents envelope and its Crossdock extension attributes."""

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from crossdock.canonical import (
    EXTENSION_ATTRIBUTES,
    ORDER_CONFIRMED_V1,
    Envelope,
    InvalidEnvelope,
    Order,
    build_event,
)

# CloudEvents 1.0: extension names are lowercase ASCII letters and digits, at most 20 long.
CLOUDEVENTS_ATTRIBUTE_NAME = re.compile(r"^[a-z0-9]{1,20}$")

CORE_ATTRIBUTES = {
    "specversion",
    "id",
    "source",
    "type",
    "subject",
    "time",
    "datacontenttype",
    "dataschema",
    "data",
}


def cloudevent(**overrides: Any) -> dict[str, Any]:
    document: dict[str, Any] = {
        "specversion": "1.0",
        "id": "evt-1",
        "source": "/odoo/acme",
        "type": "crossdock.order.confirmed.v1",
        "time": "2024-05-03T12:00:00Z",
        "data": {"order_number": "S00042"},
        "schemaversion": 1,
    }
    document.update(overrides)
    return {key: value for key, value in document.items() if value is not None}


def test_extension_attribute_names_follow_cloudevents_rules() -> None:
    assert set(EXTENSION_ATTRIBUTES) == {"correlationid", "partner", "lanekey", "schemaversion"}
    for name in EXTENSION_ATTRIBUTES:
        assert CLOUDEVENTS_ATTRIBUTE_NAME.fullmatch(name), name
    for name in Envelope.model_fields:
        assert CLOUDEVENTS_ATTRIBUTE_NAME.fullmatch(name), name
    assert set(Envelope.model_fields) == CORE_ATTRIBUTES | set(EXTENSION_ATTRIBUTES)


def test_to_cloudevent_is_structured_mode(order: Order) -> None:
    envelope = build_event(
        ORDER_CONFIRMED_V1,
        order,
        source="/odoo/acme",
        subject="S00042",
        correlationid="corr-9",
        partner="acme_wms",
        lanekey="odoo-to-acme_wms",
        event_id="evt-1",
        time=datetime(2024, 5, 3, 12, 0, tzinfo=UTC),
    )
    document = envelope.to_cloudevent()
    assert document == {
        "specversion": "1.0",
        "id": "evt-1",
        "source": "/odoo/acme",
        "type": "crossdock.order.confirmed.v1",
        "subject": "S00042",
        "time": "2024-05-03T12:00:00Z",
        "datacontenttype": "application/json",
        "data": order.model_dump(mode="json"),
        "correlationid": "corr-9",
        "partner": "acme_wms",
        "lanekey": "odoo-to-acme_wms",
        "schemaversion": 1,
    }
    assert "dataschema" not in document
    assert Envelope.from_cloudevent(document) == envelope


def test_time_keeps_offset() -> None:
    envelope = Envelope.from_cloudevent(cloudevent(time="2024-05-03T14:00:00.250+02:00"))
    assert envelope.time.utcoffset() == timedelta(hours=2)
    assert envelope.to_cloudevent()["time"] == "2024-05-03T14:00:00.250000+02:00"


def test_nulls_inside_data_are_kept() -> None:
    envelope = Envelope.from_cloudevent(cloudevent(data={"a": None}))
    assert envelope.to_cloudevent()["data"] == {"a": None}


def test_naive_time_rejected() -> None:
    with pytest.raises(InvalidEnvelope, match="time: Input should have timezone info"):
        Envelope.from_cloudevent(cloudevent(time="2024-05-03T12:00:00"))
    with pytest.raises(InvalidEnvelope, match="time: Input should have timezone info"):
        Envelope.from_cloudevent(cloudevent(time=datetime(2024, 5, 3, 12, 0)))


def test_time_is_required() -> None:
    document = cloudevent()
    del document["time"]
    with pytest.raises(InvalidEnvelope, match="time: Field required"):
        Envelope.from_cloudevent(document)


def test_bad_type_rejected_with_reason() -> None:
    with pytest.raises(
        InvalidEnvelope, match=re.escape("type: invalid event type 'order.confirmed'")
    ):
        Envelope.from_cloudevent(cloudevent(type="order.confirmed"))
    with pytest.raises(InvalidEnvelope, match="must be lowercase"):
        Envelope.from_cloudevent(cloudevent(type="crossdock.Order.confirmed.v1"))


def test_schemaversion_must_match_type() -> None:
    with pytest.raises(
        InvalidEnvelope, match="schemaversion 2 does not match the major version v1"
    ):
        Envelope.from_cloudevent(cloudevent(schemaversion=2))
    with pytest.raises(InvalidEnvelope, match="schemaversion: Input should be greater than"):
        Envelope.from_cloudevent(cloudevent(schemaversion=0))


def test_specversion_required_and_checked() -> None:
    document = cloudevent()
    del document["specversion"]
    with pytest.raises(InvalidEnvelope, match="specversion is required"):
        Envelope.from_cloudevent(document)
    with pytest.raises(InvalidEnvelope, match=re.escape("specversion: Input should be '1.0'")):
        Envelope.from_cloudevent(cloudevent(specversion="0.3"))


def test_unknown_attributes_and_binary_data_rejected() -> None:
    with pytest.raises(InvalidEnvelope, match="correlationId: Extra inputs are not permitted"):
        Envelope.from_cloudevent(cloudevent(correlationId="x"))
    with pytest.raises(InvalidEnvelope, match="data_base64 is not supported"):
        Envelope.from_cloudevent(cloudevent(data_base64="e30="))


def test_content_type_must_be_json() -> None:
    assert Envelope.from_cloudevent(cloudevent(datacontenttype="application/cloudevents+json"))
    with pytest.raises(InvalidEnvelope, match="must be a JSON media type"):
        Envelope.from_cloudevent(cloudevent(datacontenttype="text/xml"))


def test_all_problems_are_listed() -> None:
    with pytest.raises(InvalidEnvelope) as caught:
        Envelope.from_cloudevent(cloudevent(id="", source=None))
    message = str(caught.value)
    assert "id: String should have at least 1 character" in message
    assert "source: Field required" in message


def test_non_object_rejected() -> None:
    with pytest.raises(InvalidEnvelope, match="must be a JSON object, got list"):
        Envelope.from_cloudevent([])  # type: ignore[arg-type]
