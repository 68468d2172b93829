"""The procurement flow's judgement, pure: what an acknowledgement changes, which order line
each shipped, received or billed item belongs to, the receipt's discrepancies, and the
three-way match of order, receipt and invoice within tolerances.

An item is matched to an order line by the line id it quotes (the order's line ids travel to
the supplier in the 850 PO101 / ORDERS LIN and come back), else by SKU when exactly one line
has it. Quantities are compared in the order's units: a document in another unit is a
difference, not converted.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from crossdock.canonical.asn import AdvanceShipNotice, AsnItem, AsnPackage
from crossdock.canonical.invoice import Invoice
from crossdock.canonical.procurement import ProcurementExceptionKind as Kind
from crossdock.canonical.procurement import ProcurementIssue
from crossdock.canonical.purchase import PurchaseOrder, PurchaseOrderLine
from crossdock.canonical.purchase_ack import AckLineStatus, PurchaseOrderAcknowledgement
from crossdock.canonical.receipt_advice import ReceiptAdvice, ReceiptCondition
from crossdock.flows.procurement.settings import Tolerances

HUNDRED = Decimal(100)
REPORTED = {
    ReceiptCondition.SHORT: Kind.SHORT,
    ReceiptCondition.OVER: Kind.OVER,
    ReceiptCondition.DAMAGED: Kind.DAMAGED,
    ReceiptCondition.WRONG_ITEM: Kind.WRONG_ITEM,
}


def line_for(
    order: PurchaseOrder, line_id: str | None, sku: str | None
) -> PurchaseOrderLine | None:
    by_id = {line.line_id: line for line in order.lines}
    if line_id and line_id in by_id:
        return by_id[line_id]
    same_sku = [line for line in order.lines if sku and line.sku == sku]
    return same_sku[0] if len(same_sku) == 1 else None


def _text(value: object) -> str | None:
    return None if value is None else str(value)


# -- acknowledgement -----------------------------------------------------------------------


@dataclass(frozen=True)
class Promise:
    """What the supplier now promises for one line: quantity and date, None when unchanged."""

    line_id: str
    quantity: Decimal | None = None
    promised_date: date | None = None
    unit_price: Decimal | None = None


@dataclass(frozen=True)
class AckReview:
    promises: list[Promise]
    issues: list[ProcurementIssue]


def review_acknowledgement(order: PurchaseOrder, ack: PurchaseOrderAcknowledgement) -> AckReview:
    promises: list[Promise] = []
    issues: list[ProcurementIssue] = []
    if ack.status is AckLineStatus.REJECTED:
        issues.append(
            ProcurementIssue(
                kind=Kind.ORDER_REJECTED,
                found=ack.raw_status or None,
                detail=f"the supplier rejected {order.po_number} as a whole",
            )
        )
    for answer in ack.lines:
        line = line_for(order, answer.line_id, answer.sku)
        if line is None:
            issues.append(
                ProcurementIssue(
                    kind=Kind.UNKNOWN_LINE,
                    line_id=answer.line_id,
                    sku=answer.sku,
                    detail=f"the acknowledgement answers line {answer.line_id}, not on the order",
                )
            )
            continue
        if answer.status is AckLineStatus.REJECTED:
            issues.append(
                ProcurementIssue(
                    kind=Kind.LINE_REJECTED,
                    line_id=line.line_id,
                    sku=line.sku,
                    expected=str(line.quantity.value),
                    found=answer.raw_status or None,
                    detail=f"line {line.line_id} ({line.sku}) rejected by the supplier",
                )
            )
            continue
        quantity = answer.promised_quantity.value if answer.promised_quantity else None
        when = answer.promised_date or ack.promised_date
        new_quantity = (
            quantity if quantity is not None and quantity != line.quantity.value else None
        )
        new_price = (
            answer.unit_price
            if answer.unit_price is not None
            and line.unit_price is not None
            and answer.unit_price != line.unit_price
            else None
        )
        changed_date = (
            when is not None and line.expected_date is not None and when != line.expected_date
        )
        if new_quantity is not None or when is not None or new_price is not None:
            promises.append(Promise(line.line_id, new_quantity, when, new_price))
        changes = []
        if new_quantity is not None:
            changes.append(f"quantity {line.quantity.value} → {new_quantity}")
        if changed_date:
            changes.append(f"date {line.expected_date} → {when}")
        if new_price is not None:
            changes.append(f"price {line.unit_price} → {new_price}")
        if changes or answer.status is AckLineStatus.CHANGED:
            issues.append(
                ProcurementIssue(
                    kind=Kind.LINE_CHANGED,
                    line_id=line.line_id,
                    sku=line.sku,
                    expected=str(line.quantity.value),
                    found=_text(new_quantity if new_quantity is not None else line.quantity.value),
                    detail=f"line {line.line_id} ({line.sku}) changed by the supplier: "
                    + (", ".join(changes) or f"status {answer.raw_status}"),
                )
            )
    return AckReview(promises, issues)


# -- ship notice -----------------------------------------------------------------------------


@dataclass
class Expected:
    """What a ship notice says is coming for one order line."""

    quantity: Decimal = Decimal(0)
    lots: dict[str, Decimal] = field(default_factory=dict)
    packages: list[str] = field(default_factory=list)


def _items(
    packages: Iterable[AsnPackage], sscc: str | None
) -> Iterable[tuple[AsnItem, str | None]]:
    for package in packages:
        label = package.sscc or sscc
        for item in package.items:
            yield item, label
        yield from _items(package.packages, label)


@dataclass(frozen=True)
class NoticeMatch:
    expected: dict[str, Expected]
    issues: list[ProcurementIssue]


def match_notice(
    order: PurchaseOrder, notice: AdvanceShipNotice, promised: Mapping[str, Decimal]
) -> NoticeMatch:
    """Items matched to order lines; a line shipped short of `promised` (what is still due
    per line, as ordered or acknowledged) is a short shipment."""
    expected: dict[str, Expected] = {}
    issues: list[ProcurementIssue] = []
    for part in notice.orders:
        if part.purchase_order_reference != order.po_number:
            continue
        found = [*((item, None) for item in part.items), *_items(part.packages, None)]
        for item, sscc in found:
            line = line_for(order, item.line_id, item.sku)
            if line is None:
                issues.append(
                    ProcurementIssue(
                        kind=Kind.WRONG_ITEM,
                        line_id=item.line_id,
                        sku=item.sku,
                        found=str(item.quantity.value),
                        detail=f"ship notice {notice.asn_id} lists {item.sku}, not on the order",
                    )
                )
                continue
            slot = expected.setdefault(line.line_id, Expected())
            slot.quantity += item.quantity.value
            if item.lot:
                slot.lots[item.lot] = slot.lots.get(item.lot, Decimal(0)) + item.quantity.value
            if sscc and sscc not in slot.packages:
                slot.packages.append(sscc)
    for line in order.lines:
        due = promised.get(line.line_id, Decimal(0))
        shipped = expected[line.line_id].quantity if line.line_id in expected else Decimal(0)
        if shipped < due:
            issues.append(
                ProcurementIssue(
                    kind=Kind.SHORT,
                    line_id=line.line_id,
                    sku=line.sku,
                    expected=str(due),
                    found=str(shipped),
                    detail=f"ship notice {notice.asn_id} ships {shipped} of {due} {line.sku}",
                )
            )
    return NoticeMatch(expected, issues)


# -- receipt -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Counted:
    line_id: str
    quantity: Decimal
    lots: dict[str, Decimal]


@dataclass(frozen=True)
class ReceiptReview:
    counted: list[Counted]
    issues: list[ProcurementIssue]


def review_receipt(
    order: PurchaseOrder,
    advice: ReceiptAdvice,
    expected: Mapping[str, Decimal],
) -> ReceiptReview:
    """`expected`: per line, what the ship notice announced (else the promised quantity)."""
    counted: dict[str, Counted] = {}
    issues: list[ProcurementIssue] = []
    for row in advice.lines:
        line = line_for(order, row.purchase_line_id or row.line_id, row.sku)
        if line is None:
            issues.append(
                ProcurementIssue(
                    kind=Kind.WRONG_ITEM,
                    sku=row.sku,
                    found=str(row.received.value),
                    detail=f"receipt {advice.receipt_id} counted {row.sku}, not on the order",
                )
            )
            continue
        before = counted.get(line.line_id)
        lots = dict(before.lots) if before else {}
        if row.lot and row.received.value > 0:
            lots[row.lot] = lots.get(row.lot, Decimal(0)) + row.received.value
        total = (before.quantity if before else Decimal(0)) + row.received.value
        counted[line.line_id] = Counted(line.line_id, total, lots)
        for exception in row.exceptions:
            kind = REPORTED.get(exception.condition)
            if kind is None:
                kind = (
                    Kind.DAMAGED if exception.condition is ReceiptCondition.QUALITY else Kind.SHORT
                )
            issues.append(
                ProcurementIssue(
                    kind=kind,
                    line_id=line.line_id,
                    sku=row.sku,
                    found=str(exception.quantity.value),
                    detail=f"{exception.condition.value} {exception.quantity.value} "
                    f"{exception.quantity.uom} of {row.sku} reported by the warehouse "
                    f"(code {exception.raw_code})",
                )
            )
    reported = {(issue.line_id, issue.kind) for issue in issues}
    for line_id, want in expected.items():
        got = counted[line_id].quantity if line_id in counted else Decimal(0)
        if got == want:
            continue
        kind = Kind.SHORT if got < want else Kind.OVER
        if (line_id, kind) in reported:
            continue
        sku = next(line.sku for line in order.lines if line.line_id == line_id)
        issues.append(
            ProcurementIssue(
                kind=kind,
                line_id=line_id,
                sku=sku,
                expected=str(want),
                found=str(got),
                detail=f"{sku}: {got} received against {want} expected",
            )
        )
    return ReceiptReview(list(counted.values()), issues)


# -- three-way match -----------------------------------------------------------------------


@dataclass(frozen=True)
class BillLine:
    line_id: str
    quantity: Decimal
    unit_price: Decimal
    label: str | None


@dataclass(frozen=True)
class InvoiceMatch:
    lines: list[BillLine]
    issues: list[ProcurementIssue]

    @property
    def matched(self) -> bool:
        return not self.issues


def _within(found: Decimal, want: Decimal, percent: Decimal, amount: Decimal = Decimal(0)) -> bool:
    allowed = max(abs(want) * percent / HUNDRED, amount)
    return abs(found - want) <= allowed


def match_invoice(
    order: PurchaseOrder,
    prices: Mapping[str, Decimal],
    received: Mapping[str, Decimal],
    invoice: Invoice,
    tolerances: Tolerances,
) -> InvoiceMatch:
    """Order (price: `prices`, the ordered or acknowledged price per line), receipt
    (`received` per line) and invoice must agree within `tolerances`, line by line."""
    lines: list[BillLine] = []
    issues: list[ProcurementIssue] = []
    billed: dict[str, Decimal] = {}
    for row in invoice.lines:
        line = line_for(order, row.line_id, row.sku)
        if line is None:
            issues.append(
                ProcurementIssue(
                    kind=Kind.INVOICE_MISMATCH,
                    sku=row.sku,
                    found=f"{row.quantity.value} at {row.unit_price}",
                    detail=f"invoice {invoice.number} bills {row.sku or row.description}, "
                    "not on the order",
                )
            )
            continue
        price = prices.get(line.line_id)
        if price is not None and not _within(
            row.unit_price, price, tolerances.price_percent, tolerances.price_amount
        ):
            issues.append(
                ProcurementIssue(
                    kind=Kind.INVOICE_MISMATCH,
                    line_id=line.line_id,
                    sku=line.sku,
                    expected=str(price),
                    found=str(row.unit_price),
                    detail=f"{line.sku}: unit price {row.unit_price} billed, {price} ordered",
                )
            )
        billed[line.line_id] = billed.get(line.line_id, Decimal(0)) + row.quantity.value
        lines.append(BillLine(line.line_id, row.quantity.value, row.unit_price, row.description))
    for line_id, quantity in billed.items():
        got = received.get(line_id, Decimal(0))
        if not _within(quantity, got, tolerances.quantity_percent):
            sku = next(line.sku for line in order.lines if line.line_id == line_id)
            issues.append(
                ProcurementIssue(
                    kind=Kind.INVOICE_MISMATCH,
                    line_id=line_id,
                    sku=sku,
                    expected=str(got),
                    found=str(quantity),
                    detail=f"{sku}: {quantity} billed, {got} received",
                )
            )
    return InvoiceMatch(lines, issues)


def describe(issues: Sequence[ProcurementIssue]) -> str:
    return "; ".join(issue.detail for issue in issues)
