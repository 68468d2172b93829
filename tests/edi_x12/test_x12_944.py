"""944 warehouse receipt advice: received, short, damaged and over quantities, round trips."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from crossdock.canonical.receipt_advice import ReceiptCondition
from crossdock.connectors.edi.x12 import (
    AckStatus,
    OutgoingSet,
    RejectedSet,
    TransactionSet,
    X12Error,
    acknowledge,
    receipt_advice_from_944,
    receipt_advice_to_944,
)
from tests.edi_x12.x12_helpers import interchange, read_all

BODY = [
    ["W17", "X", "20240312", "WR-5544", "P00042", "ASN-9"],
    ["N1", "WH", "Crossdock WH", "9", "WH01"],
    ["N4", "Utrecht", "", "3511AB", "NL"],
    ["N9", "PO", "P00042"],
    ["LX", "1"],
    ["W07", "10", "EA", "012345678905", "BP", "SKU-1", "VN", "V-1", "LOT5"],
    ["G69", "Blue widget"],
    ["N9", "LI", "7"],
    ["LX", "2"],
    ["W07", "95", "EA", "", "BP", "SKU-2"],
    ["N9", "LT", "LOT-B1"],
    ["W13", "5", "EA", "02"],
    ["W13", "3", "EA", "01", "LOT-B1", "CF"],
    ["LX", "3"],
    ["W07", "0", "CA", "", "VN", "V-3"],
    ["W13", "4", "CA", "02"],
    ["W14", "105"],
]


def _one(body: list[list[str]], control: str = "0001") -> TransactionSet:
    (transaction,) = [
        i
        for i in read_all(interchange([OutgoingSet("944", control, body)]))
        if isinstance(i, TransactionSet)
    ]
    return transaction


def test_received_short_and_damaged_quantities() -> None:
    advice = receipt_advice_from_944(_one(BODY))
    assert (advice.receipt_id, advice.purchase_order_reference, advice.shipment_reference) == (
        "WR-5544",
        "P00042",
        "ASN-9",
    )
    assert advice.received_on == date(2024, 3, 12)
    assert (advice.warehouse.code, advice.warehouse.city) == ("WH01", "Utrecht")
    whole, broken, missing = advice.lines
    assert (whole.sku, whole.gtin, whole.lot, whole.purchase_line_id) == (
        "SKU-1",
        "012345678905",
        "LOT5",
        "7",
    )
    assert whole.exceptions == []
    assert broken.received.value == Decimal(95)
    assert broken.lot == "LOT-B1"
    assert broken.quantity_of(ReceiptCondition.SHORT) == Decimal(5)
    assert broken.quantity_of(ReceiptCondition.DAMAGED) == Decimal(3)
    assert broken.exceptions[1].reason_code == "CF"
    assert (missing.sku, missing.received.value, missing.received.uom) == ("V-3", 0, "CS")
    assert advice.has_discrepancies()


def test_receipt_of_what_came_in() -> None:
    advice = receipt_advice_from_944(_one(BODY))
    at = datetime(2024, 3, 12, 15, 0, tzinfo=UTC)
    receipt = advice.to_receipt(at)
    assert [line.sku for line in receipt.lines] == ["SKU-1", "SKU-2"]
    assert receipt.lines[0].purchase_line_id == "7"
    assert receipt.received_at == at


def test_w07_without_lx_makes_one_line_each() -> None:
    body = [
        ["W17", "F", "20220516", "EISU9397985-21104", "21104", "EISU9397985"],
        ["N1", "WH", "D7"],
        ["W07", "3024", "EA", "196272171026", "VN", "HCZK203-STK"],
        ["G69", "3PC SHORT SET"],
        ["N9", "PO", "CS22/0406"],
        ["W07", "6000", "EA", "196272482689", "VN", "HCZK403-STK"],
        ["W14", "31248"],
    ]
    advice = receipt_advice_from_944(_one(body))
    assert [(line.line_id, line.sku, line.gtin) for line in advice.lines] == [
        ("1", "HCZK203-STK", "196272171026"),
        ("2", "HCZK403-STK", "196272482689"),
    ]
    assert advice.lines[0].description == "3PC SHORT SET"
    assert advice.warehouse.name == "D7"
    assert not advice.has_discrepancies()


def test_944_round_trip() -> None:
    first = receipt_advice_from_944(_one(BODY))
    again = receipt_advice_from_944(_one(receipt_advice_to_944(first), "0002"))
    assert again == first


def test_gtin_only_items_round_trip() -> None:
    body = [
        ["W17", "F", "20240312", "WR-1"],
        ["N1", "WH", "", "9", "WH01"],
        ["W07", "2", "EA", "", "UK", "10012345678902"],
    ]
    first = receipt_advice_from_944(_one(body))
    assert (first.lines[0].sku, first.lines[0].gtin) == ("10012345678902", "10012345678902")
    assert receipt_advice_from_944(_one(receipt_advice_to_944(first))) == first


def test_unknown_condition_code_names_the_w13() -> None:
    body = [s[:] for s in BODY]
    body[11][3] = "77"
    with pytest.raises(X12Error) as caught:
        receipt_advice_from_944(_one(body))
    error = caught.value
    assert (error.segment_id, error.segment_position, error.element_position) == ("W13", 13, 3)
    assert (error.code, error.found) == ("7", "77")


def test_missing_warehouse_is_named() -> None:
    body = [s for s in BODY if s[0] not in ("N1", "N4")]
    with pytest.raises(X12Error) as caught:
        receipt_advice_from_944(_one(body))
    assert caught.value.segment_id == "N1"
    assert "missing" in str(caught.value)


def test_broken_944_is_rejected_alone() -> None:
    broken = [s[:] for s in BODY]
    broken[5] = ["W07", "ten", "", "", "BP", "SKU-1"]  # no number, no unit
    items = read_all(
        interchange([OutgoingSet("944", "0001", BODY), OutgoingSet("944", "0002", broken)])
    )
    (rejected,) = [i for i in items if isinstance(i, RejectedSet)]
    positions = {(e.segment_id, e.element_position, e.code) for e in rejected.errors}
    assert ("W07", 1, "6") in positions
    assert ("W07", 2, "1") in positions
    (ack,) = acknowledge(items)
    assert [s.status for s in ack.sets] == [AckStatus.ACCEPTED, AckStatus.REJECTED]
