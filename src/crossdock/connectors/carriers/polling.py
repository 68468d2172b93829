"""The polling fallback: a `carrier.poll:<partner>` job asks the provider's tracking API about
shipments that are due and stores each answer in the inbox as if the provider had posted it.

Why it is shaped so:
- One job type and one lane per partner: runs of one provider never overlap, and the
  provider's request budget is spent by one run at a time.
- Each run takes at most `max_per_minute * run_every / 60` due shipments (the budget), and a
  throttled or failing provider ends the run at once; the next run is not scheduled before
  the provider's Retry-After.
- What was read is stored (`Inbox.ingest_in`), and the shipments marked polled, in the job's
  own completion transaction: a run that dies half-way leaves nothing, and is retried.
- Answers are stored in the provider's webhook shape, deduplicated by a digest of the body,
  so an unchanged answer is one message and translation needs no polling-specific code.
- Runs are scheduled on slot boundaries of `run_every` with the slot as idempotency key, so a
  restart that schedules a first run again merges with the chain already scheduled.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

import httpx
from pydantic import BaseModel
from sqlalchemy import Connection

from crossdock.config import PartnerConfig
from crossdock.connectors.base import ConnectorServices
from crossdock.connectors.carriers.settings import PollingSettings
from crossdock.errors import PermanentError, RetryableError
from crossdock.ids import new_id
from crossdock.observe import tracing
from crossdock.pipeline.registry import Handler, JobContext
from crossdock.store import tracking_poll
from crossdock.store.inbox import Inbox, IncomingMessage
from crossdock.store.jobs import JobSpec

POLL_JOB = "carrier.poll"
SOURCE_HEADER = "x-crossdock-source"

FetchTracking = Callable[[httpx.AsyncClient, Any, str, str], Awaitable[bytes | None]]
"""A provider's `fetch_tracking(http, api, tracking_number, carrier_code)`."""


class PollableSettings(Protocol):
    @property
    def api(self) -> Any: ...

    @property
    def polling(self) -> PollingSettings: ...


def job_type(partner_id: str) -> str:
    return f"{POLL_JOB}:{partner_id}"


