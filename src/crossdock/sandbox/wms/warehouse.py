"""The simulated warehouse: released orders and how it executes them.

Execution posts the sandbox's webhooks in order — ORDER_ACK, PICK_CONFIRMED, PACKED,
SHIPPED — after configurable delays, with the behaviours the tests and the demo need:
short picks (a fraction of the lines, or named items, picked short), splits (the goods
spread over several parcels), outages (releases answered 503), lots, webhooks held back
(shipped in the warehouse, not yet told), duplicate ship confirmations, a different carrier
service or address than ordered, and over-shipments. It books the carrier itself and makes
up tracking numbers.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx
import orjson

from crossdock.ids import new_id
from crossdock.security.standard_webhooks import sign


@dataclass
class Behaviour:
    """How the warehouse behaves; change it between orders (the tests do) or per order."""

    delays: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)
    """Seconds before the acknowledgement, the pick, the pack and the ship confirmation."""
    short_items: dict[str, float] = field(default_factory=dict)
    """Item → quantity missing at its next pick (then the shelf is refilled)."""
    short_every: int = 0
    """Pick every n-th order's first line one short (0: never)."""
    split_parcels: int = 1
    outage: bool = False
    """Releases and cancels answered 503 while set."""
    accept_then_fail: int = 0
    """The next n releases are stored, then answered 503 (the answer is lost)."""
    hold_ship_webhook: bool = False
    """Ship in the warehouse but do not send the confirmation until `send_held()`."""
    duplicate_ship: bool = False
    service_override: str | None = None
    ship_to_override: dict[str, str] | None = None
    over_ship: float = 0.0
    lots: dict[str, list[str]] = field(default_factory=dict)
    """Item → lot names to report (quantities spread over them)."""
    books_carrier: bool = True
    """False: parcels wait after packing for the labels Crossdock books and sends."""


@dataclass
class Order:
    id: str
    body: dict[str, Any]
    status: str = "received"
    received: int = 1
    tracking: list[str] = field(default_factory=list)
    held: list[dict[str, Any]] = field(default_factory=list)
    labels: list[dict[str, Any]] = field(default_factory=list)
    lines: list[dict[str, Any]] = field(default_factory=list)
    parcels: list[dict[str, Any]] = field(default_factory=list)


