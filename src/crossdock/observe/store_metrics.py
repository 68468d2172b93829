"""Gauges computed from the database at scrape time: backlog, dead letters, monitors.

The store is the one place every process writes to, so a figure read from it is right
however many `crossdock serve` and `crossdock worker` processes run, on however many
machines, with no coordination between them. Each scrape runs a handful of grouped counts
that touch only open, dead or unprocessed rows (partial indexes keep them small).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import structlog
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import ColumnElement, Connection, func, select

from crossdock.clock import Clock
from crossdock.store.engine import Store
from crossdock.store.schema import (
    OPEN_JOB_STATES,
    jobs,
    messages,
    monitor_alerts,
    shipment_tracking,
)

log = structlog.get_logger("crossdock.metrics")

NO_LANE = "(none)"


def lane_group(dialect: str) -> ColumnElement[str]:
    """A lane key's prefix, its entity kind (`picking:WH/OUT/1` → `picking`): a bounded label,
    where the lane key itself would be one series per entity."""
    lane = jobs.c.lane_key
    if dialect == "postgresql":
        return func.coalesce(func.split_part(lane, ":", 1), NO_LANE)
    return func.coalesce(func.substr(lane, 1, func.instr(lane, ":") - 1), NO_LANE)


class StoreCollector(Collector):
    """Reads the figures on every collection; a failed read reports `crossdock_store_up 0`."""

    def __init__(self, store: Store, clock: Clock) -> None:
        self.store = store
        self.clock = clock

    def collect(self) -> Iterator[GaugeMetricFamily]:
        up = GaugeMetricFamily(
            "crossdock_store_up", "1 when the store-derived figures below could be read."
        )
        try:
            with self.store.engine.connect() as conn:
                families = list(self._families(conn))
        except Exception:  # a scrape must answer even when the database is down
            log.exception("store metrics unavailable")
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        yield from families

    def _families(self, conn: Connection) -> Iterator[GaugeMetricFamily]:
        yield from self._inbox(conn)
        yield from self._queue(conn)
        yield from self._dead_letters(conn)
        yield from self._monitors(conn)
        yield from self._carrier_exceptions(conn)

    def _inbox(self, conn: Connection) -> Iterator[GaugeMetricFamily]:
        depth = GaugeMetricFamily(
            "crossdock_inbox_messages",
            "Messages kept in the inbox and not translated: received (waiting) or failed.",
            labels=("partner", "status"),
        )
        query = (
            select(messages.c.partner, messages.c.status, func.count())
            .where(messages.c.status.in_(("received", "failed")))
            .group_by(messages.c.partner, messages.c.status)
        )
        for partner, status, count in conn.execute(query):
            depth.add_metric([partner, status], count)
        yield depth

    def _queue(self, conn: Connection) -> Iterator[GaugeMetricFamily]:
        depth = GaugeMetricFamily(
            "crossdock_queue_jobs",
            "Open jobs (queued, running, waiting behind their lane), by job type, status, "
            "partner and lane group.",
            labels=("job_type", "status", "partner", "lane_group"),
        )
        oldest = GaugeMetricFamily(
            "crossdock_queue_oldest_job_age_seconds",
            "Age of the oldest open job, by job type, partner and lane group.",
            labels=("job_type", "partner", "lane_group"),
        )
        group = lane_group(self.store.dialect)
        query = (
            select(
                jobs.c.job_type,
                jobs.c.status,
                jobs.c.partner,
                group,
                func.count(),
                func.min(jobs.c.created_at),
            )
            .where(jobs.c.status.in_(OPEN_JOB_STATES))
            .group_by(jobs.c.job_type, jobs.c.status, jobs.c.partner, group)
        )
        now = self.clock.now()
        oldest_by_key: dict[tuple[str, str, str], float] = {}
        for job_type, status, partner, lanes, count, first in conn.execute(query):
            key = (job_type, partner or "", lanes or NO_LANE)
            depth.add_metric([key[0], status, key[1], key[2]], count)
            age = max((now - first).total_seconds(), 0.0)
            oldest_by_key[key] = max(age, oldest_by_key.get(key, 0.0))
        for key, age in sorted(oldest_by_key.items()):
            oldest.add_metric(list(key), age)
        yield depth
        yield oldest

    def _dead_letters(self, conn: Connection) -> Iterator[GaugeMetricFamily]:
        dead = GaugeMetricFamily(
            "crossdock_dead_letters",
            "Jobs in the dead-letter queue now (waiting for a fix and a replay), by job type "
            "and partner.",
            labels=("job_type", "partner"),
        )
        query = (
            select(jobs.c.job_type, jobs.c.partner, func.count())
            .where(jobs.c.status == "dead")
            .group_by(jobs.c.job_type, jobs.c.partner)
        )
        for job_type, partner, count in conn.execute(query):
            dead.add_metric([job_type, partner or ""], count)
        yield dead

    def _monitors(self, conn: Connection) -> Iterator[GaugeMetricFamily]:
        labels = ("monitor", "subject")
        value = GaugeMetricFamily(
            "crossdock_monitor_breaches",
            "Entities past the monitor's threshold at its last evaluation.",
            labels=labels,
        )
        age = GaugeMetricFamily(
            "crossdock_monitor_oldest_age_seconds",
            "Age of the oldest entity past the threshold at the last evaluation.",
            labels=labels,
        )
        threshold = GaugeMetricFamily(
            "crossdock_monitor_threshold_seconds",
            "The monitor's configured threshold.",
            labels=labels,
        )
        firing = GaugeMetricFamily(
            "crossdock_monitor_firing", "1 while the monitor's alert is raised.", labels=labels
        )
        evaluated = GaugeMetricFamily(
            "crossdock_monitor_last_evaluation_timestamp_seconds",
            "When the monitor was last evaluated (alert on it: stale readings mean the "
            "evaluations stopped).",
            labels=labels,
        )
        for row in conn.execute(select(monitor_alerts).order_by(monitor_alerts.c.key)):
            key = [row.monitor, row.subject or ""]
            value.add_metric(key, row.value)
            age.add_metric(key, row.oldest_age_seconds or 0)
            threshold.add_metric(key, row.threshold_seconds)
            firing.add_metric(key, 1 if row.state == "firing" else 0)
            evaluated.add_metric(key, row.evaluated_at.timestamp())
        yield from (value, age, threshold, firing, evaluated)

    def _carrier_exceptions(self, conn: Connection) -> Iterator[GaugeMetricFamily]:
        open_exceptions = GaugeMetricFamily(
            "crossdock_carrier_exceptions_open",
            "Parcels whose current milestone is a carrier exception, by how long they have "
            "been in it.",
            labels=("age",),
        )
        now = self.clock.now()
        since = shipment_tracking.c.milestone_at
        bounds = [("under_1h", 0, 1), ("1h_to_4h", 1, 4), ("4h_to_24h", 4, 24)]
        columns = [
            func.count().filter(
                since <= now - timedelta(hours=low), since > now - timedelta(hours=high)
            )
            for _, low, high in bounds
        ]
        columns.append(func.count().filter(since <= now - timedelta(hours=24)))
        counts = conn.execute(
            select(*columns).where(shipment_tracking.c.milestone == "exception")
        ).one()
        for label, count in zip([b[0] for b in bounds] + ["over_24h"], counts, strict=True):
            open_exceptions.add_metric([label], count)
        yield open_exceptions
