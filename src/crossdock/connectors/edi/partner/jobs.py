"""The EDI supplier's jobs: acknowledge what came in, send orders, watch for missing acks.

* `edi.acknowledge` (one per stored file): writes our 997 / CONTRL back over the supplier's
  channel and records it with the interchange, and applies the partner's own 997s /
  CONTRLs to the interchanges Crossdock sent. A repeated interchange (the inbox folded it
  into the first message) gets the reply it got the first time, byte for byte.
* `edi.send_order` (routed purchase order confirmations): finds the supplier by vendor
  name and hands the order to `edi.send`, on the supplier's outbound lane.
* `edi.send`: writes the 850 / ORDERS, delivers it, records it as waiting for its
  acknowledgement. A document already sent is not sent again.
* `edi.ack_watch` (scheduled per supplier): raises an alert for every sent interchange
  whose acknowledgement is overdue.

Every job that takes a control number runs on the supplier's outbound lane
(`edi-out:<partner>`), so numbers are handed out one at a time and a retried job picks the
same number again (nothing else was recorded in between).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection

from crossdock.canonical.envelope import Envelope
from crossdock.canonical.event_types import PURCHASE_ORDER_CONFIRMED_V1
from crossdock.canonical.interchange import InterchangeProblem
from crossdock.canonical.purchase import PurchaseOrder
from crossdock.config import PartnerConfig
from crossdock.connectors.base import ConnectorServices
from crossdock.connectors.edi import edifact, x12
from crossdock.connectors.edi.partner import bookkeeping
from crossdock.connectors.edi.partner.acks import Answer, answer_edifact, answer_x12
from crossdock.connectors.edi.partner.alerts import alert_event, raise_alerts
from crossdock.connectors.edi.partner.envelopes import (
    control_text,
    edifact_interchange,
    our_sender,
    x12_interchange,
)
from crossdock.connectors.edi.partner.identify import identify
from crossdock.connectors.edi.partner.settings import EdiPartnerSettings
from crossdock.connectors.files.channel import FileChannel
from crossdock.connectors.files.open import open_channel
from crossdock.errors import MappingError, PermanentError
from crossdock.pipeline.registry import Handler, JobContext
from crossdock.pipeline.retry import RetryPolicy
from crossdock.store.inbox import Acceptance, IncomingMessage
from crossdock.store.jobs import JobSpec

KIND = "edi_supplier"
ACK_JOB = "edi.acknowledge"
SEND_ORDER_JOB = "edi.send_order"
SEND_JOB = "edi.send"
WATCH_JOB = "edi.ack_watch"
OUTBOUND_POLICY = RetryPolicy(max_attempts=8)
EXTENSIONS = {"x12": "x12", "edifact": "edi"}

PartnerLookup = Callable[[str], PartnerConfig | None]


def outbound_lane(partner_id: str) -> str:
    return f"edi-out:{partner_id}"


def settings_of(partner_config: PartnerLookup, partner_id: str) -> EdiPartnerSettings:
    partner = partner_config(partner_id)
    if partner is None or partner.kind != KIND:
        raise PermanentError(f"partner {partner_id!r} is no longer an EDI supplier")
    return EdiPartnerSettings.model_validate(partner.settings)


def file_name(settings: EdiPartnerSettings, what: str, control: int) -> str:
    return f"{settings.file_prefix}{what}-{control_text(control)}.{EXTENSIONS[settings.standard]}"


def ack_job(stored: Sequence[tuple[IncomingMessage, Acceptance]], now: datetime) -> list[JobSpec]:
    """The follow-up of the files one poll stored: one job answers them all, over one
    connection. A repeated file is in it too (its answer names the first message), and gets
    the reply the first one got."""
    if not stored:
        return []
    first, _ = stored[0]
    return [
        JobSpec(
            job_type=ACK_JOB,
            idempotency_key=f"{ACK_JOB}:{first.id}",
            payload={"message_ids": [answer.message_id for _, answer in stored]},
            lane_key=outbound_lane(first.partner),
            partner=first.partner,
        )
    ]


def watch_job(partner_id: str, settings: EdiPartnerSettings, run_at: datetime) -> JobSpec:
    every = settings.acknowledgements.check_every.total_seconds()
    return JobSpec(
        job_type=WATCH_JOB,
        idempotency_key=f"{WATCH_JOB}:{partner_id}:{int(run_at.timestamp() // every)}",
        lane_key=f"edi-watch:{partner_id}",
        run_at=run_at,
        partner=partner_id,
    )


# -- acknowledging what came in ------------------------------------------------------------


def make_ack_handler(services: ConnectorServices) -> Handler:
    inbox, router = services.inbox, services.router

    async def acknowledge(ctx: JobContext) -> None:
        partner_id = ctx.job.partner or ""
        settings = settings_of(services.partner_config, partner_id)
        control = await ctx.store.run(_next_control, ctx, partner_id, our_sender(settings))
        now = ctx.clock.now()
        books: list[Callable[[Connection], list[Envelope]]] = []
        async with open_channel(settings.transport) as channel:
            for message_id in dict.fromkeys(ctx.payload["message_ids"]):
                reply = Reply(ctx, services, settings, partner_id, now)
                used = await reply.answer(channel, str(message_id), control)
                control += used
                if reply.book is not None:
                    books.append(reply.book)

        def book(conn: Connection) -> None:
            alerts = [alert for write in books for alert in write(conn)]
            raise_alerts(conn, inbox, router, alerts, now)

        ctx.write(book)

    return acknowledge


class Reply:
    """The answer to one stored interchange: our 997 / CONTRL delivered, the bookkeeping to
    commit with the job, and the partner's own acknowledgements applied."""

    def __init__(
        self,
        ctx: JobContext,
        services: ConnectorServices,
        settings: EdiPartnerSettings,
        partner_id: str,
        now: datetime,
    ) -> None:
        self.ctx, self.services, self.settings = ctx, services, settings
        self.partner_id, self.now = partner_id, now
        self.book: Callable[[Connection], list[Envelope]] | None = None

    async def answer(self, channel: FileChannel, message_id: str, control: int) -> int:
        """Deliver the reply; returns how many control numbers it used."""
        ctx, settings, partner_id, now = self.ctx, self.settings, self.partner_id, self.now
        message = await ctx.store.run(self.services.inbox.get, message_id)
        if message is None:
            raise PermanentError(f"message {message_id} is not in the inbox")
        key = identify(message.body)
        if key is None:
            ctx.log.warning("no interchange envelope: nothing to acknowledge", message=message_id)
            return 0
        known = await ctx.store.run(_inbound, ctx, partner_id, key.sender, key.control_number)
        if known is not None:
            if known.reply_file and known.reply_body is not None:
                await channel.deliver(known.reply_file, known.reply_body)
            ctx.log.info("repeated interchange answered as before", control=key.control_number)
            return 0
        problem: str | None = None
        try:
            answer = _answer(message.body, settings, control, now)
        except MappingError as exc:  # the envelope itself is unreadable: no reply possible
            answer, problem = Answer(None, []), str(exc)
        reply_name = None
        if answer.reply is not None:
            kind = "997" if settings.standard == "x12" else "CONTRL"
            reply_name = file_name(settings, kind, control)
            await channel.deliver(reply_name, answer.reply)
        used = answer.numbers if answer.reply is not None else 0

        def book(conn: Connection) -> list[Envelope]:
            bookkeeping.record(
                conn,
                partner=partner_id,
                direction=bookkeeping.INBOUND,
                standard=key.standard,
                sender=key.sender,
                receiver=key.receiver,
                control_number=key.control_number,
                message_id=message.id,
                created_at=now,
                ack_status="none",
                ack_detail={"unreadable": problem} if problem else None,
                reply_file=reply_name,
                reply_body=answer.reply,
            )
            if reply_name is not None:
                # The highest number the reply used, so the next one is free.
                bookkeeping.record(
                    conn,
                    partner=partner_id,
                    direction=bookkeeping.OUTBOUND,
                    standard=key.standard,
                    sender=our_sender(settings),
                    receiver=key.sender,
                    control_number=control_text(control + used - 1),
                    document=f"ack {key.control_number}",
                    file_name=reply_name,
                    created_at=now,
                    ack_status="none",
                )
            alerts: list[Envelope] = []
            for verdict in answer.partner_acks:
                moved = bookkeeping.acknowledge(
                    conn,
                    partner_id,
                    [verdict.control_number],
                    "accepted" if verdict.accepted else "rejected",
                    {"details": verdict.details},
                    now,
                )
                if not verdict.accepted:
                    alerts += [
                        alert_event(sent, InterchangeProblem.REJECTED, verdict.details, now)
                        for sent in moved
                    ]
            return alerts

        self.book = book
        ctx.log.info(
            "interchange acknowledged",
            control=key.control_number,
            reply=reply_name,
            partner_acks=len(answer.partner_acks),
        )
        return used


