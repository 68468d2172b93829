"""account.move → Invoice for posted customer invoices and vendor bills, on 16 and 18 shapes."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from crossdock.canonical import Invoice, InvoiceDirection
from crossdock.connectors.odoo.mapping import events_for
from crossdock.connectors.odoo.mapping_record import EnrichedRecord
from crossdock.errors import MappingError
from tests.connectors_odoo.test_odoo_mapping_shapes import WRITE_DATE, enriched


def invoice(
    version: int, move_type: str = "out_invoice", state: str = "posted", **changes: Any
) -> EnrichedRecord:
    lines = {
        301: {
            "id": 301,
            "name": "[CD-0007] Euro pallet S",
            "product_id": [7, "[CD-0007] Euro pallet S"],
            "quantity": 4.0,
            "price_unit": 12.5,
            "discount": 10.0,
            "price_subtotal": 45.0,
            "price_total": 54.45,
            "display_type": "product",
        },
        302: {
            "id": 302,
            "name": "Delivery",
            "product_id": [90, "Shipping"],
            "quantity": 1.0,
            "price_unit": 9.95,
            "discount": 0.0,
            "price_subtotal": 9.95,
            "price_total": 12.04,
            "display_type": "product",
        },
        303: {
            "id": 303,
            "name": "Pallets",
            "product_id": False,
            "quantity": 0.0,
            "price_unit": 0.0,
            "discount": 0.0,
            "price_subtotal": 0.0,
            "price_total": 0.0,
            "display_type": "line_section",
        },
    }
    draft_name = "/" if version < 18 else False
    record = {
        "name": "INV/2025/00001" if state == "posted" else draft_name,
        "move_type": move_type,
        "state": state,
        "partner_id": [15, "Lyon Outdoor SAS"],
        "invoice_origin": "SO042",
        "ref": "PO-4120",
        "invoice_date": "2025-03-06",
        "invoice_date_due": "2025-04-05",
        "currency_id": [1, "EUR"],
        "amount_untaxed": 54.95,
        "amount_tax": 11.54,
        "amount_total": 66.49,
        "amount_residual": 66.49,
        "payment_state": "not_paid",
        "invoice_line_ids": [301, 302, 303],
        "write_date": WRITE_DATE,
        **changes,
    }
    return enriched("account.move", 9, version, record, {"account.move.line": lines})


@pytest.mark.parametrize("version", [16, 18])
def test_posted_customer_invoice(version: int) -> None:
    [event] = events_for(invoice(version))
    posted = Invoice.model_validate(event.data)
    assert (event.type, event.subject) == ("crossdock.invoice.posted.v1", "INV/2025/00001")
    assert (event.lanekey, event.correlationid) == ("invoice:INV/2025/00001", "SO042")
    assert posted.direction is InvoiceDirection.CUSTOMER
    assert (posted.invoice_date, posted.due_date) == (date(2025, 3, 6), date(2025, 4, 5))
    assert (posted.origin, posted.reference, posted.currency) == ("SO042", "PO-4120", "EUR")
    assert posted.totals.total == Decimal("66.49")
    assert [
        (line.sku, line.quantity.value, line.unit_price, line.discount_percent, line.subtotal)
        for line in posted.lines
    ] == [
        ("CD-0007", Decimal(4), Decimal("12.5"), Decimal(10), Decimal(45)),
        (None, Decimal(1), Decimal("9.95"), None, Decimal("9.95")),
    ]


def test_posted_vendor_bill() -> None:
    [event] = events_for(
        invoice(16, "in_invoice", name="BILL/2025/00001", invoice_origin="P00007, P00008")
    )
    assert event.data["direction"] == "vendor"
    assert event.correlationid == "P00007"


@pytest.mark.parametrize(
    ("move_type", "state"),
    [
        ("out_invoice", "draft"),
        ("out_invoice", "cancel"),
        ("out_refund", "posted"),
        ("entry", "posted"),
    ],
)
def test_other_moves_raise_nothing(move_type: str, state: str) -> None:
    assert events_for(invoice(18, move_type, state)) == []


def test_a_posted_invoice_needs_its_number() -> None:
    with pytest.raises(
        MappingError, match=r"account.move\(9\).name: the posted invoice has no number"
    ):
        events_for(invoice(16, name="/"))
