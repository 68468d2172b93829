"""Prometheus view of the partner endpoints: read from the shared state at scrape time, so
every process exposes the same figures (the database's), not its own guesses.

Register once where `/metrics` is served:
`REGISTRY.register(ResilienceCollector(store, config.resilience, clock))`.
"""

from __future__ import annotations

from collections.abc import Iterator

import structlog
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from crossdock.clock import Clock
from crossdock.resilience.settings import ResilienceConfig
from crossdock.resilience.status import endpoint_statuses
from crossdock.store.engine import Store

BREAKER_STATES = {"closed": 0, "half_open": 1, "open": 2}
log = structlog.get_logger("crossdock.metrics")


class ResilienceCollector(Collector):
    def __init__(self, store: Store, config: ResilienceConfig, clock: Clock) -> None:
        self.store = store
        self.config = config
        self.clock = clock

    def describe(self) -> Iterator[Metric]:
        """The families without samples: registering the collector reads nothing (the
        database may not be migrated, or reachable, when the app is built)."""
        yield from self._families()

    def collect(self) -> Iterator[Metric]:
        state, degraded, opened, running, backlog, tokens = families = self._families()
        try:
            statuses = endpoint_statuses(self.store, self.config, self.clock.now())
        except Exception:  # a scrape must answer even when the database is down
            log.exception("partner endpoint metrics unavailable")
            return
        for item in statuses:
            name = [item.resource]
            state.add_metric(name, BREAKER_STATES.get(item.breaker, 0))
            degraded.add_metric(name, 1 if item.degraded else 0)
            opened.add_metric(name, item.times_opened)
            running.add_metric(name, item.running)
            backlog.add_metric([item.resource, "queued"], item.queued)
            backlog.add_metric([item.resource, "waiting"], item.waiting)
            if item.tokens is not None:
                tokens.add_metric(name, item.tokens)
        yield from families

    @staticmethod
    def _families() -> tuple[
        GaugeMetricFamily,
        GaugeMetricFamily,
        CounterMetricFamily,
        GaugeMetricFamily,
        GaugeMetricFamily,
        GaugeMetricFamily,
    ]:
        labels = ["resource"]
        state = GaugeMetricFamily(
            "crossdock_partner_breaker_state",
            "Circuit breaker per partner endpoint: 0 closed, 1 half-open, 2 open.",
            labels=labels,
        )
        degraded = GaugeMetricFamily(
            "crossdock_partner_degraded",
            "1 while calls to the endpoint are held back (breaker or partner pause).",
            labels=labels,
        )
        opened = CounterMetricFamily(
            "crossdock_partner_breaker_opened",
            "Times the endpoint's breaker has opened.",
            labels=labels,
        )
        running = GaugeMetricFamily(
            "crossdock_partner_running_jobs", "Jobs calling the endpoint now.", labels=labels
        )
        backlog = GaugeMetricFamily(
            "crossdock_partner_backlog_jobs",
            "Jobs for the endpoint not yet run, by state (queued, waiting).",
            labels=[*labels, "state"],
        )
        tokens = GaugeMetricFamily(
            "crossdock_partner_rate_tokens",
            "Tokens in the endpoint's rate-limit bucket (endpoints with a rate limit).",
            labels=labels,
        )
        return state, degraded, opened, running, backlog, tokens
