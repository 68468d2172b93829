"""Where each partner endpoint stands, for `crossdock partners status`, `/readyz` and dashboards.

`endpoint_statuses` is the one read: the shared breaker and bucket rows plus each endpoint's
running and waiting jobs. It reads without locks, so it never slows a fetch down.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, select

from crossdock.resilience import bucket
from crossdock.resilience.settings import ResilienceConfig
from crossdock.resilience.state import OPEN, EndpointState
from crossdock.store.engine import Store
from crossdock.store.schema import OPEN_JOB_STATES, jobs, resource_states


@dataclass(frozen=True)
class EndpointStatus:
    resource: str
    breaker: str  # closed, open, half_open
    degraded: bool
    retry_at: datetime | None  # when an open breaker lets its probes through
    paused_until: datetime | None  # the partner's own Retry-After
    consecutive_failures: int
    window_calls: int
    window_failures: int
    times_opened: int
    last_error: str | None
    tokens: float | None  # in the rate-limit bucket now; None: no rate limit
    rate_per_second: float | None
    running: int
    concurrency: int | None  # the bulkhead; None: no limit
    queued: int
    waiting: int

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        for key in ("retry_at", "paused_until"):
            value = data[key]
            data[key] = value.isoformat() if value is not None else None
        return data


def endpoint_statuses(
    store: Store, config: ResilienceConfig, now: datetime
) -> list[EndpointStatus]:
    with store.engine.connect() as conn:
        return statuses_in(conn, config, now)


def statuses_in(conn: Connection, config: ResilienceConfig, now: datetime) -> list[EndpointStatus]:
    states = {
        row.resource: EndpointState.from_row(row) for row in conn.execute(select(resource_states))
    }
    backlog: dict[str, dict[str, int]] = defaultdict(dict)
    query = (
        select(jobs.c.resource, jobs.c.status, func.count())
        .where(jobs.c.resource.is_not(None), jobs.c.status.in_(OPEN_JOB_STATES))
        .group_by(jobs.c.resource, jobs.c.status)
    )
    for resource, status, count in conn.execute(query):
        backlog[resource][status] = int(count)
    result = []
    for name in sorted(set(states) | set(backlog)):
        state = states.get(name) or EndpointState(name)
        policy = config.policy(name)
        tokens = bucket.refill(state, policy.rate, now) if policy.rate is not None else None
        counts = backlog.get(name, {})
        result.append(
            EndpointStatus(
                resource=name,
                breaker=state.state,
                degraded=state.degraded(now),
                retry_at=state.retry_at if state.state == OPEN else None,
                paused_until=state.paused_until if state.paused(now) else None,
                consecutive_failures=state.consecutive_failures,
                window_calls=state.window_calls,
                window_failures=state.window_failures,
                times_opened=state.times_opened,
                last_error=state.last_error,
                tokens=tokens,
                rate_per_second=policy.rate.tokens_per_second if policy.rate else None,
                running=counts.get("running", 0),
                concurrency=policy.concurrency,
                queued=counts.get("queued", 0),
                waiting=counts.get("waiting", 0),
            )
        )
    return result


def degraded_dependencies(
    store: Store, config: ResilienceConfig, now: datetime
) -> dict[str, dict[str, Any]]:
    """The endpoints held back now, with why and until when (what `/readyz` reports)."""
    found = {}
    for status in endpoint_statuses(store, config, now):
        if not status.degraded:
            continue
        reason = "paused by the partner" if status.paused_until else f"breaker {status.breaker}"
        until = status.paused_until or status.retry_at
        found[status.resource] = {
            "state": reason,
            "until": until.isoformat() if until else None,
            "last_error": status.last_error,
            "backlog": status.queued + status.waiting + status.running,
        }
    return found
