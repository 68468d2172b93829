"""account.move → ``crossdock.invoice.posted.v1`` (Invoice), for posted invoices and bills.

Fields follow addons/account/models/account_move.py: ``move_type`` ``out_invoice`` (customer
invoice) or ``in_invoice`` (vendor bill), ``state`` ``posted``, ``name`` the legal number
(``/`` or unset while draft), ``invoice_origin`` the source documents, ``ref`` the customer
or vendor reference, and the stored totals; and account_move_line.py: ``invoice_line_ids``
with ``display_type`` ``product`` (16+) for priced lines, ``line_section``/``line_note``
otherwise. Refunds and journal entries raise nothing here. A line's unit is its product's:
``product_uom_id`` of account.move.line is not read (the sandbox does not simulate it).
"""

from __future__ import annotations

from crossdock.canonical.common import Quantity
from crossdock.canonical.event_types import INVOICE_POSTED_V1
from crossdock.canonical.invoice import Invoice, InvoiceDirection, InvoiceLine, InvoiceTotals
from crossdock.connectors.odoo.codes import INVOICE_DIRECTIONS, MappingOptions
from crossdock.connectors.odoo.mapping_parties import odoo_ref, party, uom_code
from crossdock.connectors.odoo.mapping_record import (
    EnrichedRecord,
    Mapped,
    decimal,
    m2o_name,
    odoo_date,
    required_time,
    text,
)
from crossdock.errors import MappingError

UNIT = "C62"
_NOT_PRICED = frozenset({"line_section", "line_note", "payment_term", "tax", "rounding"})


def map_invoice(rec: EnrichedRecord, options: MappingOptions) -> list[Mapped]:
    record = rec.record
    direction = INVOICE_DIRECTIONS.get(str(record.get("move_type")))
    if direction is None or record.get("state") != "posted":
        return []
    number = text(record.get("name"))
    if number is None or number == "/":
        raise MappingError("the posted invoice has no number", f"{rec.where}.name")
    invoice_date = odoo_date(record.get("invoice_date"))
    if invoice_date is None:
        raise MappingError("the posted invoice has no date", f"{rec.where}.invoice_date")
    currency = m2o_name(record.get("currency_id"))
    if currency is None:
        raise MappingError("the invoice has no currency", f"{rec.where}.currency_id")
    origin = text(record.get("invoice_origin"))
    invoice = Invoice(
        number=number,
        direction=InvoiceDirection(direction),
        partner=party(rec, record.get("partner_id"), f"{rec.where}.partner_id"),
        origin=origin,
        reference=text(record.get("ref")),
        invoice_date=invoice_date,
        due_date=odoo_date(record.get("invoice_date_due")),
        currency=currency,
        lines=_lines(rec, options),
        totals=InvoiceTotals(
            untaxed=decimal(record.get("amount_untaxed")),
            tax=decimal(record.get("amount_tax")),
            total=decimal(record.get("amount_total")),
            amount_due=decimal(record.get("amount_residual")),
        ),
        payment_state=text(record.get("payment_state")),
        references=[odoo_ref("account.move", rec.id)],
    )
    correlation = origin.split(",")[0].strip() if origin else None
    time = required_time(rec)
    return [Mapped(INVOICE_POSTED_V1, invoice, number, f"invoice:{number}", time, correlation)]


def _lines(rec: EnrichedRecord, options: MappingOptions) -> list[InvoiceLine]:
    lines: list[InvoiceLine] = []
    for index, row in enumerate(rec.rows("account.move.line", rec.record.get("invoice_line_ids"))):
        place = f"{rec.where}.invoice_line_ids[{index}]"
        if row.get("display_type") in _NOT_PRICED:
            continue
        product = rec.row("product.product", row.get("product_id"))
        code = text(product.get("default_code")) if product else None  # services often have none
        uom = (
            uom_code(rec, product.get("uom_id"), f"{place}.product_id.uom_id", options)
            if product
            else UNIT
        )
        discount = decimal(row.get("discount"))
        lines.append(
            InvoiceLine(
                line_id=str(row["id"]),
                sku=code,
                description=text(row.get("name")),
                quantity=Quantity(value=decimal(row.get("quantity")), uom=uom),
                unit_price=decimal(row.get("price_unit")),
                discount_percent=discount if discount else None,
                subtotal=decimal(row.get("price_subtotal")),
                total=decimal(row.get("price_total")),
            )
        )
    if not lines:
        raise MappingError("the posted invoice has no priced line", f"{rec.where}.invoice_line_ids")
    return lines
