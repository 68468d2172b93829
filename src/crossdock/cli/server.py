"""`crossdock serve` (API and workers) and `crossdock worker` (workers only, for scale-out)."""

from __future__ import annotations

import asyncio
import os
import signal
import tempfile
from typing import Annotated

import typer
import uvicorn
from sqlalchemy.engine import make_url

from crossdock.cli.common import ConfigOption, actor, fail, open_runtime
from crossdock.config import CONFIG_ENV, config_path
from crossdock.observe.exposition import MULTIPROC_ENV
from crossdock.security.config_audit import record_at_start
from crossdock.web.app import create_app
from crossdock.web.factory import RUN_WORKERS_ENV


def serve(
    config: ConfigOption = None,
    host: Annotated[str | None, typer.Option(help="Bind address (default from config).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default from config).")] = None,
    workers: Annotated[bool, typer.Option(help="Run job workers in this process too.")] = True,
    http_processes: Annotated[
        int, typer.Option(min=1, help="HTTP processes (PostgreSQL only when above 1).")
    ] = 1,
) -> None:
    """Migrate the database, then serve the API (and run workers) until stopped."""
    runtime = open_runtime(config, upgrade=True)
    settings = runtime.config
    record_at_start(runtime.store, settings, now=runtime.clock.now(), actor=actor())
    bind_host = host or settings.server.host
    bind_port = port or settings.server.port
    if http_processes == 1:
        app = create_app(runtime, run_workers=workers)
        uvicorn.run(app, host=bind_host, port=bind_port, log_level="warning", access_log=False)
        return
    if make_url(settings.database.url).get_backend_name() == "sqlite":
        raise fail("SQLite takes one writer process: use --http-processes 1 or PostgreSQL")
    runtime.store.dispose()
    # Several HTTP processes answer /metrics in turn: they must sum their event metrics
    # (docs/operations.md, Metrics). The processes uvicorn starts read this at import.
    if MULTIPROC_ENV not in os.environ:
        os.environ[MULTIPROC_ENV] = tempfile.mkdtemp(prefix="crossdock-metrics-")
    os.environ[CONFIG_ENV] = str(config_path(config).resolve())
    os.environ[RUN_WORKERS_ENV] = "1" if workers else "0"
    uvicorn.run(
        "crossdock.web.factory:app_from_env",
        factory=True,
        host=bind_host,
        port=bind_port,
        workers=http_processes,
        log_level="warning",
        access_log=False,
    )


def worker(
    config: ConfigOption = None,
    concurrency: Annotated[
        int | None, typer.Option(min=1, help="Jobs at once (default from config).")
    ] = None,
) -> None:
    """Run job workers only; start as many as the database allows (PostgreSQL: many)."""
    runtime = open_runtime(config)
    record_at_start(runtime.store, runtime.config, now=runtime.clock.now(), actor=actor())
    if concurrency is not None:
        runtime.config.workers.concurrency = concurrency

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        await asyncio.to_thread(runtime.schedule_startup_jobs)
        await runtime.worker().run(stop)

    asyncio.run(main())
