"""Tracking milestones into Odoo, in batches: a burst of events costs a handful of RPCs.

Two job types per Odoo partner. `odoo.milestone:<partner>` runs per shipment lane: it keeps
the newest milestone of the shipment in the coalescing buffer (an older event arriving late
never replaces a newer one) and schedules a flush. `odoo.milestone_flush:<partner>` runs on
one lane per partner after the flush window: it resolves every buffered shipment to its
picking with one `search_read` and posts every note with one `create` of `mail.message`
records (Odoo accepts chatter messages created directly with `model`/`res_id`; `message_post`
would cost one call per picking, `addons/mail/models/mail_message.py`), then drops what it
wrote in the job's own transaction. Flush jobs have a low priority, so they run after the
collection jobs that are already due: the batch fills up by itself.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import Connection

from crossdock.canonical.envelope import Envelope
from crossdock.canonical.event_types import SHIPMENT_MILESTONE_RECORDED_V1
from crossdock.canonical.milestones import TrackingMilestone
from crossdock.config import PartnerConfig
from crossdock.connectors.base import ConnectorServices
from crossdock.connectors.odoo.partner import MilestoneConfig, OdooPartnerSettings
from crossdock.connectors.odoo.pool import OdooClients
from crossdock.errors import PermanentError
from crossdock.pipeline.registry import Handler, JobContext
from crossdock.store import buffers
from crossdock.store.jobs import JobSpec

COLLECT = "odoo.milestone"
FLUSH = "odoo.milestone_flush"
FLUSH_PRIORITY = 50  # after the collection jobs already due (default priority 10)


def buffer_name(partner_id: str) -> str:
    return f"odoo-milestones:{partner_id}"


def flush_job(partner_id: str, config: MilestoneConfig, now: datetime) -> JobSpec:
    window = max(config.flush_window.total_seconds(), 0.001)
    slot = int(now.timestamp() // window)
    return JobSpec(
        job_type=f"{FLUSH}:{partner_id}",
        idempotency_key=f"{FLUSH}:{partner_id}:{slot}",
        lane_key=f"odoo-milestone-flush:{partner_id}",
        priority=FLUSH_PRIORITY,
        run_at=now + config.flush_window,
        partner=partner_id,
    )


def _settings(
    partner_config: Callable[[str], PartnerConfig | None], partner_id: str
) -> OdooPartnerSettings:
    partner = partner_config(partner_id)
    if partner is None:
        raise PermanentError(f"partner {partner_id!r} is no longer configured")
    return OdooPartnerSettings.model_validate(partner.settings)


def make_collect(partner_id: str, partner_config: Callable[[str], PartnerConfig | None]) -> Handler:
    async def collect(ctx: JobContext) -> None:
        envelope = Envelope.from_cloudevent(ctx.payload["event"])
        milestone = TrackingMilestone.model_validate(envelope.data)
        config = _settings(partner_config, partner_id).milestones or MilestoneConfig()
        now = ctx.clock.now()
        payload = {
            "shipment_id": milestone.shipment_id,
            "tracking_number": milestone.tracking_number,
            "milestone": milestone.milestone.value,
            "text": milestone.raw_text,
            "occurred_at": milestone.occurred_at.isoformat(),
            "event_id": envelope.id,
        }
        # Keyed by tracking number, like the shipment's lane: one writer per key at a time.
        key = milestone.tracking_number

        def keep(conn: Connection) -> None:
            buffers.put_latest(
                conn, buffer_name(partner_id), key, payload, milestone.occurred_at, now
            )

        ctx.write(keep)
        ctx.enqueue(flush_job(partner_id, config, now))

    return collect


def note_body(item: buffers.Buffered) -> str:
    payload = item.payload
    words = str(payload["milestone"]).replace("_", " ")
    return (
        f"<p>Tracking {html.escape(str(payload['tracking_number']))}: "
        f"<b>{html.escape(words)}</b> ({html.escape(str(payload['text']))}) "
        f"at {html.escape(str(payload['occurred_at']))}</p>"
    )


def make_flush(
    partner_id: str, partner_config: Callable[[str], PartnerConfig | None], clients: OdooClients
) -> Handler:
    async def flush(ctx: JobContext) -> None:
        settings = _settings(partner_config, partner_id)
        config = settings.milestones or MilestoneConfig()
        name = buffer_name(partner_id)
        batch = await ctx.store.run(_peek, ctx, name, config.batch_size)
        if not batch:
            return
        client = clients.get(partner_id, settings.odoo)
        names = sorted({str(i.payload["shipment_id"]) for i in batch if i.payload["shipment_id"]})
        trackings = sorted({str(i.payload["tracking_number"]) for i in batch})
        pickings = await client.search_read(
            "stock.picking",
            ["|", ("name", "in", names), ("carrier_tracking_ref", "in", trackings)],
            ["name", "carrier_tracking_ref"],
        )
        by_name = {p["name"]: p["id"] for p in pickings}
        by_tracking = {
            p["carrier_tracking_ref"]: p["id"] for p in pickings if p["carrier_tracking_ref"]
        }
        resolved = []
        for item in batch:
            picking = by_tracking.get(item.payload["tracking_number"]) or by_name.get(
                item.payload["shipment_id"]
            )
            if picking is not None:
                resolved.append((item, picking))
        # Unresolved items stay buffered (visible, retried at the next flush), never dropped.
        if resolved:
            await client.create(
                "mail.message",
                [
                    {
                        "model": "stock.picking",
                        "res_id": picking,
                        "body": note_body(item),
                        "message_type": "comment",
                    }
                    for item, picking in resolved
                ],
            )
        written = [item for item, _picking in resolved]

        def drop_written(conn: Connection) -> None:
            buffers.remove_written(conn, name, written)

        ctx.write(drop_written)
        if len(batch) == config.batch_size:
            ctx.enqueue(flush_job(partner_id, config, ctx.clock.now()))
        ctx.log.info(
            "milestones flushed", written=len(written), unresolved=len(batch) - len(written)
        )

    return flush


def _peek(ctx: JobContext, name: str, limit: int) -> list[buffers.Buffered]:
    with ctx.store.engine.connect() as conn:
        return buffers.peek(conn, name, limit)


def register(services: ConnectorServices, clients: OdooClients) -> None:
    """One pair of job types per Odoo partner that applies milestones."""
    for partner in services.partners:
        if partner.kind != "odoo":
            continue
        settings = OdooPartnerSettings.model_validate(partner.settings)
        if settings.milestones is None or not settings.milestones.enabled:
            continue
        collect_type = f"{COLLECT}:{partner.id}"
        services.registry.register(collect_type, make_collect(partner.id, services.partner_config))
        services.registry.register(
            f"{FLUSH}:{partner.id}", make_flush(partner.id, services.partner_config, clients)
        )
        services.router.subscribe(collect_type, [SHIPMENT_MILESTONE_RECORDED_V1])
