"""`GET /metrics`: the Prometheus text format, for one process or for all of them.

With ``PROMETHEUS_MULTIPROC_DIR`` set, event metrics are summed over every process that
wrote to that directory (see `metrics`); without it they are this process's own. The
store-derived gauges are added either way.
"""

from __future__ import annotations

import asyncio
import os
from typing import TYPE_CHECKING

from fastapi import FastAPI
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector
from starlette.responses import Response

from crossdock.observe.store_metrics import StoreCollector
from crossdock.resilience.metrics import ResilienceCollector

if TYPE_CHECKING:
    from crossdock.runtime import Runtime

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"


def multiprocess_dir() -> str | None:
    return os.environ.get(MULTIPROC_ENV) or None


class Exposition:
    """Builds each scrape's registry once: the event metrics plus the given collectors."""

    content_type = CONTENT_TYPE_LATEST

    def __init__(self, *collectors: Collector) -> None:
        directory = multiprocess_dir()
        if directory is None:
            self.registry = REGISTRY
            self._extra = CollectorRegistry(auto_describe=True)
        else:
            self.registry = CollectorRegistry()
            MultiProcessCollector(self.registry, path=directory)  # type: ignore[no-untyped-call]
            self._extra = self.registry
        for collector in collectors:
            self._extra.register(collector)

    def render(self) -> bytes:
        """Blocking (the store collector reads the database): run it in a thread."""
        if self._extra is self.registry:
            return generate_latest(self.registry)
        return generate_latest(self.registry) + generate_latest(self._extra)


def install_metrics_endpoint(app: FastAPI, runtime: Runtime) -> None:
    """Serve `/metrics` (unauthenticated, as Prometheus scrapes it; it holds no secret)."""
    exposition = Exposition(
        StoreCollector(runtime.store, runtime.clock),
        ResilienceCollector(runtime.store, runtime.config.resilience, runtime.clock),
    )

    @app.get("/metrics", include_in_schema=False)
    async def metrics() -> Response:
        body = await asyncio.to_thread(exposition.render)
        return Response(body, media_type=exposition.content_type)
