"""`notify.fanout`: one routed event becomes one `notify.deliver` job per matching subscription."""

from __future__ import annotations

from crossdock.canonical.envelope import Envelope
from crossdock.connectors.notify import directory
from crossdock.connectors.notify.matching import matching
from crossdock.connectors.notify.settings import NotificationsConfig
from crossdock.pipeline.registry import Handler, JobContext
from crossdock.store.jobs import JobSpec

FANOUT_JOB = "notify.fanout"
DELIVER_JOB = "notify.deliver"


def delivery_job(subscription_id: int, envelope: Envelope, message_id: str | None) -> JobSpec:
    """The delivery of one event to one endpoint.

    Its lane is the endpoint plus the event's entity, so one endpoint receives one entity's
    events in order, while a slow or failing endpoint holds up no one else.
    """
    return JobSpec(
        job_type=DELIVER_JOB,
        idempotency_key=f"{DELIVER_JOB}:{subscription_id}:{envelope.id}",
        payload={"subscription_id": subscription_id, "event": envelope.to_cloudevent()},
        lane_key=f"notify:{subscription_id}:{envelope.lanekey or envelope.id}",
        partner=envelope.partner,
        message_id=message_id,
        correlation_id=envelope.correlationid,
        resource=f"notify:{subscription_id}",
    )


def make_fanout_handler(settings: NotificationsConfig) -> Handler:
    async def fanout(ctx: JobContext) -> None:
        envelope = Envelope.from_cloudevent(ctx.payload["event"])
        active = await ctx.store.run(
            directory.active_subscriptions,
            ctx.store,
            settings,
            ctx.clock.now(),
            settings.subscription_cache,
        )
        for subscription in matching(active, envelope):
            ctx.enqueue(delivery_job(subscription.id, envelope, ctx.job.message_id))

    return fanout
