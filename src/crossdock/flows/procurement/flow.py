"""The procurement flow: one purchase order from confirmation to a draft vendor bill.

`flows.procurement` runs on the order's lane (`purchase_order:<number>`) for each of its
events, in order, and keeps the order's state in `procurement_orders`:

    ordered ──855/ORDRSP──► acknowledged ──856/DESADV──► shipped ──944/RECADV──► received
       └──────────────────────────────────────────────────────────────────┐      │
                                                            810/INVOIC ──► billed │ invoice_held

* `purchase_order.confirmed` records the order (the supplier connector sends it out).
* `purchase_order.acknowledged` writes the promised quantities and dates to the order and
  raises an exception for each rejected or changed line.
* `ship_notice.received` records what is coming per order line (quantities, lots, packages)
  and tells the receipt.
* `receipt.advised` validates the receipt with the counted quantities (backorder by policy)
  and raises an exception for every discrepancy: short, over, damaged, wrong item.
* `invoice.received` matches order, receipt and invoice within the supplier's tolerances:
  a draft vendor bill when they agree, else the invoice is held with the differences.

An exception is recorded on the order's state, raised as a
`crossdock.purchase_order.exception_raised.v1` event (for notifications) and put on the
order as a to-do for a buyer. The flow sees only canonical events; the system of record is
reached through `ProcurementBackend`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection

from crossdock.canonical.asn import AdvanceShipNotice
from crossdock.canonical.envelope import Envelope
from crossdock.canonical.event_types import (
    INVOICE_RECEIVED_V1,
    PURCHASE_ORDER_ACKNOWLEDGED_V1,
    PURCHASE_ORDER_CONFIRMED_V1,
    PURCHASE_ORDER_EXCEPTION_RAISED_V1,
    RECEIPT_ADVISED_V1,
    SHIP_NOTICE_RECEIVED_V1,
)
from crossdock.canonical.invoice import Invoice
from crossdock.canonical.procurement import ProcurementException, ProcurementIssue
from crossdock.canonical.purchase import PurchaseOrder
from crossdock.canonical.purchase_ack import PurchaseOrderAcknowledgement
from crossdock.canonical.receipt_advice import ReceiptAdvice
from crossdock.canonical.registry import build_event
from crossdock.config import PartnerConfig
from crossdock.errors import RetryableError
from crossdock.flows.procurement import state as states
from crossdock.flows.procurement.backend import DraftBill, ProcurementBackend
from crossdock.flows.procurement.matching import (
    describe,
    match_invoice,
    match_notice,
    review_acknowledgement,
    review_receipt,
)
from crossdock.flows.procurement.settings import ProcurementConfig, Tolerances
from crossdock.ids import derived_id
from crossdock.pipeline.registry import Handler, JobContext, JobRegistry
from crossdock.pipeline.route import Router
from crossdock.store import events

JOB_TYPE = "flows.procurement"
SOURCE = "/flows/procurement"
EVENT_TYPES = (
    PURCHASE_ORDER_CONFIRMED_V1,
    PURCHASE_ORDER_ACKNOWLEDGED_V1,
    SHIP_NOTICE_RECEIVED_V1,
    RECEIPT_ADVISED_V1,
    INVOICE_RECEIVED_V1,
)

BackendFor = Callable[[], ProcurementBackend]
PartnerLookup = Callable[[str], PartnerConfig | None]


class OrderNotYetKnown(RetryableError):
    """A supplier document arrived before the order's confirmation was translated."""


def po_number_of(envelope: Envelope) -> str:
    lane = envelope.lanekey or ""
    if lane.startswith("purchase_order:"):
        return lane.removeprefix("purchase_order:")
    return str(envelope.subject)


