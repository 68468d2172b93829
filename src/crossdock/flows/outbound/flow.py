"""The outbound fulfillment flow: one state machine per delivery order, from release to invoice.

Keyed by the delivery order (`picking:<name>` is its lane, so its steps run in order) with
the sale order's name as correlation id all the way. States:

    held ─┐
          ├─ awaiting_release → released → acknowledged → picked → packed
    (new)─┘        │                │            │
                   │                └────────────┴─→ shipped / partially_shipped
                   │                                      │
                   └→ cancelled ◄── (cancel sent to WMS)  ├→ delivered
                      cancel_conflict (WMS had shipped)   └→ awaiting_invoice → invoiced

Events in: `fulfillment.requested` / `cancelled` and `order.cancelled` (Odoo),
`fulfillment.acknowledged` / `picked` / `packed` / `shipped` (any WMS connector), and the
tracking flow's `shipment.status_changed` for delivery. Steps out: release and cancel
through the warehouse gateway, validation, tracking number and invoice through the Odoo
actions. Release and invoice run in the sync mode their workflow is configured with
(`sync.py`). Everything that needs a person becomes an exception or a conflict (`alerts.py`).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

import structlog

from crossdock.canonical.carrier import (
    FulfillmentCancellation,
    FulfillmentRequest,
    OrderCancellation,
)
from crossdock.canonical.common import Party
from crossdock.canonical.envelope import Envelope
from crossdock.canonical.event_types import (
    FULFILLMENT_ACKNOWLEDGED_V1,
    FULFILLMENT_CANCELLED_V1,
    FULFILLMENT_PACKED_V1,
    FULFILLMENT_PICKED_V1,
    FULFILLMENT_REQUESTED_V1,
    FULFILLMENT_SHIPPED_V1,
    ORDER_CANCELLED_V1,
)
from crossdock.canonical.fulfillment import (
    ExceptionKind,
    FulfillmentAcknowledgement,
    FulfillmentPacked,
    FulfillmentPicked,
    FulfillmentShipped,
)
from crossdock.canonical.milestones import Milestone, ShipmentStatus
from crossdock.connectors.odoo.actions import ActionRefused, OverShipment
from crossdock.errors import PermanentError
from crossdock.flows.outbound import repository
from crossdock.flows.outbound.alerts import lane, raise_conflict, raise_exception
from crossdock.flows.outbound.gateway import CancelOutcome, WarehouseGateways
from crossdock.flows.outbound.holds import hold_reasons
from crossdock.flows.outbound.labels import book_labels
from crossdock.flows.outbound.odoo_side import OdooSide
from crossdock.flows.outbound.ownership import Claim, judge
from crossdock.flows.outbound.rate_shopping import NoRateForLevel
from crossdock.flows.outbound.repository import FulfillmentRow
from crossdock.flows.outbound.settings import OutboundConfig, Workflow
from crossdock.flows.outbound.shipping import check_shipment, short_picks
from crossdock.flows.outbound.sync import next_slot
from crossdock.pipeline.registry import JobContext
from crossdock.pipeline.route import Router
from crossdock.store import xref
from crossdock.store.jobs import JobSpec

JOB_TYPE = "flows.outbound"
STEP_JOB = "flows.outbound.step"
SWEEP_JOB = "flows.outbound.sweep"
RELAY_JOB = "flows.outbound.relay"
SUBSCRIPTIONS = (
    FULFILLMENT_REQUESTED_V1,
    FULFILLMENT_CANCELLED_V1,
    FULFILLMENT_ACKNOWLEDGED_V1,
    FULFILLMENT_PICKED_V1,
    FULFILLMENT_PACKED_V1,
    FULFILLMENT_SHIPPED_V1,
)
WAITING: dict[Workflow, str] = {"release": "awaiting_release", "invoice": "awaiting_invoice"}
OPEN_AT_WMS = frozenset({"released", "acknowledged", "picked", "packed", "refused"})
NOT_YET_RELEASED = frozenset({"new", "held", "awaiting_release"})
SHIPPED = frozenset({"shipped", "partially_shipped", "delivered", "awaiting_invoice", "invoiced"})
CANCELLED = frozenset({"cancelled", "cancel_conflict"})
TRACKING_XREF = ("carrier", "tracking_number")
log = structlog.get_logger("crossdock.outbound")


def _lines(request: dict[str, Any]) -> list[tuple[str, str, str]]:
    """What the warehouse works from: (line, SKU, quantity) per line."""
    return sorted(
        (str(line["line_id"]), str(line["sku"]), str(line["quantity"]["value"]))
        for line in request.get("lines") or []
    )


def picking_id(request: FulfillmentRequest) -> int | None:
    for ref in request.references:
        model, _, rid = ref.value.partition(":")
        if ref.system == "odoo" and model == "stock.picking" and rid.isdigit():
            return int(rid)
    return None


def describe_party(party: Party) -> str:
    a = party.address
    return ", ".join(
        part for part in (party.name, a.line1, a.postal_code, a.city, a.country_code) if part
    )


class OutboundFlow:
    def __init__(
        self,
        config: OutboundConfig,
        router: Router,
        gateways: WarehouseGateways,
        odoo: OdooSide,
    ) -> None:
        self.config = config
        self.router = router
        self.gateways = gateways
        self.odoo = odoo

    # -- plumbing --------------------------------------------------------------------------

    async def _row(self, ctx: JobContext, fulfillment_id: str) -> FulfillmentRow | None:
        return await ctx.store.run(repository.get, ctx.store, fulfillment_id)

    async def _known(self, ctx: JobContext, fulfillment_id: str) -> FulfillmentRow:
        row = await self._row(ctx, fulfillment_id)
        if row is None:
            # Dead-lettered, so it is visible and can be replayed once the order is known.
            raise PermanentError(f"no delivery order {fulfillment_id!r} was released")
        return row

    @staticmethod
    def _save(ctx: JobContext, row: FulfillmentRow, *, new: bool = False) -> None:
        ctx.write(lambda conn: repository.save(conn, row, new=new))
        log.debug("fulfillment state", fulfillment=row.fulfillment_id, state=row.state)

    def _step(self, step: str, row: FulfillmentRow, key: str, **payload: Any) -> JobSpec:
        return JobSpec(
            job_type=STEP_JOB,
            idempotency_key=f"{STEP_JOB}:{step}:{key}",
            payload={"step": step, "fulfillment_id": row.fulfillment_id, **payload},
            lane_key=lane(row.fulfillment_id),
            partner=row.wms_partner,
            correlation_id=row.correlation_id,
            resource=step_resource(step, row),
        )

    def _schedule(self, ctx: JobContext, workflow: Workflow, row: FulfillmentRow) -> None:
        """Run `workflow`'s step for `row` now, or leave it to the next sweep of its mode."""
        mode = self.config.sync_mode(workflow)
        if mode.mode == "realtime":
            ctx.enqueue(self._step(workflow, row, row.fulfillment_id))
            return
        ctx.enqueue(sweep_spec(workflow, next_slot(mode, ctx.clock.now())))

    # -- the routed events -----------------------------------------------------------------

    async def handle(self, ctx: JobContext) -> None:
        envelope = Envelope.from_cloudevent(ctx.payload["event"])
        kind = envelope.type
        if kind == FULFILLMENT_REQUESTED_V1:
            await self.requested(ctx, envelope)
        elif kind == FULFILLMENT_CANCELLED_V1:
            cancel = FulfillmentCancellation.model_validate(envelope.data)
            await self.cancel(ctx, cancel.fulfillment_id, envelope.id)
        elif kind == FULFILLMENT_ACKNOWLEDGED_V1:
            await self.acknowledged(ctx, FulfillmentAcknowledgement.model_validate(envelope.data))
        elif kind == FULFILLMENT_PICKED_V1:
            await self.picked(ctx, FulfillmentPicked.model_validate(envelope.data), envelope.id)
        elif kind == FULFILLMENT_PACKED_V1:
            await self.packed(ctx, FulfillmentPacked.model_validate(envelope.data))
        elif kind == FULFILLMENT_SHIPPED_V1:
            await self.shipped(ctx, FulfillmentShipped.model_validate(envelope.data), envelope.id)

    async def requested(self, ctx: JobContext, envelope: Envelope) -> None:
        request = FulfillmentRequest.model_validate(envelope.data)
        fid = request.fulfillment_id
        row = await self._row(ctx, fid)
        if row is not None and row.state not in ("held", "awaiting_release"):
            if row.state in OPEN_AT_WMS and _lines(row.request) != _lines(envelope.data):
                # Odoo owns the lines, but the WMS is working on the version it was sent.
                detail = (
                    f"the order lines changed in Odoo after {fid} was released; the warehouse "
                    f"works on the released version: {_lines(row.request)} → "
                    f"{_lines(envelope.data)}"
                )
                kind = ExceptionKind.CHANGED_AFTER_RELEASE
                raise_exception(ctx, self.router, row, kind, detail, envelope.id)
            return
        now = ctx.clock.now()
        code = request.warehouse.code or request.warehouse.name or ""
        wms = self.config.warehouses.get(code)
        base = row or FulfillmentRow(
            fulfillment_id=fid, state="new", request={}, created_at=now, updated_at=now
        )
        current = base.changed(
            request=envelope.data,
            correlation_id=request.order_reference or envelope.correlationid,
            odoo_partner=self.config.odoo_partner or envelope.partner,
            wms_partner=wms,
            picking_id=picking_id(request),
            warehouse=code or None,
            customer=request.ship_to.name,
            carrier_code=request.carrier_code,
            service_level=request.service_level,
            updated_at=now,
        )
        kind, reasons = ExceptionKind.HOLD, hold_reasons(request, self.config.holds)
        if wms is None or self.gateways.get(wms) is None:
            kind = ExceptionKind.NO_WAREHOUSE_SYSTEM
            reasons.insert(0, f"no warehouse system is configured for warehouse {code!r}")
        if reasons:
            reason = "; ".join(reasons)
            held = current.changed(state="held", hold_reason=reason)
            self._save(ctx, held, new=row is None)
            if row is None or row.hold_reason != reason:
                raise_exception(ctx, self.router, held, kind, reason, envelope.id)
            return
        ready = current.changed(state="awaiting_release", hold_reason=None)
        self._save(ctx, ready, new=row is None)
        if row is None or row.state != "awaiting_release":
            self._schedule(ctx, "release", ready)

    async def release(self, ctx: JobContext, row: FulfillmentRow) -> None:
        if row.state != "awaiting_release":
            log.debug("not released", fulfillment=row.fulfillment_id, state=row.state)
            return
        gateway = self.gateways.get(row.wms_partner or "")
        if gateway is None:
            raise PermanentError(f"warehouse system {row.wms_partner!r} is not configured")
        # Retryable failures (an outage) propagate: the queue retries with backoff, and the
        # gateway's idempotency key makes the retry find the order a lost answer created.
        order_id = await gateway.release(FulfillmentRequest.model_validate(row.request))
        self._save(
            ctx, row.changed(state="released", wms_order_id=order_id, updated_at=ctx.clock.now())
        )

    async def acknowledged(self, ctx: JobContext, ack: FulfillmentAcknowledgement) -> None:
        row = await self._known(ctx, ack.fulfillment_id)
        if row.state != "released":
            return
        now = ctx.clock.now()
        wms_order = ack.wms_order_id or row.wms_order_id
        if ack.accepted:
            self._save(
                ctx, row.changed(state="acknowledged", wms_order_id=wms_order, updated_at=now)
            )
            return
        refused = row.changed(state="refused", wms_order_id=wms_order, updated_at=now)
        self._save(ctx, refused)
        detail = f"the warehouse refused the order: {ack.reason or 'no reason given'}"
        raise_exception(ctx, self.router, refused, ExceptionKind.REFUSED, detail, "ack")

    async def picked(self, ctx: JobContext, pick: FulfillmentPicked, event_id: str) -> None:
        row = await self._known(ctx, pick.fulfillment_id)
        if row.state in CANCELLED:
            return
        picked = row
        if row.state in ("released", "acknowledged"):
            picked = row.changed(state="picked", updated_at=ctx.clock.now())
            self._save(ctx, picked)
        # Reported even when the confirmation overtook it: the short pick still happened.
        if shorts := short_picks(FulfillmentRequest.model_validate(row.request), pick.lines):
            detail = "short pick: " + "; ".join(shorts)
            raise_exception(ctx, self.router, picked, ExceptionKind.SHORT_PICK, detail, event_id)

    async def packed(self, ctx: JobContext, pack: FulfillmentPacked) -> None:
        row = await self._known(ctx, pack.fulfillment_id)
        if row.state in CANCELLED:
            return
        packages = [package.model_dump(mode="json") for package in pack.packages]
        before_pack = ("released", "acknowledged", "picked", "packed")
        state = "packed" if row.state in before_pack else row.state
        packed = row.changed(state=state, packages=packages, updated_at=ctx.clock.now())
        if state == "packed":
            packed = await self._book_labels(ctx, packed, pack)
        self._save(ctx, packed)

    async def _book_labels(
        self, ctx: JobContext, row: FulfillmentRow, pack: FulfillmentPacked
    ) -> FulfillmentRow:
        """For a warehouse that does not book the carrier: labels from the carrier's API (the
        cheapest rate meeting the order's service level when rates are shopped), kept, and
        their tracking numbers given to the warehouse and to Odoo."""
        gateway = self.gateways.get(row.wms_partner or "")
        carriers = self.config.label_carriers
        if gateway is None or gateway.books_carrier or not carriers or row.tracking_numbers:
            return row
        request = FulfillmentRequest.model_validate(row.request)
        try:
            booking = await book_labels(self.gateways, self.config, request, pack.packages)
        except NoRateForLevel as exc:
            # The warehouse waits for labels: a repeated pack confirmation books again.
            detail = f"no label booked for {row.fulfillment_id}: {exc}"
            raise_exception(ctx, self.router, row, ExceptionKind.NO_RATE, detail, "rate")
            return row
        labels = booking.labels
        await gateway.send_labels(row.fulfillment_id, row.wms_order_id, labels)
        numbers = [label.tracking_number for label in labels]
        if row.odoo_partner is not None and row.picking_id is not None:
            await self.odoo.set_tracking(row.odoo_partner, row.picking_id, numbers[0])
        now, fid = ctx.clock.now(), row.fulfillment_id
        ctx.write(
            lambda conn: repository.add_labels(
                conn, fid, booking.partner, labels, now, rate=booking.rate
            )
        )
        ctx.write(lambda conn: _link_tracking(conn, numbers, fid, now))
        return row.changed(
            tracking_numbers=numbers,
            carrier_code=labels[0].carrier_code,
            service_level=labels[0].service_level or row.service_level,
        )

    async def shipped(self, ctx: JobContext, ship: FulfillmentShipped, event_id: str) -> None:
        row = await self._known(ctx, ship.fulfillment_id)
        cid = ship.confirmation_id
        if cid in row.confirmations:
            log.info(
                "duplicate ship confirmation", fulfillment=row.fulfillment_id, confirmation=cid
            )
            return
        now = ctx.clock.now()
        seen = row.changed(confirmations=[*row.confirmations, cid], updated_at=now)
        if row.state in CANCELLED:
            self._save(ctx, seen)
            detail = f"the warehouse shipped ({cid}) an order cancelled in Odoo"
            raise_exception(ctx, self.router, seen, ExceptionKind.CANCEL_CONFLICT, detail, cid)
            return
        request = FulfillmentRequest.model_validate(row.request)
        applied = self._judge_shipment(ctx, row, request, ship, cid)
        check = check_shipment(request, row.shipped, ship.lines)
        if check.refused:
            self._save(ctx, seen)
            detail = f"over-shipment refused ({cid}): " + "; ".join(check.over)
            raise_exception(ctx, self.router, seen, ExceptionKind.OVER_SHIPMENT, detail, cid)
            return
        if check.nothing:
            self._save(ctx, seen)
            detail = f"the warehouse confirmed shipment {cid} with nothing shipped"
            raise_exception(ctx, self.router, seen, ExceptionKind.SHORT_PICK, detail, cid)
            return
        if row.picking_id is None or row.odoo_partner is None:
            raise PermanentError(f"{row.fulfillment_id} names no Odoo transfer to validate")
        policy = self.config.backorder_for(row.customer)
        try:
            result = await self.odoo.validate(row.odoo_partner, row.picking_id, check.lines, policy)
        except OverShipment as exc:
            self._save(ctx, seen)
            raise_exception(ctx, self.router, seen, ExceptionKind.OVER_SHIPMENT, str(exc), cid)
            return
        except ActionRefused as exc:
            self._save(ctx, seen)
            raise_exception(ctx, self.router, seen, ExceptionKind.REFUSED, str(exc), cid)
            return
        if result.already_done and row.confirmations:
            self._save(ctx, seen)
            detail = f"{result.name} was already validated; shipment {cid} was not applied"
            raise_exception(ctx, self.router, seen, ExceptionKind.REFUSED, detail, cid)
            return
        tracking = [
            p.tracking_number
            for p in ship.packages
            if p.tracking_number and p.tracking_number not in row.tracking_numbers
        ]
        if tracking and "tracking_number" in applied:
            await self.odoo.set_tracking(row.odoo_partner, row.picking_id, tracking[0])
            fid = row.fulfillment_id
            ctx.write(lambda conn: _link_tracking(conn, tracking, fid, now))
        elif "tracking_number" not in applied:
            tracking = []
        shipped = dict(row.shipped)
        for line in check.lines:
            key = str(line.move_id)
            shipped[key] = str(Decimal(shipped.get(key, "0")) + line.quantity)
        done = seen.changed(
            state="partially_shipped" if check.short else "shipped",
            shipped=shipped,
            tracking_numbers=[*row.tracking_numbers, *tracking],
            packages=row.packages or [p.model_dump(mode="json") for p in ship.packages],
            carrier_code=ship.carrier_code if "carrier_service" in applied else row.carrier_code,
            service_level=(
                ship.service_level if "carrier_service" in applied else row.service_level
            ),
            backorder_id=result.backorder_id,
        )
        self._save(ctx, self._bill_if_due(ctx, done))

    def _judge_shipment(
        self,
        ctx: JobContext,
        row: FulfillmentRow,
        request: FulfillmentRequest,
        ship: FulfillmentShipped,
        cause: str,
    ) -> set[str]:
        """Apply the ownership matrix to what the confirmation reports besides quantities."""
        claims = [Claim("tracking_number", "wms", None, None)]
        if ship.service_level is not None:
            claims.append(
                Claim("carrier_service", "wms", ship.service_level, request.service_level)
            )
        if ship.ship_to is not None:
            claims.append(
                Claim(
                    "ship_to", "wms", describe_party(ship.ship_to), describe_party(request.ship_to)
                )
            )
        applied, conflicts = judge(claims, self.config)
        for conflict in conflicts:
            raise_conflict(ctx, self.router, row, conflict, cause)
        return applied

    async def cancel(self, ctx: JobContext, fulfillment_id: str, cause: str) -> None:
        row = await self._row(ctx, fulfillment_id)
        if row is None or row.state in CANCELLED:
            return
        now = ctx.clock.now()
        if row.state in NOT_YET_RELEASED:
            self._save(ctx, row.changed(state="cancelled", updated_at=now))
            return
        if row.state in SHIPPED:
            detail = f"the order was cancelled in Odoo after {row.fulfillment_id} was shipped"
            raise_exception(ctx, self.router, row, ExceptionKind.CANCEL_CONFLICT, detail, cause)
            return
        gateway = self.gateways.get(row.wms_partner or "")
        if gateway is None:
            raise PermanentError(f"warehouse system {row.wms_partner!r} is not configured")
        outcome = await gateway.cancel(row.fulfillment_id, row.wms_order_id)
        if outcome is CancelOutcome.CANCELLED:
            self._save(ctx, row.changed(state="cancelled", updated_at=now))
            return
        conflict = row.changed(state="cancel_conflict", updated_at=now)
        self._save(ctx, conflict)
        detail = (
            f"cancelled in Odoo, but the warehouse had already shipped {row.fulfillment_id} "
            f"(WMS order {row.wms_order_id})"
        )
        raise_exception(ctx, self.router, conflict, ExceptionKind.CANCEL_CONFLICT, detail, cause)

    async def order_cancelled(self, ctx: JobContext, envelope: Envelope) -> None:
        """An order cancelled in Odoo: a cancel step on the lane of each of its deliveries."""
        cancel = OrderCancellation.model_validate(envelope.data)
        rows = await ctx.store.run(repository.of_order, ctx.store, cancel.order_number)
        for row in rows:
            ctx.enqueue(
                self._step("cancel", row, f"{row.fulfillment_id}:{envelope.id}", cause=envelope.id)
            )

    async def status_changed(self, ctx: JobContext, envelope: Envelope) -> None:
        """A parcel delivered (tracking flow): a delivered step on its delivery order's lane."""
        status = ShipmentStatus.model_validate(envelope.data)
        if status.milestone is not Milestone.DELIVERED:
            return
        fid = await ctx.store.run(_tracked, ctx, status.tracking_number)
        if fid is None:
            return
        row = await self._row(ctx, fid)
        if row is None:
            return
        ctx.enqueue(
            self._step(
                "delivered",
                row,
                f"{fid}:{envelope.id}",
                delivered_at=(status.delivered_at or status.occurred_at).isoformat(),
                proof=status.proof_of_delivery is not None,
            )
        )

    async def delivered(
        self, ctx: JobContext, row: FulfillmentRow, payload: dict[str, Any]
    ) -> None:
        if row.state not in SHIPPED:
            return
        updated = row.changed(
            delivered_at=row.delivered_at or datetime.fromisoformat(str(payload["delivered_at"])),
            proof_of_delivery=int(bool(row.proof_of_delivery or payload.get("proof"))),
            updated_at=ctx.clock.now(),
        )
        if updated.state in ("shipped", "partially_shipped"):
            updated = updated.changed(state="delivered")
        self._save(ctx, self._bill_if_due(ctx, updated))

    def _bill_if_due(self, ctx: JobContext, row: FulfillmentRow) -> FulfillmentRow:
        if row.invoiced_at is not None or row.state in ("awaiting_invoice", "invoiced"):
            return row
        policy = self.config.invoicing_for(row.customer)
        due = {
            "on_ship": True,
            "on_delivery": row.delivered_at is not None,
            "on_proof_of_delivery": bool(row.proof_of_delivery),
            "never": False,
        }[policy]
        if not due:
            return row
        billable = row.changed(state="awaiting_invoice")
        self._schedule(ctx, "invoice", billable)
        return billable

    async def invoice(self, ctx: JobContext, row: FulfillmentRow) -> None:
        if row.state != "awaiting_invoice":
            return
        if row.odoo_partner is None or row.correlation_id is None:
            raise PermanentError(f"{row.fulfillment_id} names no Odoo sale order to invoice")
        result = await self.odoo.invoice(
            row.odoo_partner, row.correlation_id, post=self.config.post_invoices
        )
        now = ctx.clock.now()
        if result is None:
            detail = f"no sale order {row.correlation_id!r} in Odoo to invoice"
            raise_exception(ctx, self.router, row, ExceptionKind.REFUSED, detail, "invoice")
            return
        invoiced = row.changed(
            state="invoiced",
            invoice_ids=sorted({*row.invoice_ids, *result.invoice_ids}),
            invoiced_at=now,
            updated_at=now,
        )
        self._save(ctx, invoiced)

    # -- steps and sweeps ------------------------------------------------------------------

    async def step(self, ctx: JobContext) -> None:
        step = str(ctx.payload["step"])
        row = await self._row(ctx, str(ctx.payload["fulfillment_id"]))
        if row is None:
            return
        if step == "release":
            await self.release(ctx, row)
        elif step == "invoice":
            await self.invoice(ctx, row)
        elif step == "delivered":
            await self.delivered(ctx, row, ctx.payload)
        elif step == "cancel":
            await self.cancel(ctx, row.fulfillment_id, str(ctx.payload.get("cause", "")))
        else:
            raise PermanentError(f"unknown outbound step {step!r}")

    async def sweep(self, ctx: JobContext) -> None:
        workflow: Workflow = "invoice" if ctx.payload["workflow"] == "invoice" else "release"
        mode = self.config.sync_mode(workflow)
        waiting = await ctx.store.run(
            repository.in_state, ctx.store, WAITING[workflow], mode.max_batch + 1
        )
        for row in waiting[: mode.max_batch]:
            ctx.enqueue(self._step(workflow, row, row.fulfillment_id))
        if len(waiting) > mode.max_batch and mode.mode != "realtime":
            ctx.enqueue(sweep_spec(workflow, next_slot(mode, ctx.clock.now())))
        log.info("sweep", workflow=workflow, taken=min(len(waiting), mode.max_batch))

    async def relay(self, ctx: JobContext) -> None:
        envelope = Envelope.from_cloudevent(ctx.payload["event"])
        if envelope.type == ORDER_CANCELLED_V1:
            await self.order_cancelled(ctx, envelope)
        else:
            await self.status_changed(ctx, envelope)


