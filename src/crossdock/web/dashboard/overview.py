"""The figures of the overview page, read from the store in one connection."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Connection, Float, cast, extract, func, select

from crossdock.resilience.metrics import BREAKER_STATES
from crossdock.resilience.settings import ResilienceConfig
from crossdock.resilience.status import EndpointStatus, statuses_in
from crossdock.store.alerts import AlertRow, firing
from crossdock.store.schema import OPEN_JOB_STATES, jobs, messages

WINDOW = timedelta(hours=24)
CHART_BUCKETS = 30
CHART_SPAN = timedelta(hours=1)


@dataclass(frozen=True)
class PartnerHealth:
    partner: str
    kind: str
    last_message_at: datetime | None
    messages_24h: int
    failed_messages: int
    open_jobs: int
    dead_letters: int
    # The partner's endpoints' breakers (resilience/): "closed", "open until 10:42",
    # "paused until …" (its own Retry-After); None when no call to it was ever recorded.
    circuit: str | None = None

    @property
    def health(self) -> str:
        if self.dead_letters or self.failed_messages:
            return "degraded"
        return "ok" if self.last_message_at else "silent"


@dataclass(frozen=True)
class Point:
    start: datetime
    finished: int
    mean_latency_s: float | None


@dataclass
class Overview:
    now: datetime
    volumes: list[tuple[str, int, int]] = field(default_factory=list)
    backlog: list[tuple[str, str, int]] = field(default_factory=list)
    alerts: list[AlertRow] = field(default_factory=list)
    partners: list[PartnerHealth] = field(default_factory=list)
    series: list[Point] = field(default_factory=list)
    dead_letters: int = 0


def _epoch(dialect: str, column: Any) -> ColumnElement[float]:
    if dialect == "postgresql":
        return cast(extract("epoch", column), Float)
    return cast(func.strftime("%s", column), Float) + (
        cast(func.strftime("%f", column), Float) - cast(func.strftime("%S", column), Float)
    )


def _volumes(conn: Connection, now: datetime) -> list[tuple[str, int, int]]:
    """Jobs finished per job type (each flow step is a job type): done and dead, last 24 h."""
    done = func.count().filter(jobs.c.status == "done")
    dead = func.count().filter(jobs.c.status == "dead")
    query = (
        select(jobs.c.job_type, done, dead)
        .where(jobs.c.status.in_(("done", "dead")), jobs.c.finished_at >= now - WINDOW)
        .group_by(jobs.c.job_type)
        .order_by(jobs.c.job_type)
    )
    return [(row[0], row[1], row[2]) for row in conn.execute(query)]


def _backlog(conn: Connection) -> list[tuple[str, str, int]]:
    query = (
        select(jobs.c.job_type, jobs.c.status, func.count())
        .where(jobs.c.status.in_(OPEN_JOB_STATES))
        .group_by(jobs.c.job_type, jobs.c.status)
        .order_by(jobs.c.job_type, jobs.c.status)
    )
    return [(row[0], row[1], row[2]) for row in conn.execute(query)]


def _circuit(statuses: list[EndpointStatus]) -> str | None:
    """One line for a partner's endpoints: the worst of them, with when it may call again."""
    if not statuses:
        return None
    worst = max(statuses, key=lambda s: (s.degraded, BREAKER_STATES.get(s.breaker, 0)))
    if worst.breaker == "open" and worst.retry_at is not None:
        return f"open until {worst.retry_at:%H:%M:%S}"
    if worst.paused_until is not None and worst.degraded:
        return f"paused until {worst.paused_until:%H:%M:%S}"
    return worst.breaker.replace("_", "-")


def _circuits(
    conn: Connection, resilience: ResilienceConfig | None, now: datetime
) -> dict[str, list[EndpointStatus]]:
    """Endpoint states by partner id: resources are `<system>:<partner or subscription>`."""
    by_partner: dict[str, list[EndpointStatus]] = {}
    if resilience is None:
        return by_partner
    for status in statuses_in(conn, resilience, now):
        _, _, owner = status.resource.partition(":")
        by_partner.setdefault(owner, []).append(status)
    return by_partner


def _partners(
    conn: Connection,
    configured: list[tuple[str, str]],
    now: datetime,
    resilience: ResilienceConfig | None = None,
) -> list[PartnerHealth]:
    since = now - WINDOW
    heard = {
        row[0]: (row[1], row[2], row[3])
        for row in conn.execute(
            select(
                messages.c.partner,
                func.max(messages.c.received_at),
                func.count().filter(messages.c.received_at >= since),
                func.count().filter(messages.c.status == "failed"),
            ).group_by(messages.c.partner)
        )
    }
    open_jobs = func.count().filter(jobs.c.status.in_(OPEN_JOB_STATES))
    dead = func.count().filter(jobs.c.status == "dead")
    work = {
        row[0]: (row[1], row[2])
        for row in conn.execute(
            select(jobs.c.partner, open_jobs, dead)
            .where(jobs.c.status.in_((*OPEN_JOB_STATES, "dead")), jobs.c.partner.is_not(None))
            .group_by(jobs.c.partner)
        )
    }
    circuits = _circuits(conn, resilience, now)
    result = []
    for partner, kind in configured:
        last, recent, failed = heard.get(partner, (None, 0, 0))
        pending, dead_count = work.get(partner, (0, 0))
        circuit = _circuit(circuits.get(partner, []))
        result.append(
            PartnerHealth(partner, kind, last, recent, failed, pending, dead_count, circuit)
        )
    return result


def _series(conn: Connection, dialect: str, now: datetime) -> list[Point]:
    """Jobs finished and their mean latency (creation to finish) per bucket of the last hour."""
    step = CHART_SPAN / CHART_BUCKETS
    start = now - CHART_SPAN
    finished = _epoch(dialect, jobs.c.finished_at)
    bucket = func.floor((finished - start.timestamp()) / step.total_seconds())
    latency = finished - _epoch(dialect, jobs.c.created_at)
    query = (
        select(bucket, func.count(), func.avg(latency))
        .where(
            jobs.c.status.in_(("done", "dead")),
            jobs.c.finished_at > start,
            jobs.c.finished_at <= now,
        )
        .group_by(bucket)
    )
    counts: dict[int, tuple[int, float | None]] = {}
    for index, count, mean in conn.execute(query):
        if index is None:
            continue
        # A job finished exactly now ends the last bucket rather than opening one more.
        slot = min(int(index), CHART_BUCKETS - 1)
        before_count, before_mean = counts.get(slot, (0, None))
        total = before_count + int(count)
        if mean is not None:
            weighted = (before_mean or 0.0) * before_count + float(mean) * int(count)
            counts[slot] = (total, weighted / total)
        else:
            counts[slot] = (total, before_mean)
    points = []
    for index in range(CHART_BUCKETS):
        count, mean = counts.get(index, (0, None))
        points.append(Point(start + step * index, count, float(mean) if mean is not None else None))
    return points


def read(
    conn: Connection,
    dialect: str,
    configured: list[tuple[str, str]],
    now: datetime,
    resilience: ResilienceConfig | None = None,
) -> Overview:
    overview = Overview(now=now)
    overview.volumes = _volumes(conn, now)
    overview.backlog = _backlog(conn)
    overview.alerts = firing(conn)
    overview.partners = _partners(conn, configured, now, resilience)
    overview.series = _series(conn, dialect, now)
    overview.dead_letters = int(
        conn.execute(select(func.count()).where(jobs.c.status == "dead")).scalar() or 0
    )
    return overview
