"""The canonical fields a CSV supplier's columns may carry, per document, and their types.

A supplier without EDI exchanges flat files: one row per order line (acknowledgement,
invoice) or per shipped item (ship notice), with the document's header values repeated on
every row. These tables are what a partner's `documents.<kind>.columns` may name; the
fields a document cannot do without are checked when the config is validated.
"""

from __future__ import annotations

from typing import Literal

FieldType = Literal["text", "decimal", "date"]
DocumentKind = Literal["order", "acknowledgement", "ship_notice", "invoice"]
INBOUND: tuple[DocumentKind, ...] = ("acknowledgement", "ship_notice", "invoice")

FIELDS: dict[DocumentKind, dict[str, FieldType]] = {
    "order": {
        "po_number": "text",
        "order_date": "date",
        "vendor": "text",
        "currency": "text",
        "line_id": "text",
        "sku": "text",
        "description": "text",
        "quantity": "decimal",
        "uom": "text",
        "unit_price": "decimal",
        "requested_date": "date",
    },
    "acknowledgement": {
        "po_number": "text",
        "acknowledgement_id": "text",
        "acknowledged_on": "date",
        "line_id": "text",
        "sku": "text",
        "status": "text",
        "ordered_quantity": "decimal",
        "promised_quantity": "decimal",
        "uom": "text",
        "promised_date": "date",
        "unit_price": "decimal",
    },
    "ship_notice": {
        "asn_id": "text",
        "po_number": "text",
        "ship_date": "date",
        "expected_date": "date",
        "carrier_code": "text",
        "bill_of_lading": "text",
        "sscc": "text",
        "line_id": "text",
        "sku": "text",
        "lot": "text",
        "quantity": "decimal",
        "uom": "text",
    },
    "invoice": {
        "invoice_number": "text",
        "invoice_date": "date",
        "due_date": "date",
        "po_number": "text",
        "currency": "text",
        "line_id": "text",
        "sku": "text",
        "description": "text",
        "quantity": "decimal",
        "uom": "text",
        "unit_price": "decimal",
        "subtotal": "decimal",
        "tax": "decimal",
    },
}

REQUIRED: dict[DocumentKind, frozenset[str]] = {
    "order": frozenset({"po_number", "line_id", "sku", "quantity"}),
    "acknowledgement": frozenset({"po_number", "line_id", "status"}),
    "ship_notice": frozenset({"asn_id", "po_number", "sku", "quantity"}),
    "invoice": frozenset(
        {"invoice_number", "invoice_date", "po_number", "line_id", "quantity", "unit_price"}
    ),
}

DOCUMENT_KEY: dict[DocumentKind, str] = {
    "order": "po_number",
    "acknowledgement": "po_number",
    "ship_notice": "asn_id",
    "invoice": "invoice_number",
}
"""The field that tells one document of a file from the next (rows are grouped by it)."""

HEADER_FIELDS: dict[DocumentKind, frozenset[str]] = {
    "order": frozenset({"order_date", "vendor", "currency"}),
    "acknowledgement": frozenset({"acknowledgement_id", "acknowledged_on"}),
    "ship_notice": frozenset({"ship_date", "expected_date", "carrier_code", "bill_of_lading"}),
    "invoice": frozenset({"invoice_date", "due_date", "po_number", "currency"}),
}
"""Values of the whole document repeated on each row: every row of a document must agree."""
