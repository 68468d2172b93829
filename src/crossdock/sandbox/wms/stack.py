"""The whole outbound scenario on the sandboxes, in one process, over real HTTP.

Sandbox Odoo, sandbox WMS and Crossdock (on the given database) each serve on a free local
port; Crossdock polls Odoo, releases to the WMS, hears its webhooks, validates and invoices
in Odoo, and hears delivery from signed tracking events. `run_orders` carries N orders from
confirmation to invoice (the demo and the benchmark call it); the tests drive a `Stack`
step by step.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import time
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Literal

import httpx
import orjson
import uvicorn

from crossdock.canonical.event_types import SHIPMENT_MILESTONE_RECORDED_V1
from crossdock.canonical.milestones import ProofOfDelivery, TrackingMilestone
from crossdock.canonical.registry import build_event
from crossdock.clock import Clock, FrozenClock
from crossdock.config import Config, DatabaseConfig, LoggingConfig, PartnerConfig
from crossdock.connectors.odoo.mapping_fields import POLL_FIELDS
from crossdock.connectors.odoo.pool import CLIENTS
from crossdock.connectors.wms.rest.gateway import aclose_all
from crossdock.flows.outbound import repository
from crossdock.ids import new_id
from crossdock.runtime import Runtime
from crossdock.sandbox.generic_partner import new_secret
from crossdock.sandbox.odoo import ADMIN_LOGIN, ADMIN_PASSWORD, SANDBOX_DB
from crossdock.sandbox.odoo.orm import OdooDatabase
from crossdock.sandbox.odoo.seed import CUSTOMERS as CUSTOMER_INDEXES
from crossdock.sandbox.odoo.server import build_app as build_odoo
from crossdock.sandbox.wms.labels import LabelBook
from crossdock.sandbox.wms.labels import build_app as build_labels
from crossdock.sandbox.wms.server import build_app as build_wms
from crossdock.sandbox.wms.settings import partner_settings
from crossdock.sandbox.wms.warehouse import Behaviour, Warehouse
from crossdock.security.standard_webhooks import sign
from crossdock.store import migrate
from crossdock.web.app import create_app

ODOO = "odoo-main"
WMS = "wms-main"
TRACKING = "tracking-feed"
LABELS = "carrier-labels"
LABELS_KEY = "label-api-key-0123456789"
WMS_KEY = "wms-api-key-0123456789"
OAUTH_CLIENT = ("crossdock", "wms-client-secret-0123456789")
POLL_INTERVAL = timedelta(seconds=10)
IDLE_ROUND_JOBS = 2  # the two polls (sale.order, stock.picking) that find nothing new


@contextlib.asynccontextmanager
async def serving(app: Any) -> AsyncIterator[str]:
    """Serve `app` with uvicorn on a free local port inside the running loop."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        config = uvicorn.Config(
            app, log_config=None, log_level="warning", access_log=False, lifespan="on", ws="none"
        )
        server = uvicorn.Server(config)
        task = asyncio.create_task(server.serve(sockets=[sock]))
        try:
            while not server.started:
                if task.done():
                    task.result()
                    raise RuntimeError("the server stopped before it started")
                await asyncio.sleep(0.01)
            yield f"http://127.0.0.1:{sock.getsockname()[1]}"
        finally:
            server.should_exit = True
            await task


