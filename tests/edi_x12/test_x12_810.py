"""810 invoice: real documents to vendor bills, taxes and totals, round trips, errors."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from crossdock.canonical.invoice import InvoiceDirection
from crossdock.connectors.edi.x12 import (
    AckStatus,
    OutgoingSet,
    PartnerDefaults,
    RejectedSet,
    TransactionSet,
    X12Error,
    acknowledge,
    invoice_from_810,
    invoice_to_810,
)
from tests.edi_x12.x12_helpers import FIXTURES, interchange, read_all

US = PartnerDefaults(country_code="US", currency="USD")
BODY = [
    ["BIG", "20240310", "INV-77", "20240301", "P00042"],
    ["CUR", "SE", "EUR"],
    ["N1", "BT", "Crossdock Buyer"],
    ["N1", "SE", "Acme Supplies", "92", "ACME"],
    ["N3", "Main Street 1"],
    ["N4", "Utrecht", "", "3511AB", "NL"],
    ["ITD", "01", "3", "", "", "", "", "30"],
    ["IT1", "1", "10", "EA", "2.50", "", "BP", "SKU-1"],
    ["PID", "F", "", "", "", "Blue widget"],
    ["TXI", "VA", "5.25"],
    ["IT1", "2", "3", "CA", "12", "", "VN", "V-2"],
    ["TDS", "6725"],
    ["TXI", "VA", "1.00"],
    ["CTT", "2"],
]


def _sets(data: bytes) -> list[TransactionSet]:
    return [i for i in read_all(data) if isinstance(i, TransactionSet)]


def test_adobe_810_to_vendor_bill() -> None:
    (transaction,) = _sets((FIXTURES / "oopfactory-810-adobe.x12").read_bytes())
    bill = invoice_from_810(transaction)
    assert bill.direction is InvoiceDirection.VENDOR
    assert (bill.number, bill.origin, bill.currency) == ("0013833070", "V8748745", "USD")
    assert bill.partner.name == "ADOBE SYSTEMS INCORPORATED"  # N1*SE wins over N1*II
    assert bill.due_date == date(2007, 3, 5)  # ITD07: 35 net days from BIG01
    (line,) = bill.lines
    assert (line.sku, line.unit_price, line.subtotal) == ("7167946", Decimal(160), Decimal(160))
    assert bill.totals.total == Decimal("160.00")
    assert bill.totals.tax == 0


def test_bots_810_states_totals_as_sent() -> None:
    (transaction,) = _sets((FIXTURES / "bots-810_1.x12").read_bytes())
    bill = invoice_from_810(transaction, US)
    assert (bill.number, bill.origin) == ("95018017", "ordernumber")
    assert bill.partner.address.city == "IRVING"
    assert bill.lines[0].subtotal == Decimal(1320)
    # The vendor's TDS disagrees with its lines; the match, not the mapping, must see it.
    assert bill.totals.total == Decimal("12345.79")


def test_line_and_summary_taxes() -> None:
    (transaction,) = _sets(interchange([OutgoingSet("810", "0001", BODY)]))
    bill = invoice_from_810(transaction)
    first, second = bill.lines
    assert (first.subtotal, first.total, first.description) == (
        Decimal("25.00"),
        Decimal("30.25"),
        "Blue widget",
    )
    assert (second.sku, second.total) == ("V-2", Decimal(36))
    assert bill.totals.tax == Decimal("6.25")
    assert bill.totals.total == Decimal("67.25")
    assert bill.totals.untaxed == Decimal("61.00")
    assert bill.due_date == date(2024, 4, 9)


@pytest.mark.parametrize("name", ["oopfactory-810-adobe.x12", "bots-810_1.x12", "made"])
def test_810_round_trip(name: str) -> None:
    data = (
        interchange([OutgoingSet("810", "0001", BODY)])
        if name == "made"
        else (FIXTURES / name).read_bytes()
    )
    (transaction,) = _sets(data)
    first = invoice_from_810(transaction, US)
    written = interchange([OutgoingSet("810", "0002", invoice_to_810(first))])
    (again,) = _sets(written)
    assert invoice_from_810(again) == first


def test_missing_currency_names_the_big() -> None:
    body = [s for s in BODY if s[0] != "CUR"]
    (transaction,) = _sets(interchange([OutgoingSet("810", "0003", body)]))
    with pytest.raises(X12Error) as caught:
        invoice_from_810(transaction)
    assert (caught.value.segment_id, caught.value.segment_position) == ("BIG", 2)
    assert caught.value.transaction_control == "0003"
    assert "currency" in str(caught.value)


def test_vendor_without_address_names_its_n1() -> None:
    body = [s for s in BODY if s[0] not in ("N3", "N4")]
    (transaction,) = _sets(interchange([OutgoingSet("810", "0004", body)]))
    with pytest.raises(X12Error) as caught:
        invoice_from_810(transaction)
    assert (caught.value.segment_id, caught.value.segment_position) == ("N1", 5)
    assert caught.value.expected == "N3"


def test_writer_refuses_a_third_decimal_in_the_total() -> None:
    (transaction,) = _sets(interchange([OutgoingSet("810", "0001", BODY)]))
    bill = invoice_from_810(transaction)
    odd = bill.model_copy(
        update={"totals": bill.totals.model_copy(update={"total": Decimal("1.005")})}
    )
    with pytest.raises(X12Error) as caught:
        invoice_to_810(odd)
    assert (caught.value.segment_id, caught.value.element_position) == ("TDS", 1)


def test_broken_810_is_rejected_alone() -> None:
    broken = [s[:] for s in BODY]
    broken[11][1] = "67.25"  # TDS01 is N2: implied decimals, no point
    items = read_all(
        interchange([OutgoingSet("810", "0001", BODY), OutgoingSet("810", "0002", broken)])
    )
    (rejected,) = [i for i in items if isinstance(i, RejectedSet)]
    assert rejected.control_number == "0002"
    error = next(e for e in rejected.errors if e.element_position is not None)
    assert (error.segment_id, error.segment_position, error.element_position) == ("TDS", 13, 1)
    assert error.code == "6"
    (ack,) = acknowledge(items)
    assert ack.status is AckStatus.PARTIALLY_ACCEPTED
    assert [s.status for s in ack.sets] == [AckStatus.ACCEPTED, AckStatus.REJECTED]