def _answer(body: bytes, settings: EdiPartnerSettings, control: int, now: datetime) -> Answer:
    if settings.standard == "x12":
        return answer_x12(body, settings, control, now)
    return answer_edifact(body, control, now)


def _inbound(
    ctx: JobContext, partner: str, sender: str, control: str
) -> bookkeeping.Interchange | None:
    with ctx.store.engine.connect() as conn:
        return bookkeeping.inbound(conn, partner, sender, control)


def _next_control(ctx: JobContext, partner: str, sender: str) -> int:
    with ctx.store.engine.connect() as conn:
        return bookkeeping.next_control_number(conn, partner, sender)


# -- sending orders ------------------------------------------------------------------------


def supplier_for(partners: Sequence[PartnerConfig], order: PurchaseOrder) -> PartnerConfig | None:
    """The EDI supplier whose `vendor_names` include the order's vendor."""
    names = [order.vendor.name, order.vendor.company or ""]
    for partner in partners:
        if partner.kind != KIND:
            continue
        settings = EdiPartnerSettings.model_validate(partner.settings)
        if any(name and settings.supplies(name) for name in names):
            return partner
    return None


def make_send_order_handler(services: ConnectorServices) -> Handler:
    async def send_order(ctx: JobContext) -> None:
        envelope = Envelope.from_cloudevent(ctx.payload["event"])
        order = PurchaseOrder.model_validate(envelope.data)
        supplier = supplier_for(services.partners, order)
        if supplier is None:
            ctx.log.debug("no EDI supplier for this vendor", vendor=order.vendor.name)
            return
        ctx.enqueue(
            JobSpec(
                job_type=SEND_JOB,
                idempotency_key=f"{SEND_JOB}:{supplier.id}:{envelope.id}",
                payload={"order": envelope.data},
                lane_key=outbound_lane(supplier.id),
                partner=supplier.id,
                correlation_id=envelope.correlationid,
            )
        )

    return send_order


