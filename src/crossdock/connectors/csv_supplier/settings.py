"""A supplier exchanging CSV files (partner `settings`), checked by `crossdock check`.

```yaml
- id: brightpack
  kind: csv_supplier
  settings:
    vendor_names: ["Brightpack GmbH"]
    supplier: {name: Brightpack GmbH, address: {line1: Hafenstr. 1, city: Bremen, country_code: DE}}
    currency: EUR
    csv: {delimiter: ";", date_format: "%d.%m.%Y", decimal_separator: ","}
    documents:
      order:           {file: "PO-{po_number}.csv", columns: [po_number, line_id, sku, quantity]}
      acknowledgement: {pattern: "ACK*.csv", columns: [po_number, line_id, status,
                        {field: promised_quantity, header: "Qty confirmed"}, promised_date]}
      ship_notice:     {pattern: "ASN*.csv", columns: [asn_id, po_number, sscc, sku, quantity]}
      invoice:         {pattern: "INV*.csv", columns: [invoice_number, invoice_date, po_number,
                        line_id, quantity, unit_price]}
    statuses: {accepted: [A], changed: [C], rejected: [R]}
    transport: {kind: folder, root: /srv/drop/brightpack}
```

A column is a canonical field name (`fields.FIELDS`), its header the same name, or
`{field, header}` when the supplier's header differs. The order file's columns are written in
the order given; inbound files are read by header, in any column order.
"""

from __future__ import annotations

import codecs
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from crossdock.canonical.common import Party
from crossdock.connectors.csv_supplier.fields import FIELDS, REQUIRED, DocumentKind
from crossdock.connectors.files.settings import Transport
from crossdock.flows.procurement.settings import Tolerances

KIND = "csv_supplier"


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Column(_Section):
    field: str = Field(min_length=1)
    header: str = Field(default="", min_length=0)

    @property
    def title(self) -> str:
        return self.header or self.field


ColumnEntry = Annotated[Column | str, Field(union_mode="left_to_right")]


class DocumentLayout(_Section):
    """One document's file: its columns, and how its files are named (`file` for what
    Crossdock writes, `{po_number}` filled in; `pattern` for what it picks up)."""

    columns: list[ColumnEntry] = Field(min_length=1)
    pattern: str = Field(default="*.csv", min_length=1)
    file: str = Field(default="PO-{po_number}.csv", pattern=r"^[^/\\]*\{po_number\}[^/\\]*$")

    def resolved(self) -> list[Column]:
        return [Column(field=c) if isinstance(c, str) else c for c in self.columns]


class CsvFormat(_Section):
    delimiter: str = Field(default=",", min_length=1, max_length=1)
    quote: str = Field(default='"', min_length=1, max_length=1)
    encoding: str = "utf-8"
    date_format: str = "%Y-%m-%d"
    decimal_separator: str = Field(default=".", pattern=r"^[.,]$")

    @field_validator("encoding")
    @classmethod
    def _known_encoding(cls, value: str) -> str:
        try:
            codecs.lookup(value)
        except LookupError:
            raise ValueError(f"{value!r} is not an encoding Python knows") from None
        return value


class Documents(_Section):
    order: DocumentLayout
    acknowledgement: DocumentLayout
    ship_notice: DocumentLayout
    invoice: DocumentLayout

    @field_validator("order", "acknowledgement", "ship_notice", "invoice")
    @classmethod
    def _known_columns(cls, value: DocumentLayout, info: ValidationInfo) -> DocumentLayout:
        kind: DocumentKind = info.field_name  # type: ignore[assignment]
        known = FIELDS[kind]
        fields: dict[str, int] = {}
        headers: dict[str, int] = {}
        for index, column in enumerate(value.resolved()):
            if column.field not in known:
                raise ValueError(
                    f"columns[{index}]: {column.field!r} is not a {kind} field "
                    f"(known: {', '.join(known)})"
                )
            if column.field in fields:
                raise ValueError(
                    f"columns[{index}]: {column.field!r} is already columns[{fields[column.field]}]"
                )
            title = column.title.strip().casefold()
            if title in headers:
                raise ValueError(
                    f"columns[{index}]: header {column.title!r} is already "
                    f"columns[{headers[title]}]'s"
                )
            fields[column.field], headers[title] = index, index
        missing = sorted(REQUIRED[kind] - set(fields))
        if missing:
            raise ValueError(f"columns: a {kind} needs {', '.join(missing)}")
        return value


class Statuses(_Section):
    """The supplier's words for what it did with a line (compared without case)."""

    accepted: list[str] = Field(default_factory=lambda: ["accepted", "A"], min_length=1)
    changed: list[str] = Field(default_factory=lambda: ["changed", "C"], min_length=1)
    rejected: list[str] = Field(default_factory=lambda: ["rejected", "R"], min_length=1)


class CsvSupplierSettings(_Section):
    vendor_names: list[str] = Field(min_length=1)
    """Odoo vendor names whose confirmed orders go to this supplier."""
    supplier: Party
    """The supplier as its invoices' party (a CSV invoice carries no address)."""
    currency: str = Field(pattern=r"^[A-Z]{3}$")
    """The currency of invoices whose rows name none."""
    default_uom: str = Field(default="C62", min_length=1)
    """The unit of quantities in files without a `uom` column."""
    csv: CsvFormat = Field(default_factory=CsvFormat)
    documents: Documents
    statuses: Statuses = Field(default_factory=Statuses)
    tolerances: Tolerances | None = None
    """This supplier's invoice tolerances; the procurement defaults when unset."""
    transport: Transport
    file_prefix: str = Field(default="", pattern=r"^[A-Za-z0-9_-]*$")

    def supplies(self, vendor_name: str) -> bool:
        wanted = vendor_name.casefold().strip()
        return any(name.casefold().strip() == wanted for name in self.vendor_names)