def slot_start(moment: datetime, every: timedelta) -> datetime:
    """The start of the `every`-long slot `moment` falls in (slots counted from the epoch)."""
    seconds = max(every.total_seconds(), 1.0)
    stamp = moment.timestamp()
    return moment - timedelta(seconds=stamp - (stamp // seconds) * seconds)


def poll_job(partner_id: str, polling: PollingSettings, run_at: datetime) -> JobSpec:
    """The run due at `run_at`, keyed by its slot so that racing schedulers create it once."""
    slot = int(run_at.timestamp() // max(polling.run_every.total_seconds(), 1.0))
    name = job_type(partner_id)
    return JobSpec(
        job_type=name,
        idempotency_key=f"{name}:{slot}",
        lane_key=name,
        run_at=run_at,
        partner=partner_id,
        resource=f"carrier:{partner_id}",
    )


def next_run(polling: PollingSettings, now: datetime, retry_after: float | None) -> datetime:
    """The next slot boundary after `now`, but never before the provider's Retry-After."""
    at = slot_start(now + polling.run_every, polling.run_every)
    if retry_after:
        at = max(at, now + timedelta(seconds=retry_after))
    return at


def body_key(body: bytes) -> str:
    return "poll:sha256:" + hashlib.sha256(body).hexdigest()


@dataclass
class RunOutcome:
    """What one run's fetches gave: bodies to store, numbers to mark, and why it stopped."""

    bodies: dict[str, bytes] = field(default_factory=dict)
    unknown: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    retry_after: float | None = None
    stopped: str | None = None

    @property
    def polled(self) -> list[str]:
        return [*self.bodies, *self.unknown]


async def fetch_all(
    http: httpx.AsyncClient,
    fetch: FetchTracking,
    api: Any,
    due: list[tracking_poll.DueShipment],
    concurrency: int,
) -> RunOutcome:
    """Fetch each due shipment, `concurrency` at a time, in due order.

    The first retryable failure stops new requests (a throttled or failing provider is not
    helped by more of them); requests already in flight finish. A permanent failure (a
    refused key) is raised: nothing of the run is stored and the job says why.
    """
    outcome = RunOutcome()
    gate = asyncio.Semaphore(concurrency)
    stop = asyncio.Event()

    async def one(shipment: tracking_poll.DueShipment) -> None:
        async with gate:
            if stop.is_set():
                return
            try:
                body = await fetch(http, api, shipment.tracking_number, shipment.carrier_code)
            except RetryableError as exc:
                outcome.failed[shipment.tracking_number] = str(exc)
                if exc.retry_after is not None:
                    outcome.retry_after = max(outcome.retry_after or 0.0, exc.retry_after)
                outcome.stopped = outcome.stopped or str(exc)
                stop.set()
                return
            if body is None:
                outcome.unknown.append(shipment.tracking_number)
            else:
                outcome.bodies[shipment.tracking_number] = body

    await asyncio.gather(*(one(shipment) for shipment in due))
    return outcome


def default_http() -> httpx.AsyncClient:
    return httpx.AsyncClient(
        headers={"accept": "application/json"},
        follow_redirects=False,
        event_hooks=tracing.HTTPX_HOOKS,
    )


class CarrierPoller:
    """The polling fallback of one carrier connector kind: its hooks and its job handler."""

    def __init__(
        self,
        kind: str,
        settings_model: type[BaseModel],
        fetch: FetchTracking,
        http_factory: Callable[[], httpx.AsyncClient] = default_http,
    ) -> None:
        self.kind = kind
        self.settings_model = settings_model
        self.fetch = fetch
        self.http_factory = http_factory

    def settings(self, partner: PartnerConfig) -> PollableSettings:
        validated: PollableSettings = self.settings_model.model_validate(partner.settings)  # type: ignore[assignment]
        return validated

    def startup_jobs(self, partner: PartnerConfig, now: datetime) -> list[JobSpec]:
        settings = self.settings(partner)
        if not settings.polling.enabled or settings.api is None:
            return []
        return [poll_job(partner.id, settings.polling, now)]

    def register(self, services: ConnectorServices) -> None:
        """One job type per partner of this kind, so each provider has its own lane."""
        for partner in services.partners:
            name = job_type(partner.id)
            if partner.kind == self.kind and name not in services.registry.names():
                services.registry.register(
                    name,
                    self.make_handler(
                        partner.id,
                        services.inbox,
                        services.partner_config,
                        services.translate_job,
                    ),
                )

    def make_handler(
        self,
        partner_id: str,
        inbox: Inbox,
        partner_config: Callable[[str], PartnerConfig | None],
        translate_job: Callable[[IncomingMessage], JobSpec],
    ) -> Handler:
        async def poll(ctx: JobContext) -> None:
            partner = partner_config(partner_id)
            if partner is None:
                raise PermanentError(f"partner {partner_id!r} is no longer configured")
            settings = self.settings(partner)
            polling = settings.polling
            if not polling.enabled or settings.api is None:
                ctx.log.info("polling is off for this partner; the schedule ends here")
                return
            now = ctx.clock.now()
            oldest = now - polling.max_age
            due = await ctx.store.run(_due, ctx, polling, now, oldest)
            async with self.http_factory() as http:
                outcome = await fetch_all(http, self.fetch, settings.api, due, polling.concurrency)
            messages = [
                IncomingMessage(
                    id=new_id(),
                    partner=partner_id,
                    dedup_key=body_key(body),
                    received_at=now,
                    headers={SOURCE_HEADER: POLL_JOB, "content-type": "application/json"},
                    body=body,
                    content_type="application/json",
                )
                for body in outcome.bodies.values()
            ]
            polled = outcome.polled
            log = ctx.log

            def store(conn: Connection) -> None:
                given_up = tracking_poll.give_up_older_than(conn, polling.carriers, oldest, now)
                if given_up:
                    log.info("gave up polling shipments past max_age", count=given_up)
                if messages:
                    inbox.ingest_in(conn, messages, translate_job)
                tracking_poll.mark_polled(conn, polled, now, now + polling.interval)

            ctx.write(store)
            ctx.enqueue(poll_job(partner_id, polling, next_run(polling, now, outcome.retry_after)))
            for number in outcome.unknown:
                ctx.log.info("provider does not know this tracking number", tracking=number)
            if outcome.stopped:
                ctx.log.warning(
                    "provider unavailable; run ended early",
                    error=outcome.stopped,
                    retry_after_s=outcome.retry_after,
                    left_due=len(due) - len(polled),
                )
            ctx.log.info("polled", due=len(due), stored=len(messages), unknown=len(outcome.unknown))

        return poll


def _due(
    ctx: JobContext, polling: PollingSettings, now: datetime, oldest: datetime
) -> list[tracking_poll.DueShipment]:
    with ctx.store.engine.connect() as conn:
        return tracking_poll.due_for_poll(conn, polling.carriers, now, oldest, polling.per_run())
