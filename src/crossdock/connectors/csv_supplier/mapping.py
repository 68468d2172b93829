"""A CSV supplier's rows ↔ the canonical documents the procurement flow consumes (pure).

Rows carry their document's header values on each line; they are grouped by the
document's key (`fields.DOCUMENT_KEY`) in file order, and every row of one document must
agree on its header values. A ship notice's rows with an `sscc` are cartons (one package
per SSCC), the others items of the order itself. Whatever the canonical model refuses (a
zero quantity, two rows for one line) is a `FileFormatError` naming the file and the line.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

from pydantic import ValidationError

from crossdock.canonical.asn import AdvanceShipNotice, AsnItem, AsnOrder, AsnPackage
from crossdock.canonical.common import Party, Quantity
from crossdock.canonical.invoice import Invoice, InvoiceDirection, InvoiceLine, InvoiceTotals
from crossdock.canonical.purchase import PurchaseOrder
from crossdock.canonical.purchase_ack import (
    AckLineStatus,
    PurchaseOrderAckLine,
    PurchaseOrderAcknowledgement,
)
from crossdock.connectors.csv_supplier.codec import FileFormatError, Row
from crossdock.connectors.csv_supplier.fields import DOCUMENT_KEY, HEADER_FIELDS, DocumentKind
from crossdock.connectors.csv_supplier.settings import Statuses

T = TypeVar("T")
CENT = Decimal("0.01")


def _documents(rows: Sequence[Row], kind: DocumentKind, file: str) -> list[list[Row]]:
    """Rows grouped by document, in file order; header values checked to agree."""
    groups: dict[str, list[Row]] = {}
    for row in rows:
        groups.setdefault(str(row.values[DOCUMENT_KEY[kind]]), []).append(row)
    for group in groups.values():
        first = group[0]
        for row in group[1:]:
            for name in sorted(HEADER_FIELDS[kind]):
                if name in row.values and row.values[name] != first.values.get(name):
                    raise FileFormatError(
                        file,
                        row.line,
                        row.column(name),
                        f"{name} {row.values[name]!s} differs from line {first.line}'s "
                        f"{first.values.get(name)!s} for the same {kind}",
                    )
    return list(groups.values())


def _built(build: Callable[[], T], file: str, rows: Sequence[Row]) -> T:
    """`build()`, its validation errors as a `FileFormatError` at the rows' place: one
    row's own line (and the column of the field, when one is named), else the first line
    of the document with the range of its lines."""
    try:
        return build()
    except ValidationError as exc:
        errors = exc.errors()
        detail = "; ".join(
            f"{'.'.join(map(str, error['loc'])) or 'document'}: {error['msg']}" for error in errors
        )
        first = rows[0]
        if len(rows) == 1:
            named = str(errors[0]["loc"][0]) if errors and errors[0]["loc"] else ""
            raise FileFormatError(file, first.line, first.column(named), detail) from None
        raise FileFormatError(
            file, first.line, None, f"lines {first.line}-{rows[-1].line}: {detail}"
        ) from None


def _quantity(value: Decimal | None, row: Row, default_uom: str) -> Quantity | None:
    if value is None:
        return None
    return Quantity(value=value, uom=row.values.get("uom", default_uom))


# -- purchase order (out) -------------------------------------------------------------------


def order_rows(order: PurchaseOrder) -> list[dict[str, Any]]:
    """One row per order line, the order's header values on each."""
    ordered = order.ordered_at.date() if order.ordered_at else None
    return [
        {
            "po_number": order.po_number,
            "order_date": ordered,
            "vendor": order.vendor.name,
            "currency": order.currency,
            "line_id": line.line_id,
            "sku": line.sku,
            "description": line.description,
            "quantity": line.quantity.value,
            "uom": line.quantity.uom,
            "unit_price": line.unit_price,
            "requested_date": line.expected_date or order.expected_date,
        }
        for line in order.lines
    ]


# -- acknowledgement (in) -------------------------------------------------------------------


def _status(row: Row, statuses: Statuses, file: str) -> AckLineStatus:
    word = str(row.values["status"]).casefold()
    for status in AckLineStatus:
        if word in (known.casefold() for known in getattr(statuses, status.value)):
            return status
    words = [w for status in AckLineStatus for w in getattr(statuses, status.value)]
    raise FileFormatError(
        file,
        row.line,
        row.column("status"),
        f"status {row.values['status']!r} is none of {', '.join(map(repr, words))}",
    )


