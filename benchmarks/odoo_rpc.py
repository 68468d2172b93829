"""Odoo RPCs per tracking update and updates applied per second: naive against Crossdock.

Run as a module from the repository root: `.venv/bin/python -m benchmarks.odoo_rpc`.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx

from benchmarks._common import (
    CROSSDOCK,
    free_port,
    machine_line,
    print_table,
    reproduce_line,
    stop_process,
    subprocess_env,
)
from crossdock.clock import SystemClock
from crossdock.config import Config, DatabaseConfig, LoggingConfig, PartnerConfig
from crossdock.connectors.odoo.client import OdooClient, make_http_client
from crossdock.connectors.odoo.milestones import FLUSH
from crossdock.connectors.odoo.pool import CLIENTS
from crossdock.connectors.odoo.settings import OdooSettings
from crossdock.flows.tracking import JOB_TYPE as TRACKING_JOB
from crossdock.observe.logging import configure_logging
from crossdock.runtime import Runtime
from crossdock.sandbox.odoo import ADMIN_LOGIN, ADMIN_PASSWORD, SANDBOX_DB
from crossdock.sandbox.tracking_burst import create_pickings, milestone_events
from crossdock.store import migrate

PER_PICKING = 5
PARTNER = "odoo-bench"
NAIVE_CONCURRENCY = 8


@contextlib.asynccontextmanager
async def odoo_sandbox(version: int, workdir: Path) -> AsyncIterator[str]:
    """`crossdock sandbox odoo` as its own process, like a real Odoo server."""
    port = free_port()
    log = (workdir / "sandbox.log").open("ab")
    proc = subprocess.Popen(
        [str(CROSSDOCK), "sandbox", "odoo", "--port", str(port), "--version", str(version)],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=subprocess_env(),
        start_new_session=True,  # its own process group, so stop_process can end it whole
    )
    log.close()
    url = f"http://127.0.0.1:{port}"
    try:
        async with httpx.AsyncClient() as http:
            for _ in range(300):
                with contextlib.suppress(httpx.HTTPError):
                    answer = await http.post(
                        f"{url}/web/webclient/version_info", json={"jsonrpc": "2.0", "params": {}}
                    )
                    if answer.status_code == 200:
                        break
                await asyncio.sleep(0.1)
            else:
                raise SystemExit("the Odoo sandbox did not start")
        yield url
    finally:
        stop_process(proc)


def odoo_settings(url: str, password_file: Path) -> OdooSettings:
    return OdooSettings(
        url=url,
        database=SANDBOX_DB,
        protocol="jsonrpc",
        login=ADMIN_LOGIN,
        password=f"file:{password_file}",
    )


async def naive(settings: OdooSettings, events: Sequence[Any]) -> tuple[int, float]:
    """One search and one message_post per event, 8 at a time."""
    limit = asyncio.Semaphore(NAIVE_CONCURRENCY)
    async with make_http_client(settings) as http:
        client = OdooClient(settings, http)
        await client.authenticate()
        started = time.perf_counter()

        async def apply(envelope: Any) -> None:
            async with limit:
                tracking = envelope.data["tracking_number"]
                [picking] = await client.search_read(
                    "stock.picking", [("carrier_tracking_ref", "=", tracking)], ["id"]
                )
                await client.message_post(
                    "stock.picking", picking["id"], f"<p>{envelope.data['milestone']}</p>"
                )

        await asyncio.gather(*(apply(envelope) for envelope in events))
        elapsed = time.perf_counter() - started
        return client.rpc_counts.total() - client.rpc_counts.of("common"), elapsed


async def crossdock(
    settings: OdooSettings, events: Sequence[Any], workdir: Path, window: float
) -> tuple[int, float]:
    """The pipeline's own path: routed jobs per shipment lane, buffer, batched flush."""
    partner = PartnerConfig(
        id=PARTNER,
        kind="odoo",
        secrets=[str(settings.password)],
        settings={
            "odoo": settings.model_dump(mode="json"),
            "milestones": {"flush_window": window},
        },
    )
    config = Config(
        database=DatabaseConfig(url=f"sqlite:///{workdir / f'odoo-bench-{len(events)}.db'}"),
        partners=[partner],
        logging=LoggingConfig(level="warning"),
    )
    runtime = Runtime.build(config, clock=SystemClock())
    migrate.upgrade(runtime.store.engine)
    collect_type = TRACKING_JOB  # Odoo's buffer is filled by its sink inside this job
    specs = [
        spec
        for envelope in events
        for spec in runtime.router.route(envelope, None)
        if spec.job_type == collect_type
    ]
    worker = runtime.worker()
    started = time.perf_counter()
    runtime.queue.enqueue(specs, runtime.clock.now())
    while runtime.queue.open_count():
        await worker.run_until_idle()
        await asyncio.sleep(0.02)
    elapsed = time.perf_counter() - started
    client = CLIENTS.get(PARTNER, settings)
    rpcs = client.rpc_counts.total() - client.rpc_counts.of("common")
    flushes = runtime.queue.counts().get((f"{FLUSH}:{PARTNER}", "done"), 0)
    print(f"  crossdock: {len(specs)} jobs, {flushes} flush(es), RPCs {dict(client.rpc_counts)}")
    await CLIENTS.aclose()
    runtime.store.dispose()
    return rpcs, elapsed


