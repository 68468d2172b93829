"""Round trips (read → canonical → write → read) and the mapping errors that name their place."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from crossdock.canonical.asn import AdvanceShipNotice, AsnItem, AsnOrder, AsnPackage
from crossdock.canonical.common import Address, LocationRef, Party, Quantity
from crossdock.canonical.purchase import PurchaseOrder, PurchaseOrderLine
from crossdock.connectors.edi.edifact import (
    EdifactError,
    Message,
    MessageId,
    OutMessage,
    PartnerDefaults,
    SyntaxErrorCode,
    purchase_order_from_orders,
    purchase_order_to_orders,
    read_edifact,
    ship_notice_from_desadv,
    ship_notice_to_desadv,
    write_interchange,
)
from crossdock.connectors.edi.edifact import Party as EdiParty
from crossdock.connectors.edi.edifact.syntax import OutSegment
from tests.edi_edifact.edifact_helpers import (
    DESADV_FIXTURE,
    ORDERS_FIXTURE,
    interchange,
    message,
    orders_body,
)

ORDERS_D01B = MessageId("ORDERS", "D", "01B", "UN", "EAN010")
DESADV_D96A = MessageId("DESADV", "D", "96A", "UN", "EAN005")


def _reread(identifier: MessageId, body: list[OutSegment]) -> list[Message]:
    text = write_interchange(
        [OutMessage("1", identifier, body)],
        sender=EdiParty("4012345500004", "14"),
        recipient=EdiParty("5412345000013", "14"),
        reference="42",
        prepared=datetime(2024, 1, 5, 12, 0, tzinfo=UTC),
    )
    [ic] = read_edifact(text.encode("latin-1"))
    assert ic.errors == []
    assert ic.rejected == []
    return ic.accepted


def test_orders_fixture_round_trips() -> None:
    [ic] = read_edifact(ORDERS_FIXTURE.read_bytes())
    vendor = Party(name="V", address=Address(line1="S 1", city="C", country_code="ES"))
    order = purchase_order_from_orders(
        ic.messages[0], PartnerDefaults(parties={"8450534000000": vendor})
    )
    [again] = _reread(ic.messages[0].identifier, purchase_order_to_orders(order))
    assert purchase_order_from_orders(again) == order


@pytest.mark.parametrize("index", [0, 2])
def test_desadv_fixture_round_trips(index: int) -> None:
    [ic] = read_edifact(DESADV_FIXTURE.read_bytes())
    notice = ship_notice_from_desadv(ic.messages[index])
    [again] = _reread(DESADV_D96A, ship_notice_to_desadv(notice))
    assert ship_notice_from_desadv(again) == notice


def test_full_purchase_order_round_trips_in_d01b_with_escapes() -> None:
    order = PurchaseOrder(
        po_number="P00042",
        vendor=Party(
            name="Acme's + Sons: ?",
            address=Address(
                line1="Main St 1",
                line2="Gate 3",
                city="Rotterdam",
                region="ZH",
                postal_code="3011 AA",
                country_code="NL",
            ),
        ),
        currency="EUR",
        ordered_at=datetime(2024, 3, 1, 9, 30, tzinfo=UTC),
        expected_date=date(2024, 3, 10),
        lines=[
            PurchaseOrderLine(
                line_id="10",
                sku="SKU-1",
                description="5' cable + plug",
                quantity=Quantity(value=Decimal("2.5"), uom="KGM"),
                unit_price=Decimal("3.125"),
                expected_date=date(2024, 3, 12),
            ),
            PurchaseOrderLine(
                line_id="20", sku="SKU-2", quantity=Quantity(value=Decimal(1), uom="C62")
            ),
        ],
    )
    [again] = _reread(ORDERS_D01B, purchase_order_to_orders(order, buyer_gln="5412345000013"))
    assert purchase_order_from_orders(again) == order


def _item(
    sku: str,
    quantity: int,
    *,
    vendor_sku: str | None = None,
    lot: str | None = None,
    gtin: str | None = None,
    line_id: str | None = None,
) -> AsnItem:
    return AsnItem(
        sku=sku,
        vendor_sku=vendor_sku,
        lot=lot,
        gtin=gtin,
        line_id=line_id,
        quantity=Quantity(value=Decimal(quantity), uom="C62"),
    )


def test_full_ship_notice_round_trips() -> None:
    notice = AdvanceShipNotice(
        asn_id="ASN-7",
        issued_on=date(2024, 4, 1),
        shipped_on=date(2024, 4, 2),
        expected_on=date(2024, 4, 4),
        ship_from=LocationRef(
            code="4012345500004", name="Acme DC", city="Berlin", country_code="DE"
        ),
        ship_to=LocationRef(code="5412345000013", postal_code="1000", country_code="BE"),
        package_count=3,
        bill_of_lading="BOL1",
        orders=[
            AsnOrder(
                purchase_order_reference="P00042",
                purchase_order_date=date(2024, 3, 1),
                items=[_item("LOOSE", 1)],
                packages=[
                    AsnPackage(
                        kind="tare",
                        sscc="340123450000000018",
                        packages=[
                            AsnPackage(
                                kind="pack",
                                sscc="340123450000000025",
                                items=[_item("SKU-1", 4, vendor_sku="V-1", lot="L9", line_id="1")],
                            ),
                            AsnPackage(
                                kind="pack",
                                items=[_item("SKU-2", 2, gtin="04012345000017", line_id="2")],
                            ),
                        ],
                    )
                ],
            )
        ],
    )
    body = ship_notice_to_desadv(notice)
    assert ["GIN", "BJ", "340123450000000018"] in body
    [again] = _reread(DESADV_D96A, body)
    assert ship_notice_from_desadv(again) == notice


def test_desadv_writer_refuses_two_orders() -> None:
    order = AsnOrder(purchase_order_reference="A", items=[_item("X", 1)])
    notice = AdvanceShipNotice(
        asn_id="1", issued_on=date(2024, 1, 1), orders=[order, order.model_copy()]
    )
    with pytest.raises(EdifactError, match="one purchase order"):
        ship_notice_to_desadv(notice)


def test_orders_writer_needs_a_date() -> None:
    order = PurchaseOrder(
        po_number="P1",
        vendor=Party(name="V", address=Address(line1="S", city="C", country_code="DE")),
        lines=[
            PurchaseOrderLine(line_id="1", sku="S", quantity=Quantity(value=Decimal(1), uom="C62"))
        ],
    )
    with pytest.raises(EdifactError) as caught:
        purchase_order_to_orders(order)
    assert caught.value.segment_tag == "DTM"


def test_orders_d01b_and_price_basis() -> None:
    body = orders_body("PO9", ("D", "01B"))
    [ic] = read_edifact(interchange([message(body, "1")]))
    order = purchase_order_from_orders(ic.accepted[0])
    first, second = order.lines
    assert (first.sku, first.description, first.unit_price) == (
        "B-77",
        "Blue widget",
        Decimal("2.5"),
    )
    assert (second.sku, second.unit_price, second.expected_date) == (
        "4000862141411",
        Decimal("1.2"),
        date(2024, 1, 25),
    )
    assert order.expected_date == date(2024, 1, 20)


def test_cnt_mismatch_names_the_cnt() -> None:
    body = [*orders_body()[:-1], "CNT+2:3"]
    [ic] = read_edifact(interchange([message(body, "1")]))
    with pytest.raises(EdifactError) as caught:
        purchase_order_from_orders(ic.accepted[0])
    error = caught.value
    assert (error.segment_tag, error.segment_position, error.element_position) == ("CNT", 19, 1)
    assert error.code == SyntaxErrorCode.CONTROL_COUNT_MISMATCH


def test_unsupported_directory_is_named() -> None:
    [ic] = read_edifact(interchange([message(orders_body(directory=("D", "93A")), "1")]))
    with pytest.raises(EdifactError) as caught:
        purchase_order_from_orders(ic.accepted[0])
    assert caught.value.code == SyntaxErrorCode.VALUE_NOT_SUPPORTED_IN_POSITION
    assert (caught.value.segment_tag, caught.value.element_position) == ("UNH", 2)


def test_bad_date_is_named() -> None:
    body = [s.replace("DTM+137:20240105:102", "DTM+137:20241305:102") for s in orders_body()]
    [ic] = read_edifact(interchange([message(body, "1")]))
    with pytest.raises(EdifactError) as caught:
        purchase_order_from_orders(ic.accepted[0])
    error = caught.value
    assert (error.segment_tag, error.segment_position, error.found) == ("DTM", 3, "20241305")
