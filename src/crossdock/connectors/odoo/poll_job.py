"""The `odoo.poll` job: read an Odoo model's changes into the inbox and move its cursor, at once.

Each poll stores what it read as inbox messages shaped like Odoo's automation webhooks
(`{"_model", "_id", …fields}`), so both change-capture paths meet in one place and share its
deduplication, and it saves the cursor in the same transaction: a crash in between can
neither skip nor repeat a change. It then schedules the next poll on the same lane, so one
model is never polled by two workers at once.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import orjson
from sqlalchemy import Connection

from crossdock.config import PartnerConfig
from crossdock.connectors.odoo.enrich import enrich_many, webhook_shape, with_enrichment
from crossdock.connectors.odoo.partner import OdooPartnerSettings, PollConfig
from crossdock.connectors.odoo.polling import PollSpec, read_changes
from crossdock.connectors.odoo.pool import OdooClients
from crossdock.errors import PermanentError
from crossdock.ids import new_id
from crossdock.pipeline.registry import Handler, JobContext
from crossdock.store import cursors
from crossdock.store.inbox import Inbox, IncomingMessage
from crossdock.store.jobs import JobSpec

POLL_JOB = "odoo.poll"
POLL_SOURCE_HEADER = "x-crossdock-source"


def cursor_name(partner_id: str, model: str) -> str:
    return f"odoo:{partner_id}:{model}"


def poll_job(partner_id: str, poll: PollConfig, run_at: datetime) -> JobSpec:
    """The poll due at `run_at`; its key is the time slot, so schedulers racing to create the
    same poll create it once."""
    slot = int(run_at.timestamp() // max(poll.interval.total_seconds(), 1))
    return JobSpec(
        job_type=POLL_JOB,
        idempotency_key=f"{POLL_JOB}:{partner_id}:{poll.model}:{slot}",
        payload={"model": poll.model},
        lane_key=f"odoo-poll:{partner_id}:{poll.model}",
        run_at=run_at,
        partner=partner_id,
        resource=f"odoo:{partner_id}",
    )


def startup_jobs(partner: PartnerConfig, now: datetime) -> list[JobSpec]:
    settings = OdooPartnerSettings.model_validate(partner.settings)
    return [poll_job(partner.id, poll, now) for poll in settings.poll]


def make_poll_handler(
    inbox: Inbox,
    partner_config: Callable[[str], PartnerConfig | None],
    translate_job: Callable[[IncomingMessage], JobSpec],
    clients: OdooClients,
) -> Handler:
    async def poll(ctx: JobContext) -> None:
        partner_id = ctx.job.partner or ""
        partner = partner_config(partner_id)
        if partner is None:
            raise PermanentError(f"partner {partner_id!r} is no longer configured")
        settings = OdooPartnerSettings.model_validate(partner.settings)
        model = str(ctx.payload["model"])
        config = next((p for p in settings.poll if p.model == model), None)
        if config is None:
            raise PermanentError(f"partner {partner_id!r} no longer polls {model}")
        client = clients.get(partner_id, settings.odoo)
        name = cursor_name(partner_id, model)
        position = await ctx.store.run(_read_cursor, ctx, name)
        spec = PollSpec(
            model=model,
            fields=tuple(config.fields),
            domain=tuple(config.domain),
            overlap=config.overlap,
            page_size=config.page_size,
        )
        result = await read_changes(client, spec, position)
        # Enrich the whole page at once (one read per related model), before storing, so
        # translation stays pure and the webhook path can skip what is already there.
        bodies = [webhook_shape(model, change.record) for change in result.changes]
        enriched = await enrich_many(client, bodies) if bodies else []
        now = ctx.clock.now()
        messages = [
            IncomingMessage(
                id=new_id(),
                partner=partner_id,
                dedup_key=change.dedup_key,
                received_at=now,
                headers={POLL_SOURCE_HEADER: POLL_JOB, "content-type": "application/json"},
                body=orjson.dumps(with_enrichment(body, record)),
                content_type="application/json",
            )
            for change, body, record in zip(result.changes, bodies, enriched, strict=True)
        ]

        def store(conn: Connection) -> None:
            if messages:
                inbox.ingest_in(conn, messages, translate_job)
            cursors.save(conn, name, {"write_date": result.cursor}, now)

        ctx.write(store)
        ctx.enqueue(poll_job(partner_id, config, now + config.interval))
        ctx.log.info("polled", model=model, read=len(messages), requests=result.requests)

    return poll


def _read_cursor(ctx: JobContext, name: str) -> str | None:
    with ctx.store.engine.connect() as conn:
        position = cursors.read(conn, name)
    return str(position["write_date"]) if position else None
