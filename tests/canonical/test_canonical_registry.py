"""Tests for the event type registry and event validation."""

import re
from datetime import UTC, datetime

import pytest
from pydantic import BaseModel

from crossdock.canonical import (
    EVENT_TYPES,
    InvalidEventData,
    InventoryBalance,
    Order,
    Shipment,
    TrackingMilestone,
    UnknownEventType,
    build_event,
    data_model_for,
    parse_event_type,
    registered_event_types,
    validate_event,
)


def test_required_event_types_are_registered() -> None:
    assert data_model_for("crossdock.shipment.created.v1") is Shipment
    assert data_model_for("crossdock.shipment.milestone_recorded.v1") is TrackingMilestone
    assert data_model_for("crossdock.order.confirmed.v1") is Order
    assert data_model_for("crossdock.inventory.balance_reported.v1") is InventoryBalance
    assert registered_event_types() == tuple(sorted(EVENT_TYPES))


def test_unknown_event_type() -> None:
    with pytest.raises(
        UnknownEventType, match=re.escape("unknown event type 'crossdock.order.shipped.v1'")
    ):
        data_model_for("crossdock.order.shipped.v1")
    with pytest.raises(ValueError, match=re.escape("must start with 'crossdock.'")):
        data_model_for("order.confirmed.v1.x")


def test_validate_event_round_trip(event_type: str, sample_data: BaseModel) -> None:
    envelope = build_event(event_type, sample_data, source="/tests")
    assert envelope.schemaversion == parse_event_type(event_type).major
    assert envelope.time.tzinfo is not None
    assert validate_event(envelope) == sample_data


def test_validate_event_reports_bad_data(order: Order) -> None:
    envelope = build_event("crossdock.order.confirmed.v1", order, source="/tests")
    broken = envelope.model_copy(update={"data": {**envelope.data, "lines": []}})
    with pytest.raises(
        InvalidEventData, match=re.escape("'crossdock.order.confirmed.v1' event is invalid")
    ):
        validate_event(broken)


def test_validate_event_unknown_type() -> None:
    envelope = build_event(
        "crossdock.order.confirmed.v1",
        Order.model_validate(
            {
                "order_number": "S1",
                "ship_to": {
                    "name": "Jane",
                    "address": {"line1": "Main 1", "city": "Utrecht", "country_code": "NL"},
                },
                "lines": [{"line_id": "1", "sku": "A", "quantity": {"value": "1", "uom": "C62"}}],
            }
        ),
        source="/tests",
        time=datetime(2024, 1, 1, tzinfo=UTC),
    )
    moved = envelope.model_copy(update={"type": "crossdock.order.archived.v1"})
    with pytest.raises(UnknownEventType, match="registered types: crossdock"):
        validate_event(moved)


def test_build_event_checks_model(order: Order) -> None:
    with pytest.raises(TypeError, match="carries Shipment, not Order"):
        build_event("crossdock.shipment.created.v1", order, source="/tests")
