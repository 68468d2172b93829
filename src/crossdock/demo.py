"""`crossdock demo`: the pipeline end to end on SQLite, in two parts; print what happened.

First, intake: a generic partner sends webhooks to a real server, and the pipeline runs as
production does (signed HTTP requests, durable intake with group commit, translation to
canonical events, routing, the status-board and tracking flows), with the cases a partner
gets wrong (a redelivery, a bad signature, a body that is not JSON, an event that does not
map), each of which must end visible, never lost. Then outbound fulfillment
(`demo_fulfillment`): orders from confirmation in the Odoo sandbox through the WMS sandbox
and the carrier to their invoice.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import shutil
import socket
from collections import Counter
from pathlib import Path

import httpx
import uvicorn
import yaml
from rich.console import Console
from rich.table import Table

from crossdock.canonical.event_types import (
    SHIPMENT_MILESTONE_RECORDED_V1,
    SHIPMENT_STATUS_CHANGED_V1,
)
from crossdock.config import Config, DatabaseConfig, LoggingConfig, PartnerConfig
from crossdock.demo_fulfillment import report, run_fulfillment, serve_dashboard
from crossdock.ids import new_id
from crossdock.observe.logging import configure_logging
from crossdock.runtime import Runtime
from crossdock.sandbox import generic_partner as partner_sim
from crossdock.store import events, migrate
from crossdock.web.app import create_app

PARTNER = "acme-3pl"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _demo_config(workdir: Path) -> Config:
    secret_file = workdir / "acme-3pl.secret"
    secret_file.write_text(partner_sim.new_secret() + "\n", encoding="utf-8")
    secret_file.chmod(0o600)
    config = Config(
        database=DatabaseConfig(url=f"sqlite:///{workdir / 'crossdock.db'}"),
        partners=[PartnerConfig(id=PARTNER, kind="generic", secrets=[f"file:{secret_file}"])],
        logging=LoggingConfig(level="warning"),
    )
    (workdir / "crossdock.yaml").write_text(
        "# Written by `crossdock demo`.\n" + _yaml(config), encoding="utf-8"
    )
    return config


def _yaml(config: Config) -> str:
    return str(yaml.safe_dump(config.model_dump(mode="json"), sort_keys=False))


async def _send_all(base_url: str, secret: str, count: int) -> Counter[str]:
    rng = random.Random(7)
    outcomes: Counter[str] = Counter()
    limit = asyncio.Semaphore(16)
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:

        async def post(label: str, body: bytes, headers: dict[str, str]) -> None:
            async with limit:
                response = await client.post(f"/webhooks/{PARTNER}", content=body, headers=headers)
            outcomes[f"{label} → {response.status_code}"] += 1

        good = []
        for index in range(count):
            body = partner_sim.encode(partner_sim.sample_event(index, rng))
            msg_id = f"msg_{new_id()}"
            good.append((body, msg_id))
        await asyncio.gather(
            *(
                post("valid event", body, partner_sim.signed_headers(secret, body, mid))
                for body, mid in good
            )
        )
        body, msg_id = good[0]
        await post("redelivery", body, partner_sim.signed_headers(secret, body, msg_id))
        await post(
            "bad signature",
            body,
            partner_sim.signed_headers(partner_sim.new_secret(), body, f"msg_{new_id()}"),
        )
        garbled = b'{"type": "crossdock.order.confirmed.v1", "data": '
        await post(
            "not JSON", garbled, partner_sim.signed_headers(secret, garbled, f"msg_{new_id()}")
        )
        unmappable = partner_sim.encode(
            {
                "type": "crossdock.order.confirmed.v1",
                "subject": "SO-BAD",
                "time": "2026-11-23T08:00:00Z",
                "data": {"order_number": "SO-BAD", "lines": []},
            }
        )
        await post(
            "unmappable event",
            unmappable,
            partner_sim.signed_headers(secret, unmappable, f"msg_{new_id()}"),
        )
    return outcomes


async def _run(workdir: Path, count: int, console: Console) -> int:
    config = _demo_config(workdir)
    runtime = Runtime.build(config)
    migrate.upgrade(runtime.store.engine)
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(runtime, run_workers=True),
            host="127.0.0.1",
            port=port,
            log_level="warning",
            lifespan="on",
        )
    )
    serving = asyncio.create_task(server.serve())
    for _ in range(200):
        if server.started:
            break
        await asyncio.sleep(0.05)
    secret = (workdir / "acme-3pl.secret").read_text(encoding="utf-8").strip()
    outcomes = await _send_all(f"http://127.0.0.1:{port}", secret, count)
    for _ in range(600):
        if await runtime.store.run(runtime.queue.open_count) == 0:
            break
        await asyncio.sleep(0.1)
    server.should_exit = True
    await serving
    return _report(runtime, outcomes, count, console)


def _report(runtime: Runtime, outcomes: Counter[str], count: int, console: Console) -> int:
    answers = Table("request", "count", title="HTTP answers")
    for label, number in sorted(outcomes.items()):
        answers.add_row(label, str(number))
    stored = Table("message status", "count", title="Inbox")
    message_counts = runtime.inbox.counts()
    for status, number in sorted(message_counts.items()):
        stored.add_row(status, str(number))
    typed = Table("event type", "count", title="Canonical events")
    event_counts = events.counts_by_type(runtime.store)
    for event_type, number in sorted(event_counts.items()):
        typed.add_row(event_type, str(number))
    queue = Table("job type", "state", "count", title="Jobs")
    for (job_type, status), number in sorted(runtime.queue.counts().items()):
        queue.add_row(job_type, status, str(number))
    for table in (answers, stored, typed, queue):
        console.print(table)
    for job in runtime.queue.dead_jobs():
        console.print(f"dead letter {job.id} ({job.job_type}): {job.last_error}", markup=False)
    expected_translated = count
    # The tracking flow adds a status change per milestone that moved its parcel.
    derived = event_counts.get(SHIPMENT_STATUS_CHANGED_V1, 0)
    milestones = event_counts.get(SHIPMENT_MILESTONE_RECORDED_V1, 0)
    ok = (
        message_counts.get("translated", 0) == expected_translated
        and message_counts.get("failed", 0) == 2
        and sum(event_counts.values()) - derived == expected_translated
        and 0 < derived <= milestones
        and runtime.queue.open_count() == 0
    )
    verdict = "[green]demo ok[/]" if ok else "[red]demo found a problem[/]"
    console.print(
        f"{verdict}: {count} events accepted and translated once each, "
        f"1 redelivery answered from the inbox, 1 bad signature refused, "
        f"1 unparseable and 1 unmappable message kept as failed"
    )
    console.print(f"database: {runtime.store.engine.url.render_as_string()}")
    return 0 if ok else 1


def run_demo(
    workdir: Path, count: int, orders: int = 200, *, serve: bool = False, port: int = 8080
) -> int:
    """Both parts; 0 when both ended as they must. `serve` then keeps the dashboard up."""
    configure_logging("warning", "console")
    if workdir.exists():
        shutil.rmtree(workdir)
    workdir.mkdir(parents=True)
    console = Console()
    intake = asyncio.run(_run(workdir, count, console))
    fulfilled = True
    if orders:
        # Short picks are warnings a person should see in production; here the summary
        # table counts them, and the progress bar stays readable.
        configure_logging("error", "console")
        summary = asyncio.run(run_fulfillment(workdir, orders, console))
        fulfilled = report(summary, console)
    if serve:
        with contextlib.suppress(KeyboardInterrupt):
            asyncio.run(serve_dashboard(workdir, port, console))
    return 0 if intake == 0 and fulfilled else 1
