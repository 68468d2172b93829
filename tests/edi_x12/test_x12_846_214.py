"""846 inventory advice and 214 carrier status: mappings, code tables, round trips, errors."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from crossdock.canonical.milestones import ExceptionReason, Milestone
from crossdock.connectors.edi.x12 import (
    OutgoingSet,
    RejectedSet,
    TransactionSet,
    X12Error,
    inventory_from_846,
    inventory_to_846,
    milestones_from_214,
    milestones_to_214,
)
from tests.edi_x12.x12_helpers import interchange, read_all

INVENTORY = [
    ["BIA", "00", "SI", "INV-0615", "20250615", "1430"],
    ["N1", "WH", "North DC", "92", "WH-NORTH"],
    ["N4", "Utrecht", "", "3511AB", "NL"],
    ["LIN", "1", "BP", "SKU-1", "UK", "10012345678901"],
    ["QTY", "17", "250", "EA"],
    ["QTY", "33", "198", "EA"],
    ["QTY", "QH", "12", "EA"],
    ["LIN", "2", "EN", "5901234123457"],
    ["QTY", "33", "0", "CA"],
    ["N1", "WH", "South DC", "92", "WH-SOUTH"],
    ["CTT", "2"],
]
STATUS = [
    ["B10", "PRO-77", "WH/OUT/00042", "ABFS"],
    ["L11", "P00042", "PO"],
    ["LX", "1"],
    ["AT7", "AF", "NS", "", "", "20250321", "0840", "CT"],
    ["MS1", "MEMPHIS", "TN", "US"],
    ["LX", "2"],
    ["AT7", "A9", "AI", "", "", "20250322", "1015", "LT"],
    ["LX", "3"],
    ["AT7", "", "", "AB", "NS", "20250323", "0900", "UT"],
    ["LX", "4"],
    ["AT7", "Q9", "NS", "", "", "20250324", "", "UT"],
    ["LX", "5"],
    ["AT7", "D1", "NS", "", "", "20250325", "1200", "ED"],
    ["MS1", "DALLAS", "TX", "USA"],
]


def _one(set_id: str, body: list[list[str]], control: str = "0001") -> TransactionSet:
    (transaction,) = [
        i
        for i in read_all(interchange([OutgoingSet(set_id, control, body)]))
        if isinstance(i, TransactionSet)
    ]
    return transaction


def test_846_balances_per_item_and_location() -> None:
    first, second = inventory_from_846(_one("846", INVENTORY))
    assert (first.sku, first.location.code, first.location.city) == ("SKU-1", "WH-NORTH", "Utrecht")
    assert (first.on_hand, first.available, first.reserved) == (250, 198, 12)
    assert first.uom == "C62"
    assert first.as_of == datetime(2025, 6, 15, 14, 30, tzinfo=UTC)
    # QTY*33 alone is the stock quantity: on hand and available; the LIN's own N1 wins.
    assert (second.sku, second.on_hand, second.available, second.uom) == (
        "5901234123457",
        0,
        0,
        "CS",
    )
    assert second.location.code == "WH-SOUTH"


def test_846_round_trip_and_partner_zone() -> None:
    zone = timezone(timedelta(hours=2))
    first = inventory_from_846(_one("846", INVENTORY), zone=zone)
    assert first[0].as_of.utcoffset() == timedelta(hours=2)
    again = inventory_from_846(_one("846", inventory_to_846(first, "R-1")))
    assert again == first


def test_846_needs_a_unit_and_a_location_code() -> None:
    body = [s[:] for s in INVENTORY]
    body[8] = ["QTY", "33", "0"]
    with pytest.raises(X12Error) as caught:
        inventory_from_846(_one("846", body))
    assert (caught.value.segment_id, caught.value.segment_position) == ("QTY", 10)
    assert inventory_from_846(_one("846", body), default_unit="EA")[1].uom == "C62"
    body = [s[:] for s in INVENTORY]
    body[1] = ["N1", "WH", "North DC"]
    with pytest.raises(X12Error) as caught:
        inventory_from_846(_one("846", body))
    assert (caught.value.segment_id, caught.value.element_position) == ("N1", 4)


def test_214_statuses_to_milestones() -> None:
    picked, damaged, appointment, unknown, delivered = milestones_from_214(
        _one("214", STATUS), local_zone=timezone(timedelta(hours=-6))
    )
    assert (picked.tracking_number, picked.carrier_code, picked.shipment_id) == (
        "PRO-77",
        "abfs",
        "WH/OUT/00042",
    )
    assert picked.milestone is Milestone.PICKED_UP
    assert picked.occurred_at == datetime(2025, 3, 21, 14, 40, tzinfo=UTC)
    assert picked.location is not None
    assert (picked.location.city, picked.location.country_code) == ("MEMPHIS", "US")
    assert (damaged.milestone, damaged.exception_reason) == (
        Milestone.EXCEPTION,
        ExceptionReason.DAMAGED,
    )
    assert (damaged.raw_code, damaged.raw_text) == ("A9", "AI")
    assert damaged.occurred_at.utcoffset() == timedelta(hours=-6)
    assert (appointment.raw_code, appointment.milestone) == ("AB", Milestone.IN_TRANSIT)
    assert (unknown.milestone, unknown.raw_code) == (Milestone.UNKNOWN, "Q9")
    assert delivered.milestone is Milestone.DELIVERED
    assert delivered.location is not None
    assert delivered.location.country_code is None  # three-letter MS103 is not ISO 3166-1
    assert delivered.occurred_at == datetime(2025, 3, 25, 16, 0, tzinfo=UTC)


def test_214_round_trip() -> None:
    first = milestones_from_214(_one("214", STATUS))
    again = milestones_from_214(_one("214", milestones_to_214(first)))
    assert again == first


def test_214_unknown_time_zone_names_the_element() -> None:
    body = [s[:] for s in STATUS]
    body[3][7] = "QQ"
    with pytest.raises(X12Error) as caught:
        milestones_from_214(_one("214", body))
    error = caught.value
    assert (error.segment_id, error.segment_position, error.element_position) == ("AT7", 5, 7)
    assert error.code == "7"


def test_broken_214_is_rejected_alone() -> None:
    broken = [s[:] for s in STATUS]
    broken[3][5] = "20250231"
    items = read_all(
        interchange([OutgoingSet("214", "0001", STATUS), OutgoingSet("214", "0002", broken)])
    )
    (rejected,) = [i for i in items if isinstance(i, RejectedSet)]
    error = next(e for e in rejected.errors if e.element_position is not None)
    assert (error.segment_id, error.segment_position, error.element_position, error.code) == (
        "AT7",
        5,
        5,
        "8",
    )
    assert len([i for i in items if isinstance(i, TransactionSet)]) == 1


def test_writer_refuses_mixed_snapshots_and_shipments() -> None:
    balances = inventory_from_846(_one("846", INVENTORY))
    later = balances[1].model_copy(update={"as_of": balances[1].as_of + timedelta(hours=1)})
    with pytest.raises(X12Error):
        inventory_to_846([balances[0], later], "R-1")
    milestones = milestones_from_214(_one("214", STATUS))
    other = milestones[1].model_copy(update={"tracking_number": "PRO-78"})
    with pytest.raises(X12Error):
        milestones_to_214([milestones[0], other])
    assert Decimal(0) == balances[1].on_hand
