"""Tracking into Odoo, in batches: a burst of events costs a handful of RPCs.

Per Odoo partner, a tracking sink and a job type. The sink runs inside the tracking flow's
job for each scan the flow accepts (on the parcel's lane, in the transaction that decides
the parcel's state): it appends the scan to the parcel's pending history in the coalescing
buffer and schedules a flush, at no job of its own.
`odoo.milestone_flush:<partner>` runs on one lane per partner after the flush window: it
reads where each buffered parcel stands now (`shipment_tracking`, the flow's verdict, so a
late scan never moves Odoo backwards), resolves the parcels to pickings with one
`search_read`, then writes the whole batch with one RPC per kind of write (see
`milestone_apply`), and drops what it wrote in the job's own transaction. The window fills the
batch; once due, a flush goes ahead of the queue's backlog (a higher priority): under a
sustained load there is always more collection work due, and a flush that waited for it to
run out would make Odoo as stale as the load is long.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import Connection

from crossdock.canonical.envelope import Envelope
from crossdock.canonical.milestones import TrackingMilestone
from crossdock.config import PartnerConfig
from crossdock.connectors.base import ConnectorServices
from crossdock.connectors.odoo.milestone_apply import (
    Resolved,
    attach_proofs_of_delivery,
    post_history_notes,
    schedule_exception_activities,
    today_of,
    write_delivered_dates,
)
from crossdock.connectors.odoo.milestone_notes import entry
from crossdock.connectors.odoo.partner import MilestoneConfig, OdooPartnerSettings
from crossdock.connectors.odoo.pool import OdooClients
from crossdock.errors import PermanentError
from crossdock.flows.tracking_sinks import TrackingSink
from crossdock.pipeline.registry import Handler, JobContext
from crossdock.store import buffers, tracking
from crossdock.store.jobs import JobSpec

FLUSH = "odoo.milestone_flush"
FLUSH_PRIORITY = 5  # ahead of the backlog once due (default priority 10; lower runs first)


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
        resource=f"odoo:{partner_id}",
    )


def _settings(
    partner_config: Callable[[str], PartnerConfig | None], partner_id: str
) -> OdooPartnerSettings:
    partner = partner_config(partner_id)
    if partner is None:
        raise PermanentError(f"partner {partner_id!r} is no longer configured")
    return OdooPartnerSettings.model_validate(partner.settings)


def make_sink(
    partner_id: str, partner_config: Callable[[str], PartnerConfig | None]
) -> TrackingSink:
    """Append each accepted scan to its parcel's pending history and schedule a flush; runs
    inside the tracking flow's job (see `flows/tracking_sinks.py`)."""

    def collect(ctx: JobContext, milestone: TrackingMilestone, envelope: Envelope) -> None:
        config = _settings(partner_config, partner_id).milestones or MilestoneConfig()
        now = ctx.clock.now()
        base = {
            "tracking_number": milestone.tracking_number,
            "carrier": milestone.carrier_code,
            "shipment_id": milestone.shipment_id,
        }
        item = entry(milestone, envelope.id)

        def keep(conn: Connection) -> None:
            buffers.append_entry(
                conn,
                buffer_name(partner_id),
                milestone.tracking_number,
                base,
                item,
                milestone.occurred_at,
                now,
                keep=config.max_pending_entries,
            )

        ctx.write(keep)
        ctx.enqueue(flush_job(partner_id, config, now))

    return collect


def make_flush(
    partner_id: str, partner_config: Callable[[str], PartnerConfig | None], clients: OdooClients
) -> Handler:
    async def flush(ctx: JobContext) -> None:
        settings = _settings(partner_config, partner_id)
        config = settings.milestones or MilestoneConfig()
        name = buffer_name(partner_id)
        batch, states = await ctx.store.run(_peek, ctx, name, config.batch_size)
        if not batch:
            return
        client = clients.get(partner_id, settings.odoo)
        names = sorted({str(i.payload["shipment_id"]) for i in batch if i.payload["shipment_id"]})
        names += sorted({s.shipment_id for s in states.values() if s.shipment_id})
        trackings = sorted({str(i.payload["tracking_number"]) for i in batch})
        pickings = await client.search_read(
            "stock.picking",
            ["|", ("name", "in", sorted(set(names))), ("carrier_tracking_ref", "in", trackings)],
            ["name", "carrier_tracking_ref", "user_id"],
        )
        by_name = {p["name"]: p for p in pickings}
        by_tracking = {p["carrier_tracking_ref"]: p for p in pickings if p["carrier_tracking_ref"]}
        resolved = []
        for item in batch:
            state = states.get(item.entity_key)
            shipment = item.payload["shipment_id"] or (state.shipment_id if state else None)
            picking = by_tracking.get(item.entity_key) or by_name.get(shipment)
            if picking is not None:
                user = picking.get("user_id")
                resolved.append(
                    Resolved(item, int(picking["id"]), int(user[0]) if user else None, state)
                )
        # Unresolved parcels stay buffered (visible, tried again at the next flush).
        delivered = await write_delivered_dates(client, config, resolved)
        activities = await schedule_exception_activities(
            client, config, resolved, today_of(ctx.clock.now())
        )
        attachments = await attach_proofs_of_delivery(client, config, resolved)
        notes = await post_history_notes(client, resolved, retried=ctx.job.attempts > 1)
        written = [parcel.item for parcel in resolved]

        def drop_written(conn: Connection) -> None:
            buffers.remove_entries(conn, name, written)

        ctx.write(drop_written)
        if len(batch) == config.batch_size:
            ctx.enqueue(flush_job(partner_id, config, ctx.clock.now()))
        ctx.log.info(
            "milestones flushed",
            notes=notes,
            delivered_dates=delivered,
            activities=activities,
            attachments=attachments,
            unresolved=len(batch) - len(written),
        )

    return flush


def _peek(
    ctx: JobContext, name: str, limit: int
) -> tuple[list[buffers.Buffered], dict[str, tracking.TrackingRow]]:
    with ctx.store.engine.connect() as conn:
        batch = buffers.peek(conn, name, limit)
        return batch, tracking.get_many(conn, [item.entity_key for item in batch])


def register(services: ConnectorServices, clients: OdooClients) -> None:
    """Per Odoo partner that applies milestones: a tracking sink and a flush job type."""
    for partner in services.partners:
        if partner.kind != "odoo":
            continue
        settings = OdooPartnerSettings.model_validate(partner.settings)
        if settings.milestones is None or not settings.milestones.enabled:
            continue
        services.tracking_sinks.append(make_sink(partner.id, services.partner_config))
        services.registry.register(
            f"{FLUSH}:{partner.id}", make_flush(partner.id, services.partner_config, clients)
        )