def _header_status(lines: Sequence[PurchaseOrderAckLine]) -> AckLineStatus:
    found = {line.status for line in lines}
    if found == {AckLineStatus.ACCEPTED}:
        return AckLineStatus.ACCEPTED
    if found == {AckLineStatus.REJECTED}:
        return AckLineStatus.REJECTED
    return AckLineStatus.CHANGED


def acknowledgements_from_rows(
    rows: Sequence[Row], statuses: Statuses, default_uom: str, file: str, today: date
) -> list[PurchaseOrderAcknowledgement]:
    """One acknowledgement per purchase order in the file; its status is the lines':
    accepted or rejected when every line is, else changed. Without `acknowledged_on` the
    day the file was received."""
    found = []
    for group in _documents(rows, "acknowledgement", file):
        head = group[0].values

        def build(group: list[Row] = group, head: Mapping[str, Any] = head) -> Any:
            lines = [
                PurchaseOrderAckLine(
                    line_id=row.values["line_id"],
                    sku=row.values.get("sku"),
                    status=_status(row, statuses, file),
                    raw_status=row.values["status"],
                    ordered_quantity=_quantity(
                        row.values.get("ordered_quantity"), row, default_uom
                    ),
                    promised_quantity=_quantity(
                        row.values.get("promised_quantity"), row, default_uom
                    ),
                    promised_date=row.values.get("promised_date"),
                    unit_price=row.values.get("unit_price"),
                )
                for row in group
            ]
            return PurchaseOrderAcknowledgement(
                po_number=head["po_number"],
                acknowledgement_id=head.get("acknowledgement_id"),
                status=_header_status(lines),
                raw_status="",
                acknowledged_on=head.get("acknowledged_on", today),
                lines=lines,
            )

        found.append(_built(build, file, group))
    return found


def acknowledgement_rows(
    ack: PurchaseOrderAcknowledgement, statuses: Statuses
) -> list[dict[str, Any]]:
    """The rows a supplier writes for `ack` (its first word for each status when the line
    carries no raw status of its own)."""
    return [
        {
            "po_number": ack.po_number,
            "acknowledgement_id": ack.acknowledgement_id,
            "acknowledged_on": ack.acknowledged_on,
            "line_id": line.line_id,
            "sku": line.sku,
            "status": line.raw_status or getattr(statuses, line.status.value)[0],
            "ordered_quantity": line.ordered_quantity.value if line.ordered_quantity else None,
            "promised_quantity": line.promised_quantity.value if line.promised_quantity else None,
            "uom": _uom(line.promised_quantity or line.ordered_quantity),
            "promised_date": line.promised_date or ack.promised_date,
            "unit_price": line.unit_price,
        }
        for line in ack.lines
    ]


def _uom(quantity: Quantity | None) -> str | None:
    return quantity.uom if quantity else None


# -- ship notice (in) -----------------------------------------------------------------------


def _item(row: Row, default_uom: str, file: str) -> AsnItem:
    values = row.values
    return _built(
        lambda: AsnItem(
            sku=values["sku"],
            lot=values.get("lot"),
            line_id=values.get("line_id"),
            quantity=Quantity(value=values["quantity"], uom=values.get("uom", default_uom)),
        ),
        file,
        [row],
    )


def _asn_order(po_number: str, rows: Iterable[Row], default_uom: str, file: str) -> AsnOrder:
    cartons: dict[str, list[AsnItem]] = {}
    loose: list[AsnItem] = []
    for row in rows:
        sscc = row.values.get("sscc")
        (cartons.setdefault(sscc, []) if sscc else loose).append(_item(row, default_uom, file))
    return AsnOrder(
        purchase_order_reference=po_number,
        packages=[
            AsnPackage(kind="pack", sscc=sscc, items=items) for sscc, items in cartons.items()
        ],
        items=loose,
    )


