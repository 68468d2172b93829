"""A CSV supplier partner entry for tests: semicolons, German dates and decimal commas, and
headers in the supplier's own words for some columns, as a small supplier's export has."""

from __future__ import annotations

from typing import Any

from crossdock.config import PartnerConfig
from crossdock.connectors.csv_supplier.settings import CsvSupplierSettings

SUPPLIER = "brightpack"
VENDOR = "Brightpack GmbH"


def csv_settings(transport: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    settings: dict[str, Any] = {
        "vendor_names": [VENDOR],
        "supplier": {
            "name": VENDOR,
            "address": {"line1": "Hafenstr. 1", "city": "Bremen", "country_code": "DE"},
        },
        "currency": "EUR",
        "csv": {"delimiter": ";", "date_format": "%d.%m.%Y", "decimal_separator": ","},
        "documents": {
            "order": {
                "file": "PO-{po_number}.csv",
                "columns": [
                    {"field": "po_number", "header": "Bestellung"},
                    "order_date",
                    "line_id",
                    "sku",
                    "description",
                    {"field": "quantity", "header": "Menge"},
                    "uom",
                    "unit_price",
                    "currency",
                    "requested_date",
                ],
            },
            "acknowledgement": {
                "pattern": "ACK*.csv",
                "columns": [
                    {"field": "po_number", "header": "Bestellung"},
                    "acknowledgement_id",
                    "acknowledged_on",
                    "line_id",
                    "sku",
                    "status",
                    "ordered_quantity",
                    {"field": "promised_quantity", "header": "Menge bestaetigt"},
                    "uom",
                    "promised_date",
                    "unit_price",
                ],
            },
            "ship_notice": {
                "pattern": "ASN*.csv",
                "columns": [
                    "asn_id",
                    {"field": "po_number", "header": "Bestellung"},
                    "ship_date",
                    "expected_date",
                    "carrier_code",
                    "sscc",
                    "line_id",
                    "sku",
                    "lot",
                    "quantity",
                    "uom",
                ],
            },
            "invoice": {
                "pattern": "INV*.csv",
                "columns": [
                    {"field": "invoice_number", "header": "Rechnung"},
                    "invoice_date",
                    "due_date",
                    {"field": "po_number", "header": "Bestellung"},
                    "currency",
                    "line_id",
                    "sku",
                    "quantity",
                    "uom",
                    "unit_price",
                    "subtotal",
                    "tax",
                ],
            },
        },
        "statuses": {"accepted": ["OK"], "changed": ["GEAENDERT"], "rejected": ["ABGELEHNT"]},
        "transport": transport,
    }
    settings.update(overrides)
    return settings


def csv_partner(transport: dict[str, Any], **overrides: Any) -> PartnerConfig:
    return PartnerConfig(
        id=SUPPLIER, kind="csv_supplier", settings=csv_settings(transport, **overrides)
    )


def parsed(partner: PartnerConfig) -> CsvSupplierSettings:
    return CsvSupplierSettings.model_validate(partner.settings)