class Step:
    """One event applied to one order: the effects on the backend happen in `run`, the
    state change and the raised exception are committed with the job."""

    def __init__(
        self,
        ctx: JobContext,
        order: states.OrderState,
        envelope: Envelope,
        backend: ProcurementBackend,
        config: ProcurementConfig,
        tolerances: Tolerances,
    ) -> None:
        self.ctx, self.order, self.envelope = ctx, order, envelope
        self.backend, self.config, self.tolerances = backend, config, tolerances
        self.purchase = PurchaseOrder.model_validate(order.purchase_order)
        self.exception: ProcurementException | None = None

    def raise_issues(self, step: str, document: str, issues: list[ProcurementIssue]) -> None:
        if issues:
            self.exception = ProcurementException(
                po_number=self.order.po_number,
                step=step,
                document=document,
                supplier=self.order.supplier,
                issues=issues,
            )

    async def acknowledged(self) -> None:
        ack = PurchaseOrderAcknowledgement.model_validate(self.envelope.data)
        review = review_acknowledgement(self.purchase, ack)
        await self.backend.apply_promises(self.order.po_number, review.promises)
        promised = self.order.progress.setdefault("promised", {})
        for promise in review.promises:
            entry = promised.setdefault(promise.line_id, {})
            if promise.quantity is not None:
                entry["quantity"] = str(promise.quantity)
            if promise.promised_date is not None:
                entry["date"] = promise.promised_date.isoformat()
            if promise.unit_price is not None:
                entry["unit_price"] = str(promise.unit_price)
        self.order.progress["acknowledgement"] = ack.status.value
        self.order.state = states.ACKNOWLEDGED
        self.raise_issues("acknowledgement", ack.acknowledgement_id or ack.po_number, review.issues)

    async def ship_notice(self) -> None:
        notice = AdvanceShipNotice.model_validate(self.envelope.data)
        match = match_notice(self.purchase, notice, self._due_quantities())
        await self.backend.expect_receipt(
            self.order.po_number, notice.asn_id, notice.expected_on, match.expected
        )
        expected = self.order.progress.setdefault("expected", {})
        for line_id, coming in match.expected.items():
            before = Decimal(expected.get(line_id, {}).get("quantity", "0"))
            expected[line_id] = {
                "quantity": str(before + coming.quantity),
                "lots": {lot: str(qty) for lot, qty in coming.lots.items()},
                "packages": coming.packages,
            }
        self.order.progress.setdefault("notices", []).append(notice.asn_id)
        self.order.state = states.SHIPPED
        self.raise_issues("ship_notice", notice.asn_id, match.issues)

    def _due_quantities(self) -> dict[str, Decimal]:
        """Per line, what the supplier still owes: promised (else ordered) less what earlier
        ship notices announced."""
        noticed = self.order.progress.get("expected", {})
        promised = self.order.progress.get("promised", {})
        due: dict[str, Decimal] = {}
        for line in self.purchase.lines:
            want = Decimal(promised.get(line.line_id, {}).get("quantity", line.quantity.value))
            due[line.line_id] = want - Decimal(noticed.get(line.line_id, {}).get("quantity", "0"))
        return due

    def _expected_quantities(self) -> dict[str, Decimal]:
        noticed = self.order.progress.get("expected", {})
        promised = self.order.progress.get("promised", {})
        wanted: dict[str, Decimal] = {}
        for line in self.purchase.lines:
            if line.line_id in noticed:
                wanted[line.line_id] = Decimal(noticed[line.line_id]["quantity"])
            elif "quantity" in promised.get(line.line_id, {}):
                wanted[line.line_id] = Decimal(promised[line.line_id]["quantity"])
            else:
                wanted[line.line_id] = line.quantity.value
        return wanted

    async def receipt(self) -> None:
        advice = ReceiptAdvice.model_validate(self.envelope.data)
        review = review_receipt(self.purchase, advice, self._expected_quantities())
        counted = [line for line in review.counted if line.quantity > 0]
        outcome = await self.backend.receive(
            self.order.po_number, counted, self.config.backorder, advice.receipt_id
        )
        self.order.progress.setdefault("receipts", []).append(
            {
                "advice": advice.receipt_id,
                "receipt": outcome.receipt,
                "backorder": outcome.backorder,
                "counted": {line.line_id: str(line.quantity) for line in review.counted},
            }
        )
        self.order.state = states.RECEIVED
        self.raise_issues("receipt", advice.receipt_id, review.issues)
        await self.rematch_held_invoices()

    async def invoice(self) -> None:
        invoice = Invoice.model_validate(self.envelope.data)
        held = await self._settle(invoice)
        if held is not None:
            self.raise_issues("invoice", invoice.number, held)

    async def _settle(self, invoice: Invoice) -> list[ProcurementIssue] | None:
        """Match one invoice: a draft bill, or the issues it is held for (None if billed)."""
        promised = self.order.progress.get("promised", {})
        prices: dict[str, Decimal] = {}
        for line in self.purchase.lines:
            agreed = promised.get(line.line_id, {}).get("unit_price")
            if agreed is not None:
                prices[line.line_id] = Decimal(agreed)
            elif line.unit_price is not None:
                prices[line.line_id] = line.unit_price
        received = await self.backend.received_quantities(self.order.po_number)
        match = match_invoice(self.purchase, prices, received, invoice, self.tolerances)
        invoices = self.order.progress.setdefault("invoices", {})
        if not match.matched:
            # Kept whole, so that a later receipt can match it again.
            invoices[invoice.number] = {
                "status": "held",
                "invoice": invoice.model_dump(mode="json"),
            }
            self.order.state = states.INVOICE_HELD
            return match.issues
        bill = DraftBill(invoice.number, invoice.invoice_date, invoice.due_date, match.lines)
        outcome = await self.backend.create_draft_bill(self.order.po_number, bill)
        invoices[invoice.number] = {"status": "billed", "bill": outcome.bill_id}
        self.order.state = states.BILLED
        return None

    async def rematch_held_invoices(self) -> None:
        """An invoice that came before the goods is matched again once they are received;
        one still short stays held, without a new exception."""
        invoices = self.order.progress.get("invoices", {})
        for entry in [e for e in invoices.values() if e.get("status") == "held"]:
            await self._settle(Invoice.model_validate(entry["invoice"]))
        statuses = {entry.get("status") for entry in invoices.values()}
        if "held" in statuses:
            self.order.state = states.INVOICE_HELD
        elif "billed" in statuses:
            self.order.state = states.BILLED