@dataclass
class Stack:
    odoo: OdooDatabase
    warehouse: Warehouse
    runtime: Runtime
    clock: FrozenClock
    url: str
    tracking_secret: str
    http: httpx.AsyncClient
    labels: LabelBook
    orders: list[int] = field(default_factory=list)
    label_books: list[LabelBook] = field(default_factory=list)
    """Every label API served, the first one being `labels` (partner `LABELS`, then
    `LABELS-2`, `LABELS-3`… for the others)."""

    # -- Odoo as its users would use it --------------------------------------------------

    def confirm_order(
        self,
        lines: list[tuple[int, float]],
        customer: int = 1,
        carrier: str | None = "carrier_postnl",
    ) -> tuple[int, str]:
        """A confirmed sale order for (product index, qty); answers (id, name)."""
        vals: dict[str, Any] = {
            "partner_id": self.odoo.ref(f"sandbox.customer_{customer:02d}"),
            "order_line": [
                (
                    0,
                    0,
                    {"product_id": self.odoo.ref(f"sandbox.product_{i:04d}"), "product_uom_qty": q},
                )
                for i, q in lines
            ],
        }
        if carrier:
            vals["carrier_id"] = self.odoo.ref(f"sandbox.{carrier}")
        with self.odoo.lock, self.odoo.transaction():
            order = self.odoo.env().create("sale.order", vals)
        self.odoo.call("sale.order", "action_confirm", [order])
        self.orders.append(order)
        return order, str(self.odoo.record("sale.order", order)["name"])

    def cancel_order(self, order: int) -> None:
        """Cancel as a user would, confirming the "Cancel Sales Order" wizard's warning."""
        self.odoo.call(
            "sale.order", "action_cancel", [order], context={"disable_cancel_warning": True}
        )

    def pickings_of(self, order: int) -> list[dict[str, Any]]:
        """The order's deliveries, the first one first, then its backorders."""
        rows = self.odoo.records(
            "stock.picking",
            [("sale_id", "=", order)],
            ["name", "state", "carrier_tracking_ref", "backorder_id", "move_ids"],
        )
        return sorted(rows, key=lambda row: int(row["id"]))

    def picking_of(self, order: int) -> dict[str, Any]:
        return self.pickings_of(order)[0]

    # -- Crossdock's side ------------------------------------------------------------------

    async def settle(self, *, execute: bool = True, rounds: int = 6) -> None:
        """Poll Odoo, run every due job, let the warehouse work, until nothing moves.

        Stops early after a round in which only the polls ran, the warehouse had nothing
        to do and no other job is waiting (a retry, a sweep); `rounds` bounds it.
        """
        worker = self.runtime.worker()
        for _ in range(rounds):
            self.clock.advance(POLL_INTERVAL + timedelta(seconds=1))
            ran = await worker.run_until_idle()
            executed = await self.warehouse.execute_all() if execute else 0
            ran += await worker.run_until_idle()
            waiting = await self.runtime.store.run(self.runtime.queue.open_count)
            if ran <= IDLE_ROUND_JOBS and not executed and waiting <= IDLE_ROUND_JOBS:
                return

    async def deliver(self, tracking: str, *, proof: bool = True) -> int:
        """The carrier says the parcel was delivered (signed, as a tracking feed posts it)."""
        at = self.clock.now() - timedelta(minutes=5)
        data = TrackingMilestone(
            tracking_number=tracking,
            carrier_code="postnl",
            milestone="delivered",
            occurred_at=at,
            raw_code="DL",
            raw_text="Delivered",
            proof_of_delivery=ProofOfDelivery(signed_by="A. Receiver") if proof else None,
        )
        envelope = build_event(
            SHIPMENT_MILESTONE_RECORDED_V1,
            data,
            source="/carriers/postnl",
            subject=tracking,
            lanekey=f"shipment:{tracking}",
            time=at,
        )
        body = orjson.dumps(envelope.to_cloudevent())
        msg_id = f"msg_{new_id()}"
        timestamp = int(self.clock.now().timestamp())
        response = await self.http.post(
            f"{self.url}/webhooks/{TRACKING}",
            content=body,
            headers={
                "content-type": "application/json",
                "webhook-id": msg_id,
                "webhook-timestamp": str(timestamp),
                "webhook-signature": sign(self.tracking_secret, msg_id, timestamp, body),
            },
        )
        return response.status_code

    def fulfillment(self, name: str) -> repository.FulfillmentRow:
        row = repository.get(self.runtime.store, name)
        if row is None:
            raise LookupError(f"no fulfillment {name}")
        return row


def _secret_file(directory: Path, name: str, value: str) -> str:
    path = directory / name
    path.write_text(value + "\n", encoding="utf-8")
    return f"file:{path}"