def order_document(settings: EdiPartnerSettings, order: PurchaseOrder) -> tuple[str, Any]:
    """The set id and body of the order in the supplier's standard."""
    if settings.standard == "x12":
        return "850", x12.purchase_order_to_850(order)
    return "ORDERS", edifact.purchase_order_to_orders(order)


def make_send_handler(services: ConnectorServices) -> Handler:
    async def send(ctx: JobContext) -> None:
        partner_id = ctx.job.partner or ""
        settings = settings_of(services.partner_config, partner_id)
        order = PurchaseOrder.model_validate(ctx.payload["order"])
        set_id, body = order_document(settings, order)
        document = f"{set_id} {order.po_number}"
        sent = await ctx.store.run(_sent, ctx, partner_id, document)
        if sent is not None:
            ctx.log.info("already sent", document=document, control=sent.control_number)
            return
        sender = our_sender(settings)
        control = await ctx.store.run(_next_control, ctx, partner_id, sender)
        now = ctx.clock.now()
        if settings.standard == "x12":
            data = x12_interchange(settings, set_id, [body], control, now)
        else:
            data = edifact_interchange(settings, set_id, body, control, now)
        name = file_name(settings, f"{set_id}-{order.po_number}", control)
        async with open_channel(settings.transport) as channel:
            await channel.deliver(name, data)
        due = now + settings.acknowledgements.expect_within
        ctx.write(
            lambda conn: bookkeeping.record(
                conn,
                partner=partner_id,
                direction=bookkeeping.OUTBOUND,
                standard=settings.standard,
                sender=sender,
                receiver=f"{settings.them.qualifier}/{settings.them.id}",
                control_number=control_text(control),
                document=document,
                file_name=name,
                created_at=now,
                ack_status="pending",
                ack_due_at=due,
                reply_body=data,
            )
        )
        ctx.log.info("order sent", document=document, file=name, control=control)

    return send


def _sent(ctx: JobContext, partner: str, document: str) -> bookkeeping.Interchange | None:
    with ctx.store.engine.connect() as conn:
        return bookkeeping.sent_document(conn, partner, document)


# -- watching for acknowledgements ---------------------------------------------------------


def make_watch_handler(services: ConnectorServices) -> Handler:
    inbox, router = services.inbox, services.router

    async def watch(ctx: JobContext) -> None:
        partner_id = ctx.job.partner or ""
        settings = settings_of(services.partner_config, partner_id)
        now = ctx.clock.now()
        late = await ctx.store.run(_overdue, ctx, partner_id, now)
        alerts = [
            alert_event(
                sent,
                InterchangeProblem.ACKNOWLEDGEMENT_OVERDUE,
                [f"no acknowledgement by {sent.ack_due_at}"],
                now,
            )
            for sent in late
        ]

        def mark(conn: Connection) -> None:
            bookkeeping.mark_overdue(conn, [sent.id for sent in late])
            raise_alerts(conn, inbox, router, alerts, now)

        if late:
            ctx.write(mark)
        ctx.enqueue(watch_job(partner_id, settings, now + settings.acknowledgements.check_every))

    return watch


def _overdue(ctx: JobContext, partner: str, now: datetime) -> list[bookkeeping.Interchange]:
    with ctx.store.engine.connect() as conn:
        return bookkeeping.overdue(conn, partner, now)


def register_jobs(services: ConnectorServices) -> None:
    services.registry.register(ACK_JOB, make_ack_handler(services), OUTBOUND_POLICY)
    services.registry.register(SEND_ORDER_JOB, make_send_order_handler(services))
    services.registry.register(SEND_JOB, make_send_handler(services), OUTBOUND_POLICY)
    services.registry.register(WATCH_JOB, make_watch_handler(services))
    services.router.subscribe(SEND_ORDER_JOB, [PURCHASE_ORDER_CONFIRMED_V1])
