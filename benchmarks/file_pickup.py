"""File pickup throughput: supplier files from a drop folder and from SFTP into the inbox,
translated, answered with a 997 and archived, end to end in one process.

    .venv/bin/python -m benchmarks.file_pickup [--files 300] [--transports folder,sftp]

Each file is one X12 interchange holding one 856 ship notice (about 1 KB). The clock is a
frozen one moved by the poll interval, so the figures are the work's, not the schedule's;
SQLite in a temporary directory (synchronous FULL). Prints files/s and the time per file.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncssh

from benchmarks._common import machine_line
from crossdock.canonical.asn import AdvanceShipNotice, AsnItem, AsnOrder
from crossdock.canonical.common import Quantity
from crossdock.clock import FrozenClock
from crossdock.config import Config, DatabaseConfig, LoggingConfig, PartnerConfig
from crossdock.connectors.edi.partner.envelopes import x12_interchange
from crossdock.connectors.edi.partner.settings import EdiPartnerSettings
from crossdock.connectors.edi.x12 import ship_notice_to_856
from crossdock.observe.logging import configure_logging
from crossdock.runtime import Runtime
from crossdock.store import migrate

START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def partner(transport: dict[str, Any]) -> PartnerConfig:
    return PartnerConfig(
        id="bench-supplier",
        kind="edi_supplier",
        settings={
            "standard": "x12",
            "version": "004010",
            "us": {"qualifier": "ZZ", "id": "CROSSDOCK"},
            "them": {"qualifier": "ZZ", "id": "BENCHSUPPLY"},
            "sets": ["850", "856", "997"],
            "vendor_names": ["Bench Supplies"],
            "transport": transport,
        },
    )


def files(config: PartnerConfig, count: int) -> list[bytes]:
    ours = EdiPartnerSettings.model_validate(config.settings)
    theirs = ours.model_copy(update={"us": ours.them, "them": ours.us})
    out = []
    for n in range(count):
        notice = AdvanceShipNotice(
            asn_id=f"ASN-{n}",
            issued_on=date(2026, 3, 1),
            orders=[
                AsnOrder(
                    purchase_order_reference=f"P{n:05d}",
                    items=[AsnItem(sku="WIDGET-1", quantity=Quantity(value="5", uom="C62"))],
                )
            ],
        )
        out.append(x12_interchange(theirs, "856", [ship_notice_to_856(notice)], 10_000 + n, START))
    return out


async def run(
    transport: dict[str, Any], inbound: Path, outbound: Path, count: int, work: Path
) -> float:
    config = partner(transport)
    documents = files(config, count)
    runtime = Runtime.build(
        Config(
            database=DatabaseConfig(url=f"sqlite:///{work / 'bench.db'}"),
            partners=[config],
            logging=LoggingConfig(level="warning"),
        ),
        clock=FrozenClock(START),
    )
    migrate.upgrade(runtime.store.engine)
    for index, data in enumerate(documents):
        (inbound / f"asn-{index:05d}.x12").write_bytes(data)
    clock = runtime.clock
    assert isinstance(clock, FrozenClock)
    runtime.schedule_startup_jobs()
    worker = runtime.worker()
    began = time.perf_counter()

    def done() -> bool:
        replies = len(list(outbound.glob("997-*")))
        return replies >= count and runtime.inbox.counts().get("translated", 0) >= count

    while not done():
        await worker.run_until_idle()
        clock.advance(timedelta(seconds=5))
    elapsed = time.perf_counter() - began
    # Everything stored once, translated, and archived by the same time the last reply went.
    stored = sum(runtime.inbox.counts().values())
    translated = runtime.inbox.counts().get("translated", 0)
    archived = len(list((inbound.parent / "archive").iterdir()))
    runtime.store.dispose()
    if (stored, translated, archived) != (count, count, count):
        raise SystemExit(
            f"incomplete: {stored} stored, {translated} translated, {archived} archived"
        )
    return elapsed


async def sftp_transport(home: Path, work: Path) -> tuple[Any, dict[str, Any]]:
    host_key = asyncssh.generate_private_key("ssh-ed25519")
    user_key = asyncssh.generate_private_key("ssh-ed25519")
    (work / "user_key").write_bytes(user_key.export_private_key())
    server = await asyncssh.listen(
        "127.0.0.1",
        0,
        server_host_keys=[host_key],
        authorized_client_keys=asyncssh.import_authorized_keys(
            user_key.export_public_key().decode()
        ),
        sftp_factory=lambda chan: asyncssh.SFTPServer(chan, chroot=str(home).encode()),
    )
    return server, {
        "kind": "sftp",
        "host": "127.0.0.1",
        "port": server.sockets[0].getsockname()[1],
        "username": "bench",
        "host_key": host_key.export_public_key().decode().strip(),
        "private_key": f"file:{work / 'user_key'}",
        "pickup": {"settle_for": "PT0S", "poll_every": "PT5S", "max_files": 100},
    }


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=300)
    parser.add_argument("--transports", default="folder,sftp")
    args = parser.parse_args()
    configure_logging("warning", "console")
    print(machine_line())
    print(f"{'transport':<10} {'files':>6} {'seconds':>8} {'files/s':>8} {'ms/file':>8}")
    for name in args.transports.split(","):
        with tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp)
            home = work / "home"
            (home / "inbound").mkdir(parents=True)
            server = None
            if name == "sftp":
                server, transport = await sftp_transport(home, work)
            else:
                transport = {
                    "kind": "folder",
                    "root": str(home),
                    "pickup": {"settle_for": "PT0S", "poll_every": "PT5S", "max_files": 100},
                }
            elapsed = await run(transport, home / "inbound", home / "outbound", args.files, work)
            if server is not None:
                server.close()
                await server.wait_closed()
        rate = args.files / elapsed
        print(f"{name:<10} {args.files:>6} {elapsed:>8.2f} {rate:>8.1f} {1000 / rate:>8.1f}")
    print(f"reproduce: .venv/bin/python -m benchmarks.file_pickup --files {args.files}")


if __name__ == "__main__":
    asyncio.run(main())