def ship_notices_from_rows(
    rows: Sequence[Row], default_uom: str, file: str, today: date
) -> list[AdvanceShipNotice]:
    """One notice per `asn_id`, an order per purchase order its rows name."""
    found = []
    for group in _documents(rows, "ship_notice", file):
        head = group[0].values

        def build(group: list[Row] = group, head: Mapping[str, Any] = head) -> Any:
            orders: dict[str, list[Row]] = {}
            for row in group:
                orders.setdefault(row.values["po_number"], []).append(row)
            return AdvanceShipNotice(
                asn_id=head["asn_id"],
                issued_on=head.get("ship_date", today),
                shipped_on=head.get("ship_date"),
                expected_on=head.get("expected_date"),
                carrier_code=head.get("carrier_code"),
                bill_of_lading=head.get("bill_of_lading"),
                orders=[_asn_order(po, items, default_uom, file) for po, items in orders.items()],
            )

        found.append(_built(build, file, group))
    return found


def _packed_items(package: AsnPackage) -> Iterable[tuple[str | None, AsnItem]]:
    for item in package.items:
        yield package.sscc, item
    for inner in package.packages:
        yield from _packed_items(inner)


def ship_notice_rows(notice: AdvanceShipNotice) -> list[dict[str, Any]]:
    """A row per item; an item in a carton carries the innermost package's SSCC."""
    rows = []
    for order in notice.orders:
        items: list[tuple[str | None, AsnItem]] = [(None, item) for item in order.items]
        for package in order.packages:
            items.extend(_packed_items(package))
        for sscc, item in items:
            rows.append(
                {
                    "asn_id": notice.asn_id,
                    "po_number": order.purchase_order_reference,
                    "ship_date": notice.shipped_on or notice.issued_on,
                    "expected_date": notice.expected_on,
                    "carrier_code": notice.carrier_code,
                    "bill_of_lading": notice.bill_of_lading,
                    "sscc": sscc,
                    "line_id": item.line_id,
                    "sku": item.sku,
                    "lot": item.lot,
                    "quantity": item.quantity.value,
                    "uom": item.quantity.uom,
                }
            )
    return rows


# -- invoice (in) ---------------------------------------------------------------------------


def invoices_from_rows(
    rows: Sequence[Row], supplier: Party, currency: str, default_uom: str, file: str
) -> list[Invoice]:
    """One vendor invoice per `invoice_number`; a line's subtotal is quantity times price (to
    the cent) unless the row gives it, and its tax adds to its total."""
    found = []
    for group in _documents(rows, "invoice", file):
        head = group[0].values

        def build(group: list[Row] = group, head: Mapping[str, Any] = head) -> Any:
            lines = []
            for row in group:
                values = row.values
                subtotal = values.get("subtotal")
                if subtotal is None:
                    subtotal = (values["quantity"] * values["unit_price"]).quantize(CENT)
                lines.append(
                    InvoiceLine(
                        line_id=values["line_id"],
                        sku=values.get("sku"),
                        description=values.get("description"),
                        quantity=Quantity(
                            value=values["quantity"], uom=values.get("uom", default_uom)
                        ),
                        unit_price=values["unit_price"],
                        subtotal=subtotal,
                        total=subtotal + values.get("tax", Decimal(0)),
                    )
                )
            untaxed = sum((line.subtotal for line in lines), Decimal(0))
            total = sum((line.total for line in lines), Decimal(0))
            return Invoice(
                number=head["invoice_number"],
                direction=InvoiceDirection.VENDOR,
                partner=supplier,
                origin=head["po_number"],
                invoice_date=head["invoice_date"],
                due_date=head.get("due_date"),
                currency=head.get("currency", currency),
                lines=lines,
                totals=InvoiceTotals(untaxed=untaxed, tax=total - untaxed, total=total),
            )

        found.append(_built(build, file, group))
    return found


def invoice_rows(invoice: Invoice) -> list[dict[str, Any]]:
    return [
        {
            "invoice_number": invoice.number,
            "invoice_date": invoice.invoice_date,
            "due_date": invoice.due_date,
            "po_number": invoice.origin,
            "currency": invoice.currency,
            "line_id": line.line_id,
            "sku": line.sku,
            "description": line.description,
            "quantity": line.quantity.value,
            "uom": line.quantity.uom,
            "unit_price": line.unit_price,
            "subtotal": line.subtotal,
            "tax": line.total - line.subtotal,
        }
        for line in invoice.lines
    ]