STEPS = {
    PURCHASE_ORDER_ACKNOWLEDGED_V1: Step.acknowledged,
    SHIP_NOTICE_RECEIVED_V1: Step.ship_notice,
    RECEIPT_ADVISED_V1: Step.receipt,
    INVOICE_RECEIVED_V1: Step.invoice,
}


def exception_event(envelope: Envelope, exception: ProcurementException) -> Envelope:
    return build_event(
        PURCHASE_ORDER_EXCEPTION_RAISED_V1,
        exception,
        source=SOURCE,
        subject=exception.po_number,
        correlationid=envelope.correlationid,
        partner=envelope.partner,
        lanekey=envelope.lanekey,
        event_id=derived_id(PURCHASE_ORDER_EXCEPTION_RAISED_V1, envelope.id),
        time=envelope.time,
    )


def make_handler(
    router: Router,
    config: ProcurementConfig,
    backend_for: BackendFor,
    partner_config: PartnerLookup,
) -> Handler:
    async def handle(ctx: JobContext) -> None:
        envelope = Envelope.from_cloudevent(ctx.payload["event"])
        po_number = po_number_of(envelope)
        order = await ctx.store.run(_read, ctx, po_number)
        now = ctx.clock.now()
        if envelope.type == PURCHASE_ORDER_CONFIRMED_V1:
            _confirmed(ctx, order, envelope, now)
            return
        if order is None:
            raise OrderNotYetKnown(f"purchase order {po_number} is not known (yet)")
        if order.handled(envelope.id):
            return
        order.supplier = order.supplier or envelope.partner
        step = Step(
            ctx,
            order,
            envelope,
            backend_for(),
            config,
            _tolerances(config, partner_config, order.supplier),
        )
        await STEPS[envelope.type](step)
        order.mark_handled(envelope.id)
        derived: list[Envelope] = []
        if step.exception is not None:
            record = step.exception.model_dump(mode="json") | {"at": now.isoformat()}
            order.exceptions.append(record)
            derived.append(exception_event(envelope, step.exception))
            await step.backend.flag(
                po_number,
                f"{step.exception.step.replace('_', ' ')} exception: {step.exception.document}",
                describe(step.exception.issues),
                now.date(),
            )
            ctx.log.warning(
                "procurement exception",
                po_number=po_number,
                step=step.exception.step,
                issues=[issue.kind.value for issue in step.exception.issues],
            )

        def save(conn: Connection) -> None:
            states.save(conn, order, now)
            if derived:
                events.record(conn, derived, ctx.job.message_id, now)

        ctx.write(save)
        for spec in (spec for event in derived for spec in router.route(event, ctx.job.message_id)):
            ctx.enqueue(spec)
        ctx.log.info("procurement step", po_number=po_number, state=order.state)

    return handle


def _confirmed(
    ctx: JobContext, order: states.OrderState | None, envelope: Envelope, now: datetime
) -> None:
    purchase = PurchaseOrder.model_validate(envelope.data)
    if order is None:
        order = states.OrderState(po_number=purchase.po_number, purchase_order=envelope.data)
    elif order.state == states.ORDERED:
        order.purchase_order = envelope.data  # edited before the supplier answered
    else:
        return  # Crossdock's own writes (promised dates) come back as changes: nothing new
    ctx.write(lambda conn: states.save(conn, order, now))


def _tolerances(
    config: ProcurementConfig, partner_config: PartnerLookup, supplier: str | None
) -> Tolerances:
    partner = partner_config(supplier) if supplier else None
    own: Any = partner.settings.get("tolerances") if partner else None
    return Tolerances.model_validate(own) if own else config.tolerances


def _read(ctx: JobContext, po_number: str) -> states.OrderState | None:
    with ctx.store.engine.connect() as conn:
        return states.get(conn, po_number)


def register(
    registry: JobRegistry,
    router: Router,
    config: ProcurementConfig,
    backend_for: BackendFor,
    partner_config: PartnerLookup,
) -> None:
    registry.register(JOB_TYPE, make_handler(router, config, backend_for, partner_config))
    router.subscribe(JOB_TYPE, EVENT_TYPES)