async def main(argv: Sequence[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bursts", default="100,1000,10000")
    parser.add_argument("--version", type=int, default=18)
    parser.add_argument("--window", type=float, default=0.5, help="flush window, seconds")
    args = parser.parse_args(argv)
    configure_logging("warning", "console")
    bursts = [int(part) for part in args.bursts.split(",")]
    rows = []
    with tempfile.TemporaryDirectory(prefix="crossdock-odoo-bench-") as tmp:
        workdir = Path(tmp)
        password = workdir / "odoo.password"
        password.write_text(ADMIN_PASSWORD + "\n", encoding="utf-8")
        async with odoo_sandbox(args.version, workdir) as url:
            settings = odoo_settings(url, password)
            for burst in bursts:
                pickings_count = max(burst // PER_PICKING, 1)
                start = SystemClock().now() - timedelta(hours=6)
                print(f"[{burst} updates over {pickings_count} pickings]")
                naive_pickings = await create_pickings(settings, pickings_count, f"1ZN{burst}-")
                naive_rpcs, naive_s = await naive(
                    settings, milestone_events(naive_pickings, PER_PICKING, start)
                )
                ours = await create_pickings(settings, pickings_count, f"1ZC{burst}-")
                our_rpcs, our_s = await crossdock(
                    settings, milestone_events(ours, PER_PICKING, start), workdir, args.window
                )
                per_event = our_rpcs / burst
                target = "" if burst < 1000 else ("PASS" if per_event <= 0.1 else "FAIL")
                rows.append(
                    [
                        f"{burst:,}",
                        f"{pickings_count:,}",
                        f"{naive_rpcs:,}",
                        f"{naive_rpcs / burst:.2f}",
                        f"{burst / naive_s:,.0f}",
                        f"{our_rpcs:,}",
                        f"{per_event:.4f}",
                        f"{burst / our_s:,.0f}",
                        target,
                    ]
                )
    print()
    print("Crossdock Odoo RPC benchmark")
    print(f"machine: {machine_line()}")
    print(
        f"odoo:    `crossdock sandbox odoo --version {args.version}` subprocess (a simulator), "
        "JSON-RPC, login excluded from the counts"
    )
    print(f"naive:   one search_read + one message_post per update, {NAIVE_CONCURRENCY} at a time")
    print(
        "crossdock: routed jobs on shipment lanes (1 worker, 8 slots, SQLite), newest milestone "
        f"per shipment buffered, flushed every {args.window} s with one search_read + one "
        "create of mail.message; time includes the flush window"
    )
    print()
    print_table(
        [
            "updates",
            "pickings",
            "naive RPCs",
            "naive RPC/upd",
            "naive upd/s",
            "crossdock RPCs",
            "crossdock RPC/upd",
            "crossdock upd/s",
            "<=0.1 RPC/upd",
        ],
        rows,
    )
    print()
    print("reproduce: " + reproduce_line("benchmarks.odoo_rpc", list(argv)))


if __name__ == "__main__":
    if __package__ in (None, ""):
        raise SystemExit("run it as a module: .venv/bin/python -m benchmarks.odoo_rpc")
    asyncio.run(main(sys.argv[1:]))