def outbound_config(
    db_url: str,
    directory: Path,
    odoo_url: str,
    wms_url: str,
    outbound: Mapping[str, Any],
    *,
    oauth: bool = False,
    tracking_secret: str,
    wms_secret: str,
    labels_url: str | None = None,
    more_labels_urls: Sequence[str] = (),
    sqlite_synchronous: Literal["FULL", "NORMAL"] = "FULL",
    notifications: Mapping[str, Any] | None = None,
    odoo_settings: Mapping[str, Any] | None = None,
) -> Config:
    odoo_password = _secret_file(directory, "odoo.password", ADMIN_PASSWORD)
    odoo_token = _secret_file(directory, "odoo.token", "odoo-webhook-token-0123456789abcdef")
    polls = [
        {
            "model": model,
            "fields": list(POLL_FIELDS[model]),
            "interval": f"PT{int(POLL_INTERVAL.total_seconds())}S",
            "page_size": 1000,
            # The sandbox's transactions are instant: a short overlap re-reads little.
            "overlap": "PT2S",
        }
        for model in ("sale.order", "stock.picking")
    ]
    books_carrier = labels_url is None
    if oauth:
        settings = partner_settings(
            wms_url,
            oauth=(OAUTH_CLIENT[0], _secret_file(directory, "wms.client", OAUTH_CLIENT[1])),
            books_carrier=books_carrier,
        )
    else:
        settings = partner_settings(
            wms_url, _secret_file(directory, "wms.key", WMS_KEY), books_carrier=books_carrier
        )
    partners = [
        PartnerConfig(
            id=ODOO,
            kind="odoo",
            secrets=[odoo_token],
            settings={
                "odoo": {
                    "url": odoo_url,
                    "database": SANDBOX_DB,
                    "protocol": "jsonrpc",
                    "login": ADMIN_LOGIN,
                    "password": odoo_password,
                },
                "poll": polls,
                **(odoo_settings or {}),
            },
        ),
        PartnerConfig(
            id=WMS,
            kind="wms_rest",
            secrets=[_secret_file(directory, "wms.webhook", wms_secret)],
            # A WMS's events are translated in arrival order: a pick before its shipment.
            ordered=True,
            settings=settings,
        ),
        PartnerConfig(
            id=TRACKING,
            kind="generic",
            secrets=[_secret_file(directory, "tracking.webhook", tracking_secret)],
        ),
    ]
    extra: dict[str, Any] = {}
    if labels_url is not None:
        partners.append(
            PartnerConfig(
                id=LABELS,
                kind="carrier_labels",
                settings={
                    "base_url": labels_url,
                    "api_key": _secret_file(directory, "labels.key", LABELS_KEY),
                    "carrier_code": "postnl",
                },
            )
        )
        extra["label_carrier"] = LABELS
        for number, url in enumerate(more_labels_urls, start=2):
            partners.append(
                PartnerConfig(
                    id=f"{LABELS}-{number}",
                    kind="carrier_labels",
                    settings={
                        "base_url": url,
                        "api_key": _secret_file(directory, "labels.key", LABELS_KEY),
                        "carrier_code": f"carrier{number}",
                    },
                )
            )
        if more_labels_urls:
            extra["label_carrier"] = [LABELS] + [
                f"{LABELS}-{n}" for n in range(2, len(more_labels_urls) + 2)
            ]
    return Config.model_validate(
        {
            "database": DatabaseConfig(url=db_url, sqlite_synchronous=sqlite_synchronous),
            "partners": partners,
            "logging": LoggingConfig(level="warning"),
            "outbound": {"warehouses": {"WH": WMS}, "odoo_partner": ODOO, **extra, **outbound},
            "notifications": dict(notifications or {}),
        }
    )


