"""855 purchase order acknowledgement: real documents, line statuses, round trips, errors."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from crossdock.canonical.purchase_ack import AckLineStatus
from crossdock.connectors.edi.x12 import (
    AckStatus,
    OutgoingSet,
    RejectedSet,
    TransactionSet,
    X12Error,
    acknowledge,
    acknowledgement_from_855,
    acknowledgement_to_855,
)
from tests.edi_x12.x12_helpers import FIXTURES, interchange, read_all

CHANGED_BODY = [
    ["BAK", "00", "AC", "P00042", "20240301", "", "", "", "SO-981", "20240305"],
    ["CUR", "SE", "EUR"],
    ["DTM", "067", "20240320"],
    ["PO1", "1", "10", "EA", "2.50", "", "BP", "SKU-1", "VN", "V-1"],
    ["ACK", "IA", "10", "EA", "067", "20240320"],
    ["PO1", "2", "4", "CA", "", "", "BP", "SKU-2"],
    ["ACK", "IQ", "3", "CA", "068", "20240318"],
    ["PO1", "3", "6", "EA", "", "", "BP", "SKU-3"],
    ["ACK", "IR", "0", "EA"],
    ["PO1", "4", "1", "EA", "", "", "BP", "SKU-4"],
    ["ACK", "DR", "", "", "017", "20240402"],
    ["CTT", "4"],
]


def _sets(data: bytes) -> list[TransactionSet]:
    return [i for i in read_all(data) if isinstance(i, TransactionSet)]


def test_bots_855_header_acceptance_applies_to_every_line() -> None:
    first, *rest = _sets((FIXTURES / "bots-855-004010UCS-01.x12").read_bytes())
    ack = acknowledgement_from_855(first)
    assert (ack.po_number, ack.raw_status, ack.status) == ("194207", "AP", AckLineStatus.ACCEPTED)
    assert ack.promised_date == date(2003, 5, 12)  # DTM*067; the DTM*068 ship date is not it
    assert len(ack.lines) == 26
    assert {line.status for line in ack.lines} == {AckLineStatus.ACCEPTED}
    assert ack.lines[0].sku == "001119432383"
    assert ack.lines[0].ordered_quantity is not None
    assert ack.lines[0].ordered_quantity.value == Decimal(102)
    assert ack.exceptions() == []
    assert len(rest) == 5


def test_adobe_855_with_currency_price_and_parties() -> None:
    (transaction,) = _sets((FIXTURES / "oopfactory-855-adobe.x12").read_bytes())
    ack = acknowledgement_from_855(transaction)
    assert (ack.po_number, ack.currency, ack.acknowledged_on) == (
        "0132710645",
        "USD",
        date(2009, 6, 12),
    )
    (line,) = ack.lines
    assert (line.line_id, line.sku, line.unit_price) == ("000010", "T05249", Decimal(369))


def test_line_statuses_promised_quantities_and_dates() -> None:
    (transaction,) = _sets(interchange([OutgoingSet("855", "0001", CHANGED_BODY)]))
    ack = acknowledgement_from_855(transaction)
    assert (ack.status, ack.acknowledgement_id, ack.po_date) == (
        AckLineStatus.CHANGED,
        "SO-981",
        date(2024, 3, 1),
    )
    accepted, short, rejected, later = ack.lines
    assert accepted.status is AckLineStatus.ACCEPTED
    assert accepted.vendor_sku == "V-1"
    assert short.status is AckLineStatus.CHANGED
    assert short.promised_quantity is not None
    assert (short.promised_quantity.value, short.promised_quantity.uom) == (Decimal(3), "CS")
    assert short.promised_date is None  # 068 is a ship date, not a delivery promise
    assert (rejected.status, rejected.raw_status) == (AckLineStatus.REJECTED, "IR")
    assert later.promised_date == date(2024, 4, 2)
    assert [line.line_id for line in ack.exceptions()] == ["2", "3", "4"]


@pytest.mark.parametrize(
    ("name", "body"),
    [
        ("bots-855-004010UCS-01.x12", None),
        ("oopfactory-855-adobe.x12", None),
        ("made", CHANGED_BODY),
    ],
)
def test_855_round_trip(name: str, body: list[list[str]] | None) -> None:
    data = (
        (FIXTURES / name).read_bytes()
        if body is None
        else interchange([OutgoingSet("855", "0001", body)])
    )
    for transaction in _sets(data):
        first = acknowledgement_from_855(transaction)
        written = interchange([OutgoingSet("855", "0009", acknowledgement_to_855(first))])
        (again,) = _sets(written)
        assert acknowledgement_from_855(again) == first


def test_unknown_line_status_names_the_element() -> None:
    body = [segment[:] for segment in CHANGED_BODY]
    body[4][1] = "ZZ"
    (transaction,) = _sets(interchange([OutgoingSet("855", "0001", body)]))
    with pytest.raises(X12Error) as caught:
        acknowledgement_from_855(transaction)
    error = caught.value
    assert (error.segment_id, error.segment_position, error.element_position) == ("ACK", 6, 1)
    assert error.transaction_control == "0001"
    assert error.interchange_control == "000000042"
    assert error.code == "7"
    assert error.found == "ZZ"


def test_broken_855_is_rejected_alone() -> None:
    broken = [segment[:] for segment in CHANGED_BODY]
    broken[0][4] = "20241345"  # BAK04 not a date
    data = interchange(
        [OutgoingSet("855", "0001", CHANGED_BODY), OutgoingSet("855", "0002", broken)]
    )
    items = read_all(data)
    assert [i.control_number for i in items if isinstance(i, TransactionSet)] == ["0001"]
    (rejected,) = [i for i in items if isinstance(i, RejectedSet)]
    element = next(e for e in rejected.errors if e.element_position is not None)
    assert (element.segment_id, element.segment_position, element.element_position) == (
        "BAK",
        2,
        4,
    )
    assert element.code == "8"
    (ack,) = acknowledge(items)
    assert ack.status is AckStatus.PARTIALLY_ACCEPTED
    assert (ack.received, ack.accepted) == (2, 1)
    assert ack.sets[1].status is AckStatus.REJECTED
    assert ack.sets[1].codes == ("5",)


def test_stedi_005010_855_with_ack_per_line() -> None:
    (transaction,) = _sets((FIXTURES / "stedi-855-005010.x12").read_bytes())
    assert transaction.version == "005010"
    ack = acknowledgement_from_855(transaction)
    assert (ack.po_number, ack.po_date, ack.acknowledged_on) == (
        "365465413",
        date(2022, 9, 14),
        date(2022, 9, 13),
    )
    first, second = ack.lines
    assert (first.line_id, first.sku, first.raw_status) == ("item-1", "ACM/8900-400", "IA")
    assert first.promised_quantity is not None
    assert first.promised_quantity.value == Decimal(8)
    assert second.unit_price == Decimal(125)
    written = interchange([OutgoingSet("855", "0002", acknowledgement_to_855(ack))])
    (again,) = _sets(written)
    assert acknowledgement_from_855(again) == ack
