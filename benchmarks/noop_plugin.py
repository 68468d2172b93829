"""A Crossdock plugin for the queue benchmark: registers the no-op job type `bench.noop`."""

from __future__ import annotations

from crossdock.pipeline.registry import JobContext, JobRegistry
from crossdock.pipeline.route import Router

NOOP_JOB = "bench.noop"


async def noop(ctx: JobContext) -> None:
    """Do nothing: what is left is the queue's own cost (fetch, lease, complete)."""
    del ctx


def register(registry: JobRegistry, router: Router) -> None:
    del router
    registry.register(NOOP_JOB, noop)