@contextlib.asynccontextmanager
async def running_stack(
    db_url: str,
    directory: Path,
    *,
    outbound: Mapping[str, Any] | None = None,
    behaviour: Behaviour | None = None,
    oauth: bool = False,
    auto: bool = False,
    clock: Clock | None = None,
    book_labels: bool = False,
    sqlite_synchronous: Literal["FULL", "NORMAL"] = "NORMAL",
    notifications: Mapping[str, Any] | None = None,
    odoo_settings: Mapping[str, Any] | None = None,
    label_books: Sequence[LabelBook] = (),
) -> AsyncIterator[Stack]:
    """Odoo, WMS and Crossdock serving; the seeded orders are left out of the polls.

    `book_labels` serves label APIs for a WMS that does not book the carrier: `label_books`
    (several: shopped across), else one with the default services."""
    frozen = clock if isinstance(clock, FrozenClock) else FrozenClock(datetime.now(UTC))
    odoo_app = build_odoo(version=18)
    odoo: OdooDatabase = odoo_app.state.odoo
    wms_secret, tracking_secret = new_secret(), new_secret()
    warehouse = Warehouse(
        partner=WMS, secret=wms_secret, behaviour=behaviour, auto=auto, now=frozen.now
    )
    if book_labels:
        warehouse.behaviour.books_carrier = False
    wms_app = build_wms(warehouse, api_key=WMS_KEY, client=OAUTH_CLIENT)
    books = list(label_books) or [LabelBook()]
    book = books[0]
    # Only what the scenario creates: the seed's own orders and deliveries stay in Odoo.
    seeded_pickings = max(odoo.search("stock.picking"), default=0)
    seeded_orders = max(odoo.search("sale.order"), default=0)
    async with (
        serving(odoo_app) as odoo_url,
        serving(wms_app) as wms_url,
        contextlib.AsyncExitStack() as label_servers,
    ):
        labels_urls = [
            await label_servers.enter_async_context(serving(build_labels(b, api_key=LABELS_KEY)))
            for b in books
        ]
        config = outbound_config(
            db_url,
            directory,
            odoo_url,
            wms_url,
            outbound or {},
            oauth=oauth,
            tracking_secret=tracking_secret,
            wms_secret=wms_secret,
            labels_url=labels_urls[0] if book_labels else None,
            more_labels_urls=labels_urls[1:] if book_labels else (),
            sqlite_synchronous=sqlite_synchronous,
            notifications=notifications,
            odoo_settings=odoo_settings,
        )
        for partner in config.partners:
            for poll in partner.settings.get("poll", []):
                last = seeded_orders if poll["model"] == "sale.order" else seeded_pickings
                poll["domain"] = [["id", ">", last]]
        runtime = Runtime.build(config, clock=frozen)
        migrate.upgrade(runtime.store.engine)
        runtime.schedule_startup_jobs()
        async with (
            serving(create_app(runtime, run_workers=False)) as url,
            httpx.AsyncClient() as http,
        ):
            warehouse.target = url
            stack = Stack(
                odoo, warehouse, runtime, frozen, url, tracking_secret, http, book, [], books
            )
            try:
                yield stack
            finally:
                await warehouse.aclose()
                await aclose_all()
                await CLIENTS.aclose()
        runtime.store.dispose()


STALLED_ROUNDS = 5
TERMINAL = frozenset({"invoiced", "cancelled", "cancel_conflict", "held", "refused"})


@dataclass(frozen=True)
class ScenarioSummary:
    """What `run_orders` carried through, for the demo's table and the benchmark."""

    orders: int
    released: int
    shipped: int
    partially_shipped: int
    delivered: int
    invoiced: int
    exceptions: int
    conflicts: int
    dead_letters: int
    odoo_rpcs: int
    seconds: float
    """From the first poll to the last invoice (Odoo's own confirmations not counted)."""
    orders_invoiced: int = 0
    """Sale orders whose every delivery was invoiced (`invoiced` counts deliveries)."""

    @property
    def orders_per_minute(self) -> float:
        return self.orders_invoiced / self.seconds * 60 if self.seconds else 0.0

    @property
    def rpcs_per_order(self) -> float:
        return self.odoo_rpcs / self.orders if self.orders else 0.0


