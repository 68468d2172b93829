"""The translate step: a stored message → canonical events → the jobs of the flows that care."""

from __future__ import annotations

from collections.abc import Callable

from crossdock.canonical.contracts import check_declared
from crossdock.connectors.base import InboundMessage
from crossdock.errors import MappingError, PermanentError
from crossdock.observe import tracing
from crossdock.partners import PartnerDirectory
from crossdock.pipeline.registry import Handler, JobContext
from crossdock.pipeline.retry import RetryPolicy
from crossdock.pipeline.route import Router
from crossdock.store import events
from crossdock.store.inbox import Inbox, IncomingMessage, mark_translated
from crossdock.store.jobs import JobSpec

TRANSLATE_JOB = "pipeline.translate"
# Translation is pure and local: a failure is a mapping problem, rarely worth many tries.
TRANSLATE_POLICY = RetryPolicy(max_attempts=3)


def translate_job_factory(partners: PartnerDirectory) -> Callable[[IncomingMessage], JobSpec]:
    def spec(message: IncomingMessage) -> JobSpec:
        partner = partners.config(message.partner)
        return JobSpec(
            job_type=TRANSLATE_JOB,
            idempotency_key=f"translate:{message.id}",
            payload=tracing.with_traceparent({"message_id": message.id}, message.trace_parent),
            # An "ordered" partner's messages are translated strictly in arrival order.
            lane_key=f"partner:{message.partner}" if partner and partner.ordered else None,
            partner=message.partner,
            message_id=message.id,
            correlation_id=message.correlation_id,
        )

    return spec


def make_translate_handler(inbox: Inbox, partners: PartnerDirectory, router: Router) -> Handler:
    async def translate(ctx: JobContext) -> None:
        message_id = str(ctx.payload["message_id"])
        message = await ctx.store.run(inbox.get, message_id)
        if message is None:
            raise PermanentError(f"message {message_id} is not in the inbox")
        partner = partners.config(message.partner)
        if partner is None:
            raise PermanentError(f"partner {message.partner!r} is no longer configured")
        connector = partners.connector(message.partner)
        inbound = InboundMessage(
            id=message.id,
            partner=message.partner,
            headers=message.headers,
            body=message.body,
            received_at=message.received_at,
            correlation_id=message.correlation_id,
        )
        if connector.enrich is not None:
            # I/O (e.g. reading an order's lines from Odoo) happens here, retried like any
            # job step, so that `translate` itself stays a pure function.
            inbound = await connector.enrich(inbound, partner.settings)
        try:
            envelopes = check_declared(
                connector.kind, connector.produces, connector.translate(inbound, partner.settings)
            )
        except MappingError as exc:
            # Kept and visible: the message is marked failed with the reason, the job is
            # dead-lettered, and a replay after the mapping is fixed translates it again.
            await ctx.store.run(inbox.mark_failed, message.id, f"unmappable: {exc}")
            raise
        now = ctx.clock.now()
        # A carrier resends a parcel's whole history with each webhook: scans recorded
        # before were routed then (record and route commit together), so only new ones go
        # to the flows. Two messages racing with the same new scan both route it; the
        # jobs' idempotency keys keep one.
        known = await ctx.store.run(events.known_ids, ctx.store, [e.id for e in envelopes])
        fresh = [envelope for envelope in envelopes if envelope.id not in known]
        ctx.write(lambda conn: events.record(conn, fresh, message.id, now))
        ctx.write(lambda conn: mark_translated(conn, message.id))
        for envelope in fresh:
            for spec in router.route(envelope, message.id):
                ctx.enqueue(spec)
        ctx.log.debug("translated", events=len(envelopes), new=len(fresh))

    return translate
