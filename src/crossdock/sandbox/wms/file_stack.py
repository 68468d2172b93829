"""The outbound scenario with the sandbox WMS in file mode: the same stack as `stack.py`
(sandbox Odoo over real HTTP, Crossdock on the given database), with the warehouse partner a
`wms_files` one exchanging files through a drop folder or an SFTP account."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from crossdock.clock import FrozenClock
from crossdock.config import PartnerConfig
from crossdock.connectors.files.open import open_channel
from crossdock.connectors.files.settings import FolderTransport, SftpTransport
from crossdock.connectors.odoo.pool import CLIENTS
from crossdock.connectors.wms.files.settings import FileWmsSettings
from crossdock.runtime import Runtime
from crossdock.sandbox.generic_partner import new_secret
from crossdock.sandbox.odoo.orm import OdooDatabase
from crossdock.sandbox.odoo.server import build_app as build_odoo
from crossdock.sandbox.wms.file_layouts import LayoutName, partner_settings
from crossdock.sandbox.wms.files import FileWarehouse, warehouse_side
from crossdock.sandbox.wms.labels import LabelBook
from crossdock.sandbox.wms.stack import (
    IDLE_ROUND_JOBS,
    POLL_INTERVAL,
    WMS,
    Stack,
    outbound_config,
    serving,
)
from crossdock.sandbox.wms.warehouse import Behaviour
from crossdock.store import migrate
from crossdock.web.app import create_app

# Crossdock takes a confirmation file once it held still this long (the stack's clock).
SETTLE_FOR = timedelta(seconds=5)


@dataclass
class FileStack(Stack):
    """A `Stack` whose warehouse is reached by files; `settle` moves them both ways."""

    @property
    def files(self) -> FileWarehouse:
        assert isinstance(self.warehouse, FileWarehouse)
        return self.warehouse

    async def settle(self, *, execute: bool = True, rounds: int = 6) -> None:
        """Move files both ways and run every due job, until nothing moves (at most `rounds`).

        A round is idle when only the polls ran (Odoo's two and the file poll), the warehouse
        took and wrote nothing, no file waits in Crossdock's inbound folder (it may be
        settling) and no other job is waiting.
        """
        worker = self.runtime.worker()
        for _ in range(rounds):
            self.clock.advance(POLL_INTERVAL + timedelta(seconds=1))
            ran = await worker.run_until_idle()
            written = len(self.files.written)
            taken = await self.files.exchange(execute=execute)
            ran += await worker.run_until_idle()
            moved = taken or len(self.files.written) > written
            waiting = await self.runtime.store.run(self.runtime.queue.open_count)
            idle = IDLE_ROUND_JOBS + 1  # and the file poll
            if ran <= idle and not moved and waiting <= idle and not await self._unread():
                return

    async def _unread(self) -> bool:
        """Whether a file waits in Crossdock's inbound folder (or is claimed, not archived)."""
        partner = self.runtime.config.partner(WMS)
        assert partner is not None
        transport = FileWmsSettings.model_validate(partner.settings).transport
        async with open_channel(transport) as channel:
            return bool(await channel.list_inbound() or await channel.list_claimed())


def folder_transport(root: Path) -> dict[str, Any]:
    """A drop folder for the WMS under `root`, with both exchange folders created."""
    for name in ("from_wms", "to_wms"):
        (root / name).mkdir(parents=True, exist_ok=True)
    return {"kind": "folder", "root": str(root), **exchange_folders()}


def exchange_folders() -> dict[str, Any]:
    return {
        "inbound": "from_wms",
        "outbound": "to_wms",
        "pickup": {"settle_for": f"PT{int(SETTLE_FOR.total_seconds())}S", "poll_every": "PT10S"},
    }


@contextlib.asynccontextmanager
async def running_file_stack(
    db_url: str,
    directory: Path,
    transport: Mapping[str, Any],
    *,
    layout: LayoutName = "csv",
    outbound: Mapping[str, Any] | None = None,
    behaviour: Behaviour | None = None,
) -> AsyncIterator[FileStack]:
    """Odoo serving, the file warehouse on `transport` (Crossdock's side of it), Crossdock."""
    frozen = FrozenClock(datetime.now(UTC))
    odoo_app = build_odoo(version=18)
    odoo: OdooDatabase = odoo_app.state.odoo
    settings = partner_settings(dict(transport), layout)
    declared = FileWmsSettings.model_validate(settings)
    side: FolderTransport | SftpTransport = warehouse_side(declared.transport)
    warehouse = FileWarehouse(
        side, declared.layout, partner=WMS, behaviour=behaviour, now=frozen.now
    )
    seeded_pickings = max(odoo.search("stock.picking"), default=0)
    seeded_orders = max(odoo.search("sale.order"), default=0)
    tracking_secret = new_secret()
    async with serving(odoo_app) as odoo_url:
        config = outbound_config(
            db_url,
            directory,
            odoo_url,
            "http://127.0.0.1:9",
            outbound or {},
            tracking_secret=tracking_secret,
            wms_secret=new_secret(),
        )
        partners = [
            PartnerConfig(id=WMS, kind="wms_files", ordered=True, settings=settings)
            if partner.id == WMS
            else partner
            for partner in config.partners
        ]
        config = config.model_copy(update={"partners": partners})
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
            # The file warehouse books the carrier itself: no label book is written to.
            stack = FileStack(
                odoo, warehouse, runtime, frozen, url, tracking_secret, http, LabelBook()
            )
            try:
                yield stack
            finally:
                await warehouse.aclose()
                await CLIENTS.aclose()
        runtime.store.dispose()
