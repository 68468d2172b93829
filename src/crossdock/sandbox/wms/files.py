"""The sandbox WMS in file mode: released-order files in, confirmation files out.

The same simulated warehouse as the REST mode (`warehouse.py`: delays, short picks, splits,
lots, held or duplicate confirmations, over-shipments), fed by the release and cancel files
Crossdock delivers to the folder or SFTP account, and answering with one file per event —
acknowledgement, pick, packing, shipment — in the partner's layout. It reads and writes
through the same file transport Crossdock uses, from the other side: Crossdock's outbound
folder is its inbound one and the other way round.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from crossdock.connectors.files.channel import wanted
from crossdock.connectors.files.open import open_channel
from crossdock.connectors.files.settings import FolderTransport, SftpTransport
from crossdock.connectors.wms.files.codec import Record, decode, encode
from crossdock.connectors.wms.files.mapping import Records
from crossdock.connectors.wms.files.settings import Layout
from crossdock.errors import MappingError
from crossdock.sandbox.wms.warehouse import Behaviour, Warehouse

FileTransport = FolderTransport | SftpTransport
_FILE_KINDS = {"ORDER_ACK": "ACK", "PICK_CONFIRMED": "PCK", "PACKED": "PAK", "SHIPPED": "SHP"}


def warehouse_side(transport: FileTransport) -> FileTransport:
    """Crossdock's transport seen from the WMS: folders swapped, its own archive and claim.

    Crossdock delivers under a temporary dot-name and renames, so files are taken at first
    sight (`settle_for` 0); dot-files stay ignored.
    """
    pickup = {**transport.pickup.model_dump(), "settle_for": timedelta(0), "pattern": "*"}
    swapped = {
        **transport.model_dump(),
        "inbound": transport.outbound,
        "outbound": transport.inbound,
        "archive": "wms-archive",
        "claimed": ".wms-claimed",
        "pickup": pickup,
    }
    return type(transport).model_validate(swapped)


class FileWarehouse(Warehouse):
    """A `Warehouse` whose orders arrive as files and whose events leave as files."""

    def __init__(
        self,
        transport: FileTransport,
        layout: Layout,
        *,
        partner: str = "wms",
        behaviour: Behaviour | None = None,
        auto: bool = False,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        super().__init__(partner=partner, behaviour=behaviour, auto=auto, now=now)
        self.transport = transport
        self.layout = layout
        self.outbox: list[dict[str, Any]] = []
        self.written: list[str] = []
        self.rejected: dict[str, str] = {}
        """Received files that did not fit the layout, with the reason."""
        self._files = itertools.count(1)

    async def exchange(self, *, execute: bool = True) -> int:
        """Take the delivered files, execute what is due, write the confirmations."""
        taken = await self.take()
        if execute:
            await self.execute_all()
        await self.flush()
        return taken

    async def take(self) -> int:
        """Release and cancel the orders in the files Crossdock delivered; answers how many."""
        rules = self.transport.pickup
        async with open_channel(self.transport) as channel:
            names = [
                f.name
                for f in await channel.list_inbound()
                if wanted(f.name, rules.pattern, rules.ignore)
            ]
            for name in names:
                if not await channel.claim(name):
                    continue
                body = await channel.read_claimed(name, rules.max_bytes)
                self._apply(name, body)
                await channel.archive(name, f"{self.now().strftime('%Y%m%dT%H%M%S%f')}-{name}")
        return len(names)

    def _apply(self, name: str, body: bytes) -> None:
        try:
            records = decode(body, self.layout, name)
        except MappingError as exc:
            self.rejected[name] = str(exc)
            return
        orders: list[dict[str, Any]] = []
        for record in records:
            if record.kind == "order":
                orders.append(_order(record))
            elif record.kind == "order_line" and orders:
                orders[-1]["lines"].append(_line(record))
            elif record.kind == "cancel":
                self.cancel(str(record.values["fulfillment_id"]))
        for order in orders:
            # The order's own id is the idempotency key: a release file written twice is one.
            self.release(order, str(order["order_ref"]))

    async def _post(self, event: dict[str, Any]) -> None:
        self.outbox.append(event)

    async def flush(self) -> int:
        """Write one confirmation file per event sent since the last flush."""
        events, self.outbox = self.outbox, []
        if not events:
            return 0
        async with open_channel(self.transport) as channel:
            for event in events:
                ref = str(event.get("order_ref") or "order").replace("/", "_")
                name = f"{next(self._files):08d}_{_FILE_KINDS[event['event']]}_{ref}.txt"
                await channel.deliver(name, encode(event_records(event), self.layout))
                self.written.append(name)
        return len(events)


def _order(record: Record) -> dict[str, Any]:
    v = record.values
    return {
        "order_ref": v["fulfillment_id"],
        "customer_ref": v.get("order_reference"),
        "site": v.get("warehouse"),
        "carrier": v.get("carrier"),
        "service": v.get("service_level"),
        "ship_to": {
            "name": v.get("ship_name"),
            "street": v.get("ship_street"),
            "zip": v.get("ship_postal_code"),
            "city": v.get("ship_city"),
            "country": v.get("ship_country"),
        },
        "lines": [],
    }


def _line(record: Record) -> dict[str, Any]:
    v = record.values
    return {
        "line_ref": v["line_id"],
        "item": v["sku"],
        "qty": float(v["quantity"]),
        "unit": v.get("uom"),
    }


def event_records(event: dict[str, Any]) -> Records:
    """One sandbox event (the REST mode's webhook body) as file records."""
    at = datetime.fromisoformat(str(event["at"]))
    ref = event.get("order_ref")
    kind = event["event"]
    if kind == "ORDER_ACK":
        values = {"fulfillment_id": ref, "wms_order_id": event.get("wms_order"), "accepted": True}
        return [("acknowledgement", {**values, "occurred_at": at})]
    if kind == "PACKED":
        return [("packing", {"fulfillment_id": ref, "occurred_at": at}), *_packages(event)]
    if kind == "PICK_CONFIRMED":
        return [("pick", {"fulfillment_id": ref, "occurred_at": at}), *_lines("pick_line", event)]
    header = {
        "fulfillment_id": ref,
        "confirmation_id": event.get("shipment_id"),
        "wms_order_id": event.get("wms_order"),
        "carrier": event.get("carrier"),
        "service_level": event.get("service"),
        "occurred_at": at,
    }
    return [("shipment", header), *_lines("ship_line", event), *_packages(event)]


def _lines(kind: str, event: dict[str, Any]) -> Records:
    records: Records = []
    for line in event.get("lines") or []:
        records.append(
            (
                kind,
                {
                    "line_id": line.get("line_ref"),
                    "sku": line.get("item"),
                    "quantity": _decimal(line.get("qty")),
                    "uom": line.get("unit"),
                    "short_reason": line.get("short_reason"),
                },
            )
        )
        records.extend(
            ("lot", {"lot": lot["lot"], "quantity": _decimal(lot["qty"]), "uom": lot.get("unit")})
            for lot in line.get("lots") or []
        )
    return records


def _packages(event: dict[str, Any]) -> Records:
    return [
        (
            "package",
            {
                "package_ref": parcel.get("parcel_id"),
                "tracking_number": parcel.get("tracking"),
                "weight": _decimal(parcel.get("weight_kg")),
                "weight_unit": "kg",
                "length": _decimal(parcel.get("length_cm")),
                "width": _decimal(parcel.get("width_cm")),
                "height": _decimal(parcel.get("height_cm")),
                "dimension_unit": "cm",
            },
        )
        for parcel in event.get("parcels") or []
    ]


def _decimal(value: Any) -> Decimal:
    return Decimal(str(value if value is not None else 0)).quantize(Decimal("0.001"))
