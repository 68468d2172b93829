"""The flow's judgement without I/O: acknowledgement changes, receipt discrepancies, and the
three-way match at the edges of its tolerances."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from crossdock.canonical.common import Address, LocationRef, Party, Quantity
from crossdock.canonical.invoice import Invoice, InvoiceDirection, InvoiceLine, InvoiceTotals
from crossdock.canonical.purchase import PurchaseOrder, PurchaseOrderLine
from crossdock.canonical.purchase_ack import (
    AckLineStatus,
    PurchaseOrderAckLine,
    PurchaseOrderAcknowledgement,
)
from crossdock.canonical.receipt_advice import (
    ReceiptAdvice,
    ReceiptAdviceLine,
    ReceiptCondition,
    ReceiptException,
)
from crossdock.flows.procurement.matching import (
    match_invoice,
    review_acknowledgement,
    review_receipt,
)
from crossdock.flows.procurement.settings import Tolerances

VENDOR = Party(name="Acme", address=Address(line1="1 Road", city="Dayton", country_code="US"))


def qty(value: str) -> Quantity:
    return Quantity(value=value, uom="C62")


ORDER = PurchaseOrder(
    po_number="P00001",
    vendor=VENDOR,
    currency="EUR",
    ordered_at=datetime(2026, 3, 1, tzinfo=UTC),
    lines=[
        PurchaseOrderLine(line_id="1", sku="A", quantity=qty("10"), unit_price=Decimal("100")),
        PurchaseOrderLine(line_id="2", sku="B", quantity=qty("5"), unit_price=Decimal("4.00")),
    ],
)


def test_rejected_unknown_and_changed_lines_are_exceptions_and_dates_are_promises() -> None:
    ack = PurchaseOrderAcknowledgement(
        po_number="P00001",
        status=AckLineStatus.CHANGED,
        raw_status="AC",
        acknowledged_on=date(2026, 3, 2),
        promised_date=date(2026, 3, 9),
        lines=[
            PurchaseOrderAckLine(line_id="1", status=AckLineStatus.ACCEPTED, raw_status="IA"),
            PurchaseOrderAckLine(line_id="2", status=AckLineStatus.REJECTED, raw_status="IR"),
            PurchaseOrderAckLine(
                line_id="9", sku="Z", status=AckLineStatus.ACCEPTED, raw_status="IA"
            ),
        ],
    )
    review = review_acknowledgement(ORDER, ack)
    assert [(p.line_id, p.quantity, p.promised_date) for p in review.promises] == [
        ("1", None, date(2026, 3, 9))
    ]
    assert [(i.kind.value, i.line_id) for i in review.issues] == [
        ("line_rejected", "2"),
        ("unknown_line", "9"),
    ]


def advice(*lines: ReceiptAdviceLine) -> ReceiptAdvice:
    return ReceiptAdvice(
        receipt_id="R1",
        purchase_order_reference="P00001",
        warehouse=LocationRef(code="WH"),
        received_on=date(2026, 3, 9),
        lines=list(lines),
    )


def test_receipt_discrepancies_reported_and_computed_are_not_doubled() -> None:
    damaged = ReceiptException(condition=ReceiptCondition.DAMAGED, quantity=qty("2"), raw_code="03")
    short = ReceiptException(condition=ReceiptCondition.SHORT, quantity=qty("1"), raw_code="02")
    review = review_receipt(
        ORDER,
        advice(
            ReceiptAdviceLine(line_id="1", sku="A", received=qty("8"), exceptions=[damaged]),
            ReceiptAdviceLine(line_id="2", sku="B", received=qty("4"), exceptions=[short]),
            ReceiptAdviceLine(line_id="3", sku="Q", received=qty("1")),
        ),
        {"1": Decimal(10), "2": Decimal(5)},
    )
    assert {(c.line_id, c.quantity) for c in review.counted} == {("1", 8), ("2", 4)}
    assert sorted((i.kind.value, i.line_id or i.sku) for i in review.issues) == [
        ("damaged", "1"),
        ("short", "1"),  # computed: 8 of 10, the warehouse said only "damaged"
        ("short", "2"),  # reported by the warehouse; not repeated
        ("wrong_item", "Q"),
    ]


def invoice(price: str, quantity: str = "10") -> Invoice:
    amount = Decimal(price) * Decimal(quantity)
    return Invoice(
        number="INV-1",
        direction=InvoiceDirection.VENDOR,
        partner=VENDOR,
        origin="P00001",
        invoice_date=date(2026, 3, 10),
        currency="EUR",
        lines=[
            InvoiceLine(
                line_id="1",
                sku="A",
                quantity=qty(quantity),
                unit_price=price,
                subtotal=amount,
                total=amount,
            ),
        ],
        totals=InvoiceTotals(untaxed=amount, tax="0", total=amount),
    )


PRICES = {"1": Decimal("100"), "2": Decimal("4.00")}


@pytest.mark.parametrize(
    ("price", "quantity", "tolerances", "matched"),
    [
        ("100", "10", Tolerances(), True),
        ("102", "10", Tolerances(price_percent=Decimal(2)), True),
        ("102.01", "10", Tolerances(price_percent=Decimal(2)), False),
        ("100.50", "10", Tolerances(price_amount=Decimal("0.50")), True),
        ("100", "11", Tolerances(quantity_percent=Decimal(10)), True),
        ("100", "11", Tolerances(quantity_percent=Decimal(5)), False),
    ],
)
def test_three_way_match_at_the_edges_of_its_tolerances(
    price: str, quantity: str, tolerances: Tolerances, matched: bool
) -> None:
    result = match_invoice(ORDER, PRICES, {"1": Decimal(10)}, invoice(price, quantity), tolerances)
    assert result.matched is matched, result.issues


def test_billing_what_was_not_received_is_a_mismatch_naming_both_quantities() -> None:
    result = match_invoice(ORDER, PRICES, {}, invoice("100"), Tolerances())
    [issue] = result.issues
    assert (issue.expected, issue.found, issue.detail) == ("0", "10", "A: 10 billed, 0 received")
