"""Tests for the canonical data models: round trips, decimals, times and business rules."""

import json
from datetime import datetime
from decimal import Decimal
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from crossdock.canonical import (
    ExceptionReason,
    InventoryBalance,
    LocationRef,
    Milestone,
    Order,
    Quantity,
    TrackingMilestone,
    Weight,
)


def test_round_trip_through_json(sample_data: BaseModel) -> None:
    model = type(sample_data)
    text = sample_data.model_dump_json()
    assert model.model_validate_json(text) == sample_data
    document = json.loads(text)
    assert model.model_validate(document) == sample_data
    assert model.model_validate(document).model_dump(mode="json") == document


def test_round_trip_through_python(sample_data: BaseModel) -> None:
    model = type(sample_data)
    assert model.model_validate(sample_data.model_dump()) == sample_data


def test_unknown_fields_are_rejected(sample_data: BaseModel) -> None:
    document = sample_data.model_dump(mode="json")
    document["surprise"] = 1
    with pytest.raises(ValidationError, match="Extra inputs are not permitted"):
        type(sample_data).model_validate(document)


def test_decimals_serialize_as_plain_strings(order: Order) -> None:
    document = order.model_dump(mode="json")
    line = document["lines"][0]
    assert line["unit_price"] == "4.50"
    assert line["quantity"] == {"value": "6", "uom": "C62"}
    weight = Weight(value=Decimal("1E+2"), unit="kg")
    assert weight.model_dump(mode="json")["value"] == "100"
    assert Weight(value="-0.0", unit="kg").model_dump(mode="json")["value"] == "0.0"


@pytest.mark.parametrize("value", [1.5, 2, True, "1e3", "1,5", " 1", ".5", "01", "NaN"])
def test_decimals_must_be_plain_strings(value: Any) -> None:
    with pytest.raises(ValidationError, match="decimal"):
        Quantity(value=value, uom="C62")


def test_non_finite_decimal_rejected() -> None:
    with pytest.raises(ValidationError, match="must be finite"):
        Quantity(value=Decimal("Infinity"), uom="C62")


def test_negative_weight_rejected() -> None:
    with pytest.raises(ValidationError, match="must not be negative"):
        Weight(value="-1", unit="kg")


def test_naive_datetime_rejected(milestone: TrackingMilestone, balance: InventoryBalance) -> None:
    document = milestone.model_dump(mode="json")
    document["occurred_at"] = "2024-05-03T14:05:00"
    with pytest.raises(ValidationError, match="Input should have timezone info"):
        TrackingMilestone.model_validate(document)
    with pytest.raises(ValidationError, match="Input should have timezone info"):
        InventoryBalance.model_validate(
            {**balance.model_dump(), "as_of": datetime(2024, 5, 3, 6, 0)}
        )


def test_times_keep_their_offset_in_rfc3339(
    milestone: TrackingMilestone, balance: InventoryBalance
) -> None:
    assert milestone.model_dump(mode="json")["occurred_at"] == "2024-05-03T14:05:00+02:00"
    assert balance.model_dump(mode="json")["as_of"] == "2024-05-03T06:00:00Z"


def test_milestone_values_are_exactly_the_agreed_set() -> None:
    assert [m.value for m in Milestone] == [
        "info_received",
        "picked_up",
        "in_transit",
        "out_for_delivery",
        "delivery_attempted",
        "available_for_pickup",
        "delivered",
        "exception",
        "returned_to_sender",
        "cancelled",
        "unknown",
    ]
    assert [r.value for r in ExceptionReason] == [
        "address",
        "damaged",
        "lost",
        "customs",
        "delayed",
        "refused",
        "weather",
        "recipient_unavailable",
        "other",
    ]


def test_exception_needs_a_reason(milestone: TrackingMilestone) -> None:
    document = milestone.model_dump()
    document["exception_reason"] = None
    with pytest.raises(ValidationError, match="exception_reason is required"):
        TrackingMilestone.model_validate(document)


def test_reason_not_allowed_on_delivered(milestone: TrackingMilestone) -> None:
    document = milestone.model_dump()
    document["milestone"] = "delivered"
    with pytest.raises(ValidationError, match="not 'delivered'"):
        TrackingMilestone.model_validate(document)


def test_raw_carrier_fields_are_required(milestone: TrackingMilestone) -> None:
    document = milestone.model_dump()
    del document["raw_text"]
    with pytest.raises(ValidationError, match="raw_text"):
        TrackingMilestone.model_validate(document)


def test_empty_location_rejected() -> None:
    with pytest.raises(ValidationError, match="at least one of code"):
        LocationRef()


def test_order_rules(order: Order) -> None:
    document = order.model_dump()
    with pytest.raises(ValidationError, match="currency is required"):
        Order.model_validate({**document, "currency": None})
    with pytest.raises(ValidationError, match="duplicate line_id '1'"):
        Order.model_validate({**document, "lines": [document["lines"][0]] * 2})
    zero_line = {**document["lines"][0], "quantity": {"value": "0", "uom": "C62"}}
    with pytest.raises(ValidationError, match="greater than zero"):
        Order.model_validate({**document, "lines": [zero_line]})
    with pytest.raises(ValidationError, match="at least 1 item"):
        Order.model_validate({**document, "lines": []})


def test_inventory_rules(balance: InventoryBalance) -> None:
    document = balance.model_dump()
    with pytest.raises(ValidationError, match="needs available, reserved or both"):
        InventoryBalance.model_validate({**document, "available": None, "reserved": None})
    with pytest.raises(ValidationError, match="needs a code"):
        InventoryBalance.model_validate({**document, "location": {"name": "Somewhere"}})
    oversold = InventoryBalance.model_validate({**document, "on_hand": "-2"})
    assert oversold.on_hand == Decimal("-2")


def test_models_are_immutable(balance: InventoryBalance) -> None:
    with pytest.raises(ValidationError, match="frozen"):
        balance.sku = "OTHER"  # type: ignore[misc]
