"""Tests for the event type naming scheme."""

import re

import pytest

from crossdock.canonical import EventType, event_type_name, parse_event_type
from crossdock.canonical.event_types import EVENT_TYPE_PATTERN


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("crossdock.shipment.milestone_recorded.v1", ("shipment", "milestone_recorded", 1)),
        ("crossdock.order.confirmed.v1", ("order", "confirmed", 1)),
        ("crossdock.inventory.balance_reported.v1", ("inventory", "balance_reported", 1)),
        ("crossdock.shipment.created.v12", ("shipment", "created", 12)),
    ],
)
def test_parse_valid_names(name: str, expected: tuple[str, str, int]) -> None:
    parsed = parse_event_type(name)
    assert parsed == expected
    assert isinstance(parsed, EventType)
    assert str(parsed) == name
    assert re.fullmatch(EVENT_TYPE_PATTERN, name)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("crossdock.Order.confirmed.v1", "must be lowercase"),
        ("crossdock.order.confirmed", "has 3 dot-separated parts, not 4"),
        ("crossdock.order.line.confirmed.v1", "has 5 dot-separated parts, not 4"),
        ("acme.order.confirmed.v1", "must start with 'crossdock.'"),
        ("crossdock.order-mgmt.confirmed.v1", "domain 'order-mgmt' must be snake_case"),
        ("crossdock.order.confirmed__twice.v1", "event 'confirmed__twice' must be snake_case"),
        ("crossdock.order._confirmed.v1", "event '_confirmed' must be snake_case"),
        ("crossdock.1order.confirmed.v1", "domain '1order' must be snake_case"),
        ("crossdock.order.confirmed.1", "version '1' must be 'v' followed by a major number"),
        ("crossdock.order.confirmed.v0", "version 'v0' must be 'v' followed by a major number"),
        ("crossdock.order.confirmed.v01", "version 'v01' must be 'v' followed by a major"),
        ("", "has 1 dot-separated parts, not 4"),
    ],
)
def test_parse_rejects_bad_names(name: str, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)) as caught:
        parse_event_type(name)
    assert f"invalid event type {name!r}" in str(caught.value)
    assert "crossdock.<domain>.<event>.v<major>" in str(caught.value)
    assert not re.fullmatch(EVENT_TYPE_PATTERN, name)


def test_event_type_name_builds_and_validates() -> None:
    assert event_type_name("shipment", "created", 2) == "crossdock.shipment.created.v2"
    with pytest.raises(ValueError, match="must be snake_case"):
        event_type_name("shipment", "created now", 1)
