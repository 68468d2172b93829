"""Carrier tracking webhooks applied to Odoo: rate, freshness and Odoo RPCs per event.

A paced load of EasyPost `tracker.updated` webhooks (signed as EasyPost signs, each carrying
the tracker's history so far, one new scan each) goes to `crossdock serve` on PostgreSQL with
`crossdock worker` processes, over shipments whose pickings exist in the Odoo sandbox (its own
process). A probe reads the pickings' chatter every `--probe-interval` seconds and notes when
each scan's reference first appears: freshness is that moment minus the moment the webhook
was answered 202 (so it includes up to one probe interval). Odoo RPCs are what the sandbox
served during the run, less the probe's own calls.

Run from the repository root: `.venv/bin/python -m benchmarks.tracking`.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import re
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import orjson
import yaml

from benchmarks._common import (
    crossdock_server,
    free_port,
    fresh_database,
    machine_line,
    percentile,
    print_table,
    reproduce_line,
    start_workers,
    stop_process,
)
from benchmarks.odoo_rpc import odoo_sandbox, odoo_settings
from crossdock.connectors.base import InboundMessage
from crossdock.connectors.carriers.easypost.mapping import translate
from crossdock.connectors.carriers.easypost.signature import sign
from crossdock.connectors.odoo.client import OdooClient, make_http_client
from crossdock.connectors.odoo.milestone_notes import REF_LENGTH
from crossdock.sandbox.odoo import ADMIN_PASSWORD
from crossdock.sandbox.tracking_burst import create_pickings
from crossdock.store import migrate
from crossdock.store.engine import Store
from crossdock.store.jobs import JobQueue

SECRET = "bench-easypost-secret"
START = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)
# One shipment's life as EasyPost reports it: (status, status_detail), one scan a webhook.
LIFE = (
    ("pre_transit", "label_created"),
    ("in_transit", "received_at_origin_facility"),
    ("in_transit", "departed_facility"),
    ("in_transit", "arrived_at_facility"),
    ("out_for_delivery", "out_for_delivery"),
    ("delivered", "arrived_at_destination"),
)
EXCEPTION_EVERY = 50  # one shipment in 50 hits a weather delay instead of its third scan
REF = re.compile(rf"ref ([0-9a-f-]{{{REF_LENGTH}}})")
MAX_IN_FLIGHT = 256


@dataclass(frozen=True)
class Webhook:
    body: bytes
    ref: str  # the reference of its newest scan in the chatter notes


def tracker_event(tracking: str, scans: int, shipment: int) -> bytes:
    details = []
    for step in range(scans):
        status, detail = LIFE[step]
        if step == 2 and shipment % EXCEPTION_EVERY == 0:
            status, detail = "failure", "weather_delay"
        at = START + timedelta(hours=step * 6, seconds=shipment)
        details.append(
            {
                "object": "TrackingDetail",
                "message": f"{status} {detail}".replace("_", " "),
                "status": status,
                "status_detail": detail,
                "datetime": at.isoformat().replace("+00:00", "Z"),
                "source": "UPS",
                "tracking_location": {
                    "object": "TrackingLocation",
                    "city": "LOUISVILLE",
                    "state": "KY",
                    "country": "US",
                    "zip": "40209",
                },
            }
        )
    newest = details[-1]
    event = {
        "object": "Event",
        "id": f"evt_{tracking}_{scans}",
        "description": "tracker.updated",
        "mode": "production",
        "result": {
            "object": "Tracker",
            "id": f"trk_{tracking}",
            "tracking_code": tracking,
            "carrier": "UPS",
            "status": newest["status"],
            "status_detail": newest["status_detail"],
            "signed_by": "J. SMITH" if newest["status"] == "delivered" else None,
            "est_delivery_date": (START + timedelta(days=2)).isoformat(),
            "tracking_details": details,
        },
    }
    return orjson.dumps(event)


def build_load(trackings: Sequence[str], total: int) -> list[Webhook]:
    """Scan k of every shipment before scan k+1 of any: each shipment advances at the same
    pace, `len(trackings) / rate` seconds between its webhooks."""
    webhooks = []
    for index in range(total):
        step, shipment = divmod(index, len(trackings))
        body = tracker_event(trackings[shipment], step + 1, shipment)
        message = InboundMessage(
            id="bench",
            partner="easypost",
            headers={},
            body=body,
            received_at=START,
            correlation_id=None,
        )
        newest = translate(message, {})[-1]
        webhooks.append(Webhook(body, newest.id[:REF_LENGTH]))
    return webhooks


def write_config(workdir: Path, database_url: str, odoo_url: str, args: argparse.Namespace) -> Path:
    secret_file = workdir / "easypost.secret"
    secret_file.write_text(SECRET + "\n", encoding="utf-8")
    password_file = workdir / "odoo.password"
    password_file.write_text(ADMIN_PASSWORD + "\n", encoding="utf-8")
    settings = odoo_settings(odoo_url, password_file)
    data = {
        "database": {"url": database_url, "pool_size": 20},
        "workers": {"concurrency": args.concurrency},
        "logging": {"level": args.log_level, "format": "json"},
        "partners": [
            {"id": "easypost", "kind": "easypost", "secrets": [f"file:{secret_file}"]},
            {
                "id": "odoo",
                "kind": "odoo",
                "secrets": [f"file:{password_file}"],
                "settings": {
                    "odoo": settings.model_dump(mode="json"),
                    "milestones": {"flush_window": args.window},
                },
            },
        ],
    }
    path = workdir / "crossdock.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


async def send_all(base: str, webhooks: Sequence[Webhook], rate: float) -> dict[int, float]:
    """POST each webhook at its slot; returns when each was answered 202."""
    accepted: dict[int, float] = {}
    limit = asyncio.Semaphore(MAX_IN_FLIGHT)
    limits = httpx.Limits(max_connections=MAX_IN_FLIGHT, max_keepalive_connections=MAX_IN_FLIGHT)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as http:

        async def post(index: int, webhook: Webhook) -> None:
            headers = {
                "X-Hmac-Signature": sign(webhook.body, SECRET),
                "Content-Type": "application/json",
            }
            async with limit:
                for _attempt in range(5):
                    with contextlib.suppress(httpx.TransportError):
                        answer = await http.post(
                            "/webhooks/easypost", content=webhook.body, headers=headers
                        )
                        if answer.status_code == 202:
                            accepted[index] = time.monotonic()
                            return
                    await asyncio.sleep(0.2)

        started = time.monotonic()
        tasks = []
        for index, webhook in enumerate(webhooks):
            delay = started + index / rate - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(post(index, webhook)))
        await asyncio.gather(*tasks)
    return accepted


async def probe(
    client: OdooClient, wanted: set[str], sent: asyncio.Event, drain: float, interval: float
) -> dict[str, float]:
    """When each reference first shows in a picking's chatter; gives up `drain` seconds
    after the last webhook was answered."""
    seen: dict[str, float] = {}
    last_id = 0
    stop_at = float("inf")
    while len(seen) < len(wanted) and time.monotonic() < stop_at:
        if sent.is_set() and stop_at == float("inf"):
            stop_at = time.monotonic() + drain
        rows = await client.search_read(
            "mail.message",
            [("model", "=", "stock.picking"), ("id", ">", last_id)],
            ["body"],
            order="id asc",
        )
        now = time.monotonic()
        for row in rows:
            last_id = max(last_id, int(row["id"]))
            for ref in REF.findall(str(row["body"])):
                seen.setdefault(ref, now)
        await asyncio.sleep(interval)
    return seen


async def served(odoo_url: str) -> Counter[str]:
    async with httpx.AsyncClient() as http:
        return Counter((await http.get(f"{odoo_url}/sandbox/served")).json())


async def run(args: argparse.Namespace, workdir: Path) -> bool:
    total = int(args.rate * args.duration)
    with contextlib.ExitStack() as stack:
        database_url = stack.enter_context(fresh_database("postgresql", workdir))
        async with odoo_sandbox(args.version, workdir) as odoo_url:
            config = write_config(workdir, database_url, odoo_url, args)
            password_file = workdir / "odoo.password"
            settings = odoo_settings(odoo_url, password_file)
            pickings = await create_pickings(settings, args.shipments, "1ZTRK")
            trackings = [str(p["carrier_tracking_ref"]) for p in pickings]
            print(f"  {len(trackings)} pickings in the Odoo sandbox; building {total} webhooks")
            webhooks = build_load(trackings, total)
            store = Store.from_url(database_url)
            migrate.upgrade(store.engine)
            store.dispose()
            port = free_port()
            server = stack.enter_context(crossdock_server(config, port, workdir))
            workers = start_workers(config, args.workers, workdir)
            try:
                async with make_http_client(settings) as http:
                    prober = OdooClient(settings, http)
                    await prober.authenticate()
                    before = await served(odoo_url)
                    wanted = {w.ref for w in webhooks}
                    done_sending = asyncio.Event()
                    seen_task = asyncio.create_task(
                        probe(prober, wanted, done_sending, args.drain, args.probe_interval)
                    )
                    sent_at = time.monotonic()
                    accepted = await send_all(server.base, webhooks, args.rate)
                    sending = time.monotonic() - sent_at
                    done_sending.set()
                    seen = await seen_task
                    after = await served(odoo_url)
                    probe_calls = prober.rpc_counts.total()
            finally:
                for proc in workers:
                    stop_process(proc)
            store = Store.from_url(database_url)
            jobs = JobQueue(store).counts()
            store.dispose()
    calls = after - before
    crossdock_calls = calls.total() - probe_calls
    fresh = sorted(
        seen[w.ref] - accepted[i] for i, w in enumerate(webhooks) if i in accepted and w.ref in seen
    )
    applied = len(fresh)
    span = (max(seen.values()) - min(accepted.values())) if seen and accepted else float("nan")
    p50, p99 = percentile(fresh, 50), percentile(fresh, 99)
    per_event = crossdock_calls / applied if applied else float("nan")
    print_table(
        [
            "webhooks",
            "accepted",
            "accepted/s",
            "applied",
            "applied/s",
            "p50 s",
            "p99 s",
            "max s",
            "Odoo RPCs",
            "RPC/event",
        ],
        [
            [
                str(total),
                str(len(accepted)),
                f"{len(accepted) / sending:,.0f}",
                str(applied),
                f"{applied / span:,.0f}",
                f"{p50:.2f}",
                f"{p99:.2f}",
                f"{fresh[-1]:.2f}" if fresh else "-",
                str(crossdock_calls),
                f"{per_event:.3f}",
            ]
        ],
    )
    print(f"  jobs: {dict(sorted(jobs.items()))}")
    print(f"  Odoo calls by method: {dict(sorted(calls.items()))} (probe: {probe_calls})")
    ok = applied == total and p99 < 2.0 and per_event <= 0.2
    print(
        f"  targets: p99 freshness < 2 s: {'met' if p99 < 2.0 else 'MISSED'}; "
        f"<= 0.2 RPC/event: {'met' if per_event <= 0.2 else 'MISSED'}; "
        f"all applied: {'yes' if applied == total else f'NO ({total - applied} missing)'}"
    )
    return ok


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rate", type=float, default=500, help="webhooks per second")
    parser.add_argument("--duration", type=float, default=60, help="seconds of load")
    parser.add_argument("--shipments", type=int, default=5000)
    parser.add_argument("--workers", type=int, default=2, help="crossdock worker processes")
    parser.add_argument("--concurrency", type=int, default=16, help="jobs per worker")
    parser.add_argument("--window", type=float, default=0.5, help="Odoo flush window, s")
    parser.add_argument("--probe-interval", type=float, default=0.1)
    parser.add_argument(
        "--drain", type=float, default=60, help="seconds allowed after the last webhook"
    )
    parser.add_argument("--version", type=int, default=18, help="Odoo version simulated")
    parser.add_argument("--workdir", type=Path, help="keep logs and config here")
    parser.add_argument("--log-level", default="warning")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args = parse_args(argv)
    print(machine_line())
    print(reproduce_line("benchmarks.tracking", argv))
    if args.workdir is not None:
        args.workdir.mkdir(parents=True, exist_ok=True)
        return 0 if asyncio.run(run(args, args.workdir)) else 1
    with tempfile.TemporaryDirectory(prefix="crossdock-tracking-") as tmp:
        ok = asyncio.run(run(args, Path(tmp)))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
