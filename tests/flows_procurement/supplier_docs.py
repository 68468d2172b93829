"""The supplier's documents for a purchase order it received, as canonical models; the
supplier's side (`supplier_side.py`) writes them in its standard with the project's writers,
as a supplier's EDI system would."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from crossdock.canonical.asn import AdvanceShipNotice, AsnItem, AsnOrder, AsnPackage
from crossdock.canonical.common import Address, LocationRef, Party, Quantity
from crossdock.canonical.invoice import Invoice, InvoiceDirection, InvoiceLine, InvoiceTotals
from crossdock.canonical.purchase import PurchaseOrder
from crossdock.canonical.purchase_ack import (
    AckLineStatus,
    PurchaseOrderAckLine,
    PurchaseOrderAcknowledgement,
)
from crossdock.canonical.receipt_advice import ReceiptAdvice, ReceiptAdviceLine

PROMISED = date(2026, 3, 20)


def changed_acknowledgement(
    order: PurchaseOrder, cut: dict[str, Decimal], *, x12_codes: bool
) -> PurchaseOrderAcknowledgement:
    """Every line accepted for PROMISED, except the `cut` ones, whose quantity changes.

    With `x12_codes` the supplier's own codes are X12's (BAK02 AC, ACK01 IA / IQ); else the
    raw codes are left for the EDIFACT writer to choose."""
    lines = []
    for line in order.lines:
        changed = line.line_id in cut
        lines.append(
            PurchaseOrderAckLine(
                line_id=line.line_id,
                sku=line.sku,
                status=AckLineStatus.CHANGED if changed else AckLineStatus.ACCEPTED,
                raw_status=("IQ" if changed else "IA") if x12_codes else "",
                ordered_quantity=line.quantity,
                promised_quantity=Quantity(value=cut[line.line_id], uom=line.quantity.uom)
                if changed
                else None,
                promised_date=PROMISED,
                unit_price=line.unit_price,
            )
        )
    return PurchaseOrderAcknowledgement(
        po_number=order.po_number,
        acknowledgement_id="SO-77001",
        status=AckLineStatus.CHANGED,
        raw_status="AC" if x12_codes else "",
        acknowledged_on=date(2026, 3, 3),
        lines=lines,
    )


def ship_notice(order: PurchaseOrder, shipped: dict[str, Decimal]) -> AdvanceShipNotice:
    """One pallet of cartons, a carton per line, each line under its own lot."""
    cartons = [
        AsnPackage(
            kind="pack",
            sscc=f"00312345600000000{index}",
            items=[
                AsnItem(
                    sku=line.sku,
                    line_id=line.line_id,
                    lot=f"LOT-{line.line_id}",
                    quantity=Quantity(value=shipped[line.line_id], uom=line.quantity.uom),
                )
            ],
        )
        for index, line in enumerate(order.lines, start=1)
        if line.line_id in shipped
    ]
    return AdvanceShipNotice(
        asn_id="ASN-5501",
        issued_on=date(2026, 3, 10),
        shipped_on=date(2026, 3, 10),
        expected_on=date(2026, 3, 12),
        carrier_code="ODFL",
        orders=[
            AsnOrder(
                purchase_order_reference=order.po_number,
                packages=[AsnPackage(kind="tare", sscc="003123456000000000", packages=cartons)],
            )
        ],
    )


def receipt_advice(order: PurchaseOrder, counted: dict[str, Decimal]) -> ReceiptAdvice:
    return ReceiptAdvice(
        receipt_id="RCV-9001",
        purchase_order_reference=order.po_number,
        shipment_reference="ASN-5501",
        warehouse=LocationRef(code="WH", name="Main warehouse"),
        received_on=date(2026, 3, 12),
        lines=[
            ReceiptAdviceLine(
                line_id=str(index),
                sku=line.sku,
                received=Quantity(value=counted[line.line_id], uom=line.quantity.uom),
                purchase_line_id=line.line_id,
            )
            for index, line in enumerate(order.lines, start=1)
        ],
    )


def invoice(
    order: PurchaseOrder, number: str, billed: dict[str, Decimal], prices: dict[str, Decimal]
) -> Invoice:
    lines = []
    for line in order.lines:
        amount = (billed[line.line_id] * prices[line.line_id]).quantize(Decimal("0.01"))
        lines.append(
            InvoiceLine(
                line_id=line.line_id,
                sku=line.sku,
                quantity=Quantity(value=billed[line.line_id], uom=line.quantity.uom),
                unit_price=prices[line.line_id],
                subtotal=amount,
                total=amount,
            )
        )
    total = sum((line.total for line in lines), Decimal(0))
    return Invoice(
        number=number,
        direction=InvoiceDirection.VENDOR,
        partner=Party(
            name=order.vendor.name,
            address=Address(line1="1 Supply Road", city="Dayton", country_code="US"),
        ),
        origin=order.po_number,
        invoice_date=date(2026, 3, 13),
        due_date=date(2026, 4, 12),
        currency=order.currency or "EUR",
        lines=lines,
        totals=InvoiceTotals(untaxed=total, tax=Decimal(0), total=total),
    )