def _count(rows: list[repository.FulfillmentRow]) -> dict[str, int]:
    return {
        "released": sum(1 for r in rows if r.wms_order_id is not None),
        "shipped": sum(1 for r in rows if r.confirmations and r.state not in ("cancel_conflict",)),
        "partially_shipped": sum(1 for r in rows if r.backorder_id is not None),
        "delivered": sum(1 for r in rows if r.delivered_at is not None),
        "invoiced": sum(1 for r in rows if r.state == "invoiced"),
    }


def _orders_invoiced(rows: list[repository.FulfillmentRow]) -> int:
    by_order: dict[str, list[str]] = {}
    for row in rows:
        by_order.setdefault(row.correlation_id or row.fulfillment_id, []).append(row.state)
    return sum(1 for states in by_order.values() if all(s == "invoiced" for s in states))


async def run_orders(
    count: int,
    db_url: str,
    directory: Path,
    *,
    behaviour: Behaviour | None = None,
    outbound: Mapping[str, Any] | None = None,
    on_progress: Callable[[int, int], None] | None = None,
    max_rounds: int = 200,
    sqlite_synchronous: Literal["FULL", "NORMAL"] = "FULL",
) -> ScenarioSummary:
    """Carry `count` orders from confirmation in Odoo to their invoice, on the sandboxes.

    Every order is confirmed in Odoo, released to the WMS by Crossdock, executed (with the
    given behaviour: short picks, splits…), validated in Odoo, delivered (a signed tracking
    event with proof of delivery) and invoiced. `on_progress(invoiced, count)` is called
    after each round. The demo calls this; so does benchmarks/fulfillment.py.
    """
    async with running_stack(
        db_url,
        directory,
        behaviour=behaviour,
        outbound=outbound,
        sqlite_synchronous=sqlite_synchronous,
    ) as stack:
        products = list(range(1, 41))
        for product in products:
            stack.odoo.set_stock(stack.odoo.ref(f"sandbox.product_{product:04d}"), 10**6)
        rpcs_before = sum(stack.odoo.served.values())
        for n in range(count):
            lines = [(products[(n * 7 + k * 3) % len(products)], float(1 + (n + k) % 3))
                     for k in range(1 + n % 2)]  # fmt: skip
            stack.confirm_order(lines, customer=1 + n % len(CUSTOMER_INDEXES))
        delivered: set[str] = set()
        previous: list[tuple[str, str]] = []
        stalled = 0
        worker = stack.runtime.worker()
        # Timed from here: the orders are confirmed in Odoo, Crossdock has not seen them yet.
        started = time.perf_counter()
        for _ in range(max_rounds):
            stack.clock.advance(POLL_INTERVAL + timedelta(seconds=1))
            await worker.run_until_idle()
            await stack.warehouse.execute_all()
            await worker.run_until_idle()
            rows = await stack.runtime.store.run(repository.all_rows, stack.runtime.store)
            for row in rows:
                if (
                    row.confirmations
                    and row.tracking_numbers
                    and row.fulfillment_id not in delivered
                ):
                    delivered.add(row.fulfillment_id)
                    await stack.deliver(row.tracking_numbers[0])
            done = _orders_invoiced(rows)
            if on_progress is not None:
                on_progress(done, count)
            open_orders = [r for r in rows if r.state not in TERMINAL]
            if len(rows) >= count and not open_orders:
                break
            # Orders left open by an exception (nothing shipped…) would wait for a person.
            snapshot = sorted((r.fulfillment_id, r.state) for r in rows)
            stalled = stalled + 1 if snapshot == previous else 0
            previous = snapshot
            if stalled >= STALLED_ROUNDS:
                break
        seconds = time.perf_counter() - started
        rows = repository.all_rows(stack.runtime.store)
        counts = _count(rows)
        return ScenarioSummary(
            orders=count,
            exceptions=len(repository.exceptions(stack.runtime.store)),
            conflicts=len(repository.conflicts(stack.runtime.store)),
            dead_letters=len(stack.runtime.queue.dead_jobs()),
            odoo_rpcs=sum(stack.odoo.served.values()) - rpcs_before,
            seconds=seconds,
            orders_invoiced=_orders_invoiced(rows),
            **counts,
        )