def step_resource(step: str, row: FulfillmentRow) -> str | None:
    """The partner endpoint a step calls, for its breaker, rate limit and bulkhead
    (docs/resilience.md): releases and cancels call the warehouse, invoicing calls Odoo. A
    delivered step may call both (it can invoice), so it is not held for either."""
    if step in ("release", "cancel") and row.wms_partner:
        return f"wms:{row.wms_partner}"
    if step == "invoice" and row.odoo_partner:
        return f"odoo:{row.odoo_partner}"
    return None


def sweep_spec(workflow: Workflow, slot: datetime) -> JobSpec:
    """One sweep per workflow and slot: every order waiting for that slot shares it."""
    return JobSpec(
        job_type=SWEEP_JOB,
        idempotency_key=f"{SWEEP_JOB}:{workflow}:{slot.isoformat()}",
        payload={"workflow": workflow, "slot": slot.isoformat()},
        run_at=slot,
    )


def _link_tracking(conn: Any, numbers: list[str], fulfillment_id: str, now: datetime) -> None:
    system, entity = TRACKING_XREF
    for number in numbers:
        xref.link(
            conn,
            system=system,
            entity_type=entity,
            external_id=number,
            internal_key=fulfillment_id,
            now=now,
        )


def _tracked(ctx: JobContext, tracking_number: str) -> str | None:
    system, entity = TRACKING_XREF
    with ctx.store.engine.connect() as conn:
        return xref.lookup(conn, system=system, entity_type=entity, external_id=tracking_number)
