"""`observe.monitors`: the recurring job that evaluates every monitor and raises or resolves.

Each evaluation enqueues the next one at the next point of a fixed grid (multiples of the
interval since the epoch), keyed by that point: however many processes schedule the first
evaluation, and whenever they start, there is one job per grid point, so one chain.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import structlog
from sqlalchemy import Connection

from crossdock.canonical.envelope import Envelope
from crossdock.canonical.event_types import ALERT_RAISED_V1
from crossdock.observe.monitors.alerting import decide
from crossdock.observe.monitors.readings import Reading, read_all
from crossdock.observe.monitors.settings import MonitorsConfig
from crossdock.pipeline.registry import Handler, JobContext, JobRegistry
from crossdock.pipeline.route import Router
from crossdock.store import alerts, events
from crossdock.store.alerts import FIRING, AlertRow
from crossdock.store.engine import Store
from crossdock.store.jobs import JobSpec

JOB_TYPE = "observe.monitors"
LANE = "observe:monitors"
EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
# Ahead of the backlog: a monitor that waits behind the jobs it watches sees too late.
PRIORITY = 0

log = structlog.get_logger("crossdock.monitors")


def next_evaluation(settings: MonitorsConfig, after: datetime) -> JobSpec:
    """The evaluation at the first grid point strictly after `after`."""
    step = settings.interval
    slot = EPOCH + step * ((after - EPOCH) // step + 1)
    return JobSpec(
        job_type=JOB_TYPE,
        idempotency_key=f"{JOB_TYPE}:{slot.isoformat()}",
        lane_key=LANE,
        priority=PRIORITY,
        run_at=slot,
    )


def startup_jobs(settings: MonitorsConfig, now: datetime) -> list[JobSpec]:
    return [next_evaluation(settings, now)] if settings.enabled else []


def _read(
    store: Store, settings: MonitorsConfig, now: datetime
) -> tuple[Sequence[Reading], dict[str, AlertRow]]:
    with store.engine.connect() as conn:
        readings = read_all(conn, settings, now) if settings.enabled else []
        return readings, alerts.all_rows(conn)


def _log(envelope: Envelope) -> None:
    data = envelope.data
    fields = {
        "monitor": data["monitor"],
        "subject": data.get("subject"),
        "breaches": data["breaches"],
        "oldest_age_s": data.get("oldest_age_seconds"),
        "sample": data.get("sample"),
        "summary": data["summary"],
    }
    # Both at warning: an operator filtering on warnings must see an alert end too.
    event = "alert raised" if envelope.type == ALERT_RAISED_V1 else "alert resolved"
    log.warning(event, **fields)


def make_handler(settings: MonitorsConfig, router: Router) -> Handler:
    async def evaluate(ctx: JobContext) -> None:
        now = ctx.clock.now()
        readings, previous = await ctx.store.run(_read, ctx.store, settings, now)
        decision = decide(readings, previous, now)

        def save(conn: Connection) -> None:
            for row in decision.rows:
                alerts.save(conn, row)
            events.record(conn, decision.alerts, None, now)

        ctx.write(save)
        for envelope in decision.alerts:
            _log(envelope)
            for spec in router.route(envelope, None):
                ctx.enqueue(spec)
        firing = sum(1 for row in decision.rows if row.state == FIRING)
        ctx.log.debug("monitors evaluated", readings=len(readings), firing=firing)
        if settings.enabled:
            ctx.enqueue(next_evaluation(settings, now))
        else:
            # Switched off since this evaluation was scheduled: its alerts resolve (above)
            # and the chain ends here, instead of failing as an unknown job type.
            log.warning("monitors are disabled; evaluations stop", resolved=len(decision.alerts))

    return evaluate


def register(registry: JobRegistry, router: Router, settings: MonitorsConfig) -> None:
    """Registered even when off, so an evaluation scheduled before can end the chain."""
    registry.register(JOB_TYPE, make_handler(settings, router))
