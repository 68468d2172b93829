"""The real documents: Bots' DESADV sample and the ORDERS sample Odoo's EDIFACT tests use."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from crossdock.canonical.common import Address, Party
from crossdock.connectors.edi.edifact import (
    EdifactError,
    PartnerDefaults,
    SyntaxErrorCode,
    build_contrl,
    purchase_order_from_orders,
    read_edifact,
    ship_notice_from_desadv,
)
from tests.edi_edifact.edifact_helpers import DESADV_FIXTURE, FIXTURES, ORDERS_FIXTURE

VENDOR = Party(
    name="Vendor SA",
    address=Address(line1="Calle 1", city="Madrid", country_code="ES"),
)


def test_every_fixture_is_listed_in_sources() -> None:
    sources = (FIXTURES / "SOURCES.md").read_text()
    for path in FIXTURES.glob("*.edi"):
        assert path.name in sources


def test_desadv_fixture_envelopes_check_out() -> None:
    [interchange] = read_edifact(DESADV_FIXTURE.read_bytes())
    assert interchange.header.reference == "1"
    assert interchange.header.characters.decimal_point == "."
    assert [m.reference for m in interchange.accepted] == ["7", "8", "10"]
    assert interchange.rejected == []
    assert {m.identifier.directory for m in interchange.messages} == {"D96A"}


def test_desadv_fixture_first_message_maps() -> None:
    [interchange] = read_edifact(DESADV_FIXTURE.read_bytes())
    notice = ship_notice_from_desadv(interchange.messages[0])
    assert notice.asn_id == "1923"
    assert notice.issued_on == date(2008, 9, 13)
    assert notice.expected_on == date(2008, 9, 13)
    assert notice.package_count == 10
    assert notice.ship_from is not None
    assert notice.ship_from.code == "5555555555555"
    assert notice.ship_to is not None
    assert notice.ship_to.code == "8712345003203"
    [order] = notice.orders
    assert order.purchase_order_reference == "ref1234"
    assert [(i.sku, i.gtin, i.quantity.value) for i in order.items] == [
        ("8717755680019", "8717755680019", Decimal(48)),
        ("8717755620071", "8717755620071", Decimal(192)),
    ]


def test_desadv_fixture_sscc_on_consignment_level_is_named() -> None:
    [interchange] = read_edifact(DESADV_FIXTURE.read_bytes())
    with pytest.raises(EdifactError) as caught:
        ship_notice_from_desadv(interchange.messages[1])
    error = caught.value
    assert (error.interchange_ref, error.message_ref) == ("1", "8")
    assert (error.segment_tag, error.segment_position, error.element_position) == ("GIN", 48, 2)
    assert error.code == SyntaxErrorCode.NOT_SUPPORTED_IN_POSITION
    assert error.found == "354123450000000014"


def test_desadv_fixture_third_message_keeps_the_batch() -> None:
    [interchange] = read_edifact(DESADV_FIXTURE.read_bytes())
    notice = ship_notice_from_desadv(interchange.messages[2])
    assert notice.ship_from is not None
    assert notice.ship_from.code == "8712345678906"
    [item] = notice.orders[0].items
    assert (item.lot, item.line_id, item.quantity.value) == ("BATCHNUMBER", "123", Decimal(123))


def test_desadv_fixture_contrl_accepts_everything() -> None:
    [interchange] = read_edifact(DESADV_FIXTURE.read_bytes())
    contrl = build_contrl(
        interchange, reference="9", prepared=datetime(2024, 1, 2, 3, 4, tzinfo=UTC)
    )
    assert "UCI+1+5555555555555:14+1111111111111:14+7'" in contrl
    for ref in ("7", "8", "10"):
        assert f"UCM+{ref}+DESADV:D:96A:UN+7'" in contrl
    assert "UNB+UNOC:3+1111111111111:14+5555555555555:14+240102:0304+9'" in contrl


def test_orders_fixture_needs_the_supplier_address() -> None:
    [interchange] = read_edifact(ORDERS_FIXTURE.read_bytes())
    with pytest.raises(EdifactError) as caught:
        purchase_order_from_orders(interchange.messages[0])
    error = caught.value
    assert (error.interchange_ref, error.message_ref) == ("4234", "1")
    assert (error.segment_tag, error.segment_position, error.element_position) == ("NAD", 8, 5)
    assert error.found == "8450534000000"


def test_orders_fixture_maps_with_the_supplier_from_master_data() -> None:
    [interchange] = read_edifact(ORDERS_FIXTURE.read_bytes())
    assert interchange.header.syntax_id == "UNOA"
    defaults = PartnerDefaults(parties={"8450534000000": VENDOR})
    order = purchase_order_from_orders(interchange.messages[0], defaults)
    assert order.po_number == "1AA1TEST"
    assert order.vendor == VENDOR
    assert order.currency == "EUR"
    assert order.ordered_at == datetime(2023, 6, 6, tzinfo=UTC)
    assert [(ln.line_id, ln.sku, ln.quantity.value, ln.unit_price) for ln in order.lines] == [
        ("1", "9783898307529", Decimal(5), Decimal("27.5")),
        ("2", "9783898307538", Decimal(1), Decimal("10.87")),
        ("3", "9783898307645", Decimal(3), Decimal("3.85")),
    ]
    assert {ln.quantity.uom for ln in order.lines} == {"C62"}
