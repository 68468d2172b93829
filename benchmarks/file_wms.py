"""File WMS throughput: release files delivered through the gateway (drop folder and SFTP),
and confirmation files translated to canonical events (CSV and fixed width).

    .venv/bin/python -m benchmarks.file_wms [--orders 300] [--transports folder,sftp]

Releases go one at a time, as the outbound flow's release steps do, each opening its own
connection (on SFTP: key exchange and authentication per release); codes are read from the
cross-reference table on SQLite each time. Translation is the pure mapping of one shipment
file (header, 3 lines, 2 lots, 2 packages) per order, as the translate job runs it. The SFTP
server is asyncssh's, in the same process. Prints files/s and the time per file.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson

from benchmarks._common import machine_line
from benchmarks.file_pickup import sftp_transport
from crossdock.canonical.carrier import FulfillmentRequest
from crossdock.config import Config, DatabaseConfig, LoggingConfig, PartnerConfig
from crossdock.connectors.base import InboundMessage
from crossdock.connectors.wms.codes import CodeTables
from crossdock.connectors.wms.files.codec import encode
from crossdock.connectors.wms.files.gateway import FileWmsGateway
from crossdock.connectors.wms.files.mapping import CODES_HEADER, FILE_HEADER, translate
from crossdock.connectors.wms.files.settings import FileWmsSettings
from crossdock.observe.logging import configure_logging
from crossdock.runtime import Runtime
from crossdock.sandbox.wms.file_layouts import LayoutName, partner_settings
from crossdock.sandbox.wms.files import event_records
from crossdock.store import migrate

AT = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def request(n: int) -> FulfillmentRequest:
    return FulfillmentRequest.model_validate(
        {
            "fulfillment_id": f"WH/OUT/{n:05d}",
            "order_reference": f"S{n:05d}",
            "warehouse": {"code": "WH"},
            "ship_to": {
                "name": "Harbor Retail NV",
                "address": {"line1": "Meir 12", "city": "Antwerp", "country_code": "BE"},
            },
            "carrier_code": "postnl",
            "lines": [
                {
                    "line_id": str(n * 10 + i),
                    "sku": f"CD-{i:04d}",
                    "quantity": {"value": "3", "uom": "C62"},
                }
                for i in range(1, 4)
            ],
        }
    )


async def releases(transport: dict[str, Any], count: int, work: Path) -> float:
    settings = partner_settings(transport, "csv")
    config = PartnerConfig(id="bench-wms", kind="wms_files", settings=settings)
    runtime = Runtime.build(
        Config(
            database=DatabaseConfig(url=f"sqlite:///{work / 'bench.db'}"),
            partners=[config],
            logging=LoggingConfig(level="warning"),
        )
    )
    migrate.upgrade(runtime.store.engine)
    gateway = FileWmsGateway("bench-wms", FileWmsSettings.model_validate(settings), runtime.store)
    requests = [request(n) for n in range(count)]
    began = time.perf_counter()
    for item in requests:
        await gateway.release(item)
    elapsed = time.perf_counter() - began
    runtime.store.dispose()
    if len(gateway.delivered) != count:
        raise SystemExit(f"incomplete: {len(gateway.delivered)} of {count} delivered")
    return elapsed


def shipment(n: int) -> dict[str, Any]:
    lines = [
        {"line_ref": str(n * 10 + i), "item": f"WMS-{i:04d}", "qty": 3.0, "unit": "EA"}
        for i in range(1, 4)
    ]
    lines[0]["lots"] = [{"lot": "LOT-A", "qty": 1.5, "unit": "EA"}, {"lot": "LOT-B", "qty": 1.5}]
    parcels = [
        {
            "parcel_id": f"P{n}-{p}",
            "tracking": f"CDW{n:06d}{p}",
            "weight_kg": 2.25,
            "length_cm": 40,
            "width_cm": 30,
            "height_cm": 20,
        }
        for p in (1, 2)
    ]
    return {
        "event": "SHIPPED",
        "order_ref": f"WH/OUT/{n:05d}",
        "wms_order": f"WMS-{n:06d}",
        "shipment_id": f"SHP-{n}",
        "carrier": "postnl",
        "service": "POSTNL_STANDARD",
        "lines": lines,
        "parcels": parcels,
        "at": AT.isoformat(),
    }


def translations(name: LayoutName, count: int) -> float:
    settings = partner_settings({"kind": "folder", "root": "/srv/bench"}, name)
    layout = FileWmsSettings.model_validate(settings).layout
    codes = orjson.dumps(CodeTables({"sku": {"CD-0001": "WMS-0001"}}).to_json()).decode()
    messages = [
        InboundMessage(
            id=f"m{n}",
            partner="bench-wms",
            headers={FILE_HEADER: f"SHP_{n}.txt", CODES_HEADER: codes},
            body=encode(event_records(shipment(n)), layout),
            received_at=AT,
        )
        for n in range(count)
    ]
    began = time.perf_counter()
    events = sum(len(translate(message, settings)) for message in messages)
    elapsed = time.perf_counter() - began
    if events != count:
        raise SystemExit(f"incomplete: {events} events for {count} files")
    return elapsed


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=300)
    parser.add_argument("--transports", default="folder,sftp")
    args = parser.parse_args()
    configure_logging("warning", "console")
    print(machine_line())
    print(f"{'work':<26} {'files':>6} {'seconds':>8} {'files/s':>9} {'ms/file':>8}")

    def line(label: str, elapsed: float) -> None:
        rate = args.orders / elapsed
        print(f"{label:<26} {args.orders:>6} {elapsed:>8.2f} {rate:>9.1f} {1000 / rate:>8.2f}")

    for name in args.transports.split(","):
        with tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp)
            home = work / "home"
            (home / "inbound").mkdir(parents=True)
            server = None
            if name == "sftp":
                server, transport = await sftp_transport(home, work)
            else:
                transport = {"kind": "folder", "root": str(home)}
            line(f"release over {name}", await releases(transport, args.orders, work))
            if server is not None:
                server.close()
                await server.wait_closed()
    for layout_name in ("csv", "fixed"):
        line(f"translate shipment {layout_name}", translations(layout_name, args.orders))
    print(f"reproduce: .venv/bin/python -m benchmarks.file_wms --orders {args.orders}")


if __name__ == "__main__":
    asyncio.run(main())