class Warehouse:
    """Orders by id and the webhooks they produce, posted to `target` signed with `secret`."""

    def __init__(
        self,
        *,
        target: str | None = None,
        partner: str = "wms",
        secret: str | None = None,
        behaviour: Behaviour | None = None,
        auto: bool = False,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.target = target
        self.partner = partner
        self.secret = secret
        self.behaviour = behaviour or Behaviour()
        self.auto = auto
        self.now = now
        self.orders: dict[str, Order] = {}
        self.by_ref: dict[str, str] = {}
        self.cancelled: list[str] = []
        self.sent: list[dict[str, Any]] = []
        self.failed_posts = 0
        self._numbers = itertools.count(1)
        self._tasks: set[asyncio.Task[None]] = set()
        self._http: httpx.AsyncClient | None = None

    # -- the REST side ---------------------------------------------------------------------

    def release(self, body: dict[str, Any], key: str | None) -> tuple[Order, bool]:
        """Store an order; a repeated idempotency key answers the first order."""
        ref = key or str(body.get("order_ref") or "")
        if ref and ref in self.by_ref:
            order = self.orders[self.by_ref[ref]]
            order.received += 1
            return order, False
        order = Order(id=f"WMS-{next(self._numbers):06d}", body=body)
        self.orders[order.id] = order
        if ref:
            self.by_ref[ref] = order.id
        self._start(order.id)
        return order, True

    def find(self, order_id: str) -> Order | None:
        return self.orders.get(order_id) or self.orders.get(self.by_ref.get(order_id, ""))

    def receive_labels(self, order_id: str, labels: list[dict[str, Any]]) -> Order | None:
        """Labels for a packed order: its parcels take their tracking numbers, then it ships."""
        order = self.find(order_id)
        if order is None:
            return None
        if not order.labels:
            order.labels = labels
            for parcel, label in zip(order.parcels, labels, strict=False):
                parcel["tracking"] = label.get("tracking_number")
            order.tracking = [str(label.get("tracking_number")) for label in labels]
            if order.status == "awaiting_labels":
                order.status = "labelled"
                self._start(order.id)
        return order

    def _start(self, order_id: str) -> None:
        if self.auto:
            task = asyncio.create_task(self.execute(order_id))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    def cancel(self, order_id: str) -> Order | None:
        order = self.find(order_id)
        if order is None:
            return None
        if order.status not in ("shipped", "cancelled"):
            order.status = "cancelled"
            self.cancelled.append(order.id)
        return order

    # -- execution -------------------------------------------------------------------------

    async def execute_all(self) -> int:
        """Execute every order not executed yet; answers how many."""
        todo = [o.id for o in self.orders.values() if o.status in ("received", "labelled")]
        for order_id in todo:
            await self.execute(order_id)
        return len(todo)

    async def execute(self, order_id: str) -> None:
        """Run the order as far as it can go: to the shipment, or to waiting for labels."""
        order = self.orders[order_id]
        if order.status == "received":
            await self._pick_and_pack(order)
        if order.status == "packed" and self.behaviour.books_carrier:
            order.status = "labelled"
        elif order.status == "packed":
            order.status = "awaiting_labels"
            return
        if order.status == "labelled":
            await self._ship(order)

    async def _pick_and_pack(self, order: Order) -> None:
        order.status = "executing"
        b = self.behaviour
        number = int(order.id.rsplit("-", 1)[-1])
        order.lines = [
            self._line(line, b, index == 0 and b.short_every > 0 and number % b.short_every == 0)
            for index, line in enumerate(order.body.get("lines") or [])
        ]
        ref = order.body.get("order_ref")
        ack = {"event": "ORDER_ACK", "order_ref": ref, "wms_order": order.id}
        await self._step(b.delays[0], order, ack)
        if order.status == "cancelled":
            return
        picked = {"event": "PICK_CONFIRMED", "order_ref": ref, "lines": order.lines}
        await self._step(b.delays[1], order, picked)
        order.parcels = self._parcels(order, order.lines, b.split_parcels, b.books_carrier)
        packed = {"event": "PACKED", "order_ref": ref, "parcels": order.parcels}
        await self._step(b.delays[2], order, packed)
        if order.status != "cancelled":
            order.status = "packed"

    async def _ship(self, order: Order) -> None:
        b = self.behaviour
        order.status = "shipped"
        shipped = [
            {**line, "qty": line["qty"] + (b.over_ship if index == 0 else 0)}
            for index, line in enumerate(order.lines)
        ]
        confirmation: dict[str, Any] = {
            "event": "SHIPPED",
            "order_ref": order.body.get("order_ref"),
            "wms_order": order.id,
            "shipment_id": f"SHP-{order.id}",
            "carrier": order.body.get("carrier"),
            "service": b.service_override or order.body.get("service"),
            "lines": shipped,
            "parcels": order.parcels,
        }
        if b.ship_to_override is not None:
            confirmation["ship_to"] = b.ship_to_override
        if b.hold_ship_webhook:
            order.held.append(confirmation)
            return
        await self._step(b.delays[3], order, confirmation)
        if b.duplicate_ship:
            await self._step(0.0, order, confirmation)

    async def repeat_packed(self, order_id: str) -> None:
        """Send an order's pack confirmation again, as a warehouse still waiting for labels
        reminds its client."""
        order = self.orders[order_id]
        packed = {
            "event": "PACKED",
            "order_ref": order.body.get("order_ref"),
            "parcels": order.parcels,
        }
        await self._step(0.0, order, packed)

    async def send_held(self) -> int:
        count = 0
        for order in self.orders.values():
            while order.held:
                await self._step(0.0, order, order.held.pop(0))
                count += 1
        return count

    async def drain(self) -> None:
        """Wait for the executions started automatically."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def aclose(self) -> None:
        await self.drain()
        if self._http is not None:
            await self._http.aclose()
            self._http = None

    def _line(self, line: dict[str, Any], b: Behaviour, short_one: bool) -> dict[str, Any]:
        item = str(line.get("item"))
        qty = float(line.get("qty") or 0)
        # `short_every` leaves at least one unit: a line picked to nothing is `short_items`'.
        missing = b.short_items.pop(item, 0.0) + (1.0 if short_one and qty > 1 else 0.0)
        picked = max(0.0, qty - missing)
        out: dict[str, Any] = {
            "line_ref": line.get("line_ref"),
            "item": item,
            "qty": picked,
            "unit": line.get("unit"),
        }
        if picked < qty:
            out["short_reason"] = "no stock at the pick face"
        if names := b.lots.get(item):
            share = picked / len(names)
            out["lots"] = [{"lot": name, "qty": share, "unit": line.get("unit")} for name in names]
        return out

    def _parcels(
        self, order: Order, lines: list[dict[str, Any]], count: int, books_carrier: bool
    ) -> list[dict[str, Any]]:
        parcels = []
        for index in range(max(1, count)):
            tracking = f"CDW{next(self._numbers):09d}" if books_carrier else None
            if tracking:
                order.tracking.append(tracking)
            parcels.append(
                {
                    "parcel_id": f"{order.id}-P{index + 1}",
                    "tracking": tracking,
                    "weight_kg": round(
                        0.5 + sum(float(line["qty"]) for line in lines) * 0.25 / count, 2
                    ),
                    "length_cm": 40,
                    "width_cm": 30,
                    "height_cm": 20,
                }
            )
        return parcels

    async def _step(self, delay: float, order: Order, event: dict[str, Any]) -> None:
        if delay > 0:
            await asyncio.sleep(delay)
        event = {**event, "at": self.now().isoformat()}
        self.sent.append(event)
        await self._post(event)

    async def _post(self, event: dict[str, Any]) -> None:
        if self.target is None or self.secret is None:
            return
        if self._http is None:
            self._http = httpx.AsyncClient()
        body = orjson.dumps(event)
        msg_id = f"msg_{new_id()}"
        timestamp = int(self.now().timestamp())
        headers = {
            "content-type": "application/json",
            "webhook-id": msg_id,
            "webhook-timestamp": str(timestamp),
            "webhook-signature": sign(self.secret, msg_id, timestamp, body),
        }
        url = f"{self.target.rstrip('/')}/webhooks/{self.partner}"
        response = await self._http.post(url, content=body, headers=headers)
        if response.status_code >= 300:
            self.failed_posts += 1
