"""The real documents in tests/fixtures/x12: read, checked, mapped, and their flaws named."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from crossdock.connectors.edi.x12 import (
    AckStatus,
    GroupSummary,
    InterchangeSummary,
    PartnerDefaults,
    RejectedSet,
    TransactionSet,
    ack_from_997,
    acknowledge,
    purchase_order_from_850,
    ship_notice_from_856,
)
from tests.edi_x12.x12_helpers import FIXTURES, read_all


def _sets(name: str) -> list[TransactionSet]:
    return [i for i in read_all((FIXTURES / name).read_bytes()) if isinstance(i, TransactionSet)]


def test_every_fixture_has_its_source_noted() -> None:
    sources = (FIXTURES / "SOURCES.md").read_text()
    for path in FIXTURES.glob("*.x12"):
        assert f"x12/{path.name}" in sources


def test_850_maps_to_purchase_order() -> None:
    (transaction,) = _sets("bots-850-004010VICS-02.x12")
    assert transaction.group is not None
    assert transaction.group.version == "004010VICS"
    order = purchase_order_from_850(transaction, PartnerDefaults(country_code="CA", currency="CAD"))
    assert order.po_number == "520981"
    assert order.vendor.name == "Your Company Name"
    assert order.vendor.address.city == "CALGARY"
    assert order.expected_date == date(2001, 10, 11)
    assert [line.sku for line in order.lines] == ["71039103", "30100219"]
    assert order.lines[0].quantity.uom == "CS"
    assert order.lines[0].unit_price == Decimal("226.56")
    assert order.lines[1].description is not None
    assert order.lines[1].description.startswith("Random Weight Item")


def test_856_maps_the_hl_hierarchy() -> None:
    (transaction,) = _sets("bots-856_1-SOPI-MAN.x12")
    notice = ship_notice_from_856(transaction)
    assert notice.asn_id == "15918861602"
    assert notice.ship_to is not None
    assert notice.ship_to.code == "DESTINATION1"
    (order,) = notice.orders
    assert order.purchase_order_reference == "ordernumber"
    assert [p.sscc for p in order.packages] == [
        "0000123456781234567892",
        "0000123456781234567891",
        "0000123456781234567890",
    ]
    first = order.packages[0].items[0]
    assert (first.sku, first.gtin, first.line_id) == ("01113481", "058824077500", "4")
    assert first.quantity.value == Decimal(11)
    assert first.quantity.uom == "C62"


def test_997_fixture_reads_as_acceptance() -> None:
    (transaction,) = _sets("bots-997_1.x12")
    ack = ack_from_997(transaction)
    assert (ack.functional_id, ack.group_control, ack.status) == ("PO", "214", AckStatus.ACCEPTED)
    assert ack.sets[0].set_id == "850"
    assert ack.sets[0].control_number == "000000390"
    assert (ack.included, ack.received, ack.accepted) == (1, 1, 1)


def test_855_six_sets_in_one_group_all_accepted() -> None:
    items = read_all((FIXTURES / "bots-855-004010UCS-01.x12").read_bytes())
    assert [i.control_number for i in items if isinstance(i, TransactionSet)] == [
        f"000{n}" for n in range(1, 7)
    ]
    (ack,) = acknowledge(items)
    assert ack.status is AckStatus.ACCEPTED
    assert ack.accepted == 6


def test_940_with_bom_indentation_and_newline_terminator_names_its_wrong_trailers() -> None:
    items = read_all((FIXTURES / "oopfactory-940-simplot.x12").read_bytes())
    (transaction,) = [i for i in items if isinstance(i, TransactionSet)]
    assert transaction.set_id == "940"
    assert transaction.segments[0].elements[:3] == ["W05", "N", "01235639"]
    group = next(i for i in items if isinstance(i, GroupSummary))
    (group_error,) = group.errors
    assert group_error.code == "4"
    assert (group_error.segment_id, group_error.element_position) == ("GE", 2)
    assert group_error.expected == "177818711"
    assert group_error.found == "940001777"
    end = next(i for i in items if isinstance(i, InterchangeSummary))
    (error,) = end.errors
    assert error.code == "001"
    assert "interchange 398161180" in str(error)
    assert "IEA02" in str(error)
    (ack,) = acknowledge(items)
    assert ack.status is AckStatus.ACCEPTED_WITH_ERRORS
    assert ack.codes == ("4",)


def test_945_with_a_ten_element_gs_is_rejected_with_reasons() -> None:
    items = read_all((FIXTURES / "oopfactory-945-inter-americanproducts.x12").read_bytes())
    rejected = next(i for i in items if isinstance(i, RejectedSet))
    codes = {e.code for e in rejected.errors}
    assert {"1", "7"} <= codes  # version "21" read from the shifted GS08; ST02 of 10 chars
    (ack,) = acknowledge(items)
    assert ack.status is AckStatus.REJECTED
    assert "2" in ack.codes
