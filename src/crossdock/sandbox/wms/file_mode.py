"""`crossdock sandbox wms --mode files`: the file warehouse on a drop folder or SFTP account.

The transport is given from Crossdock's side, exactly as the `wms_files` partner declares it
(`--folder DIR` for a drop folder with the default `inbound`/`outbound` folders, or
`--transport FILE` holding the partner's `transport` section, SFTP included); the sandbox
reads Crossdock's outbound folder and writes into its inbound one.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import yaml
from pydantic import TypeAdapter, ValidationError

from crossdock.connectors.files.settings import FolderTransport, SftpTransport, Transport
from crossdock.connectors.wms.files.settings import Layout
from crossdock.errors import ConfigError
from crossdock.sandbox.wms.file_layouts import LayoutName, layout
from crossdock.sandbox.wms.files import FileWarehouse, warehouse_side
from crossdock.sandbox.wms.warehouse import Behaviour


def crossdock_transport(
    folder: Path | None, transport_file: Path | None
) -> FolderTransport | SftpTransport:
    """The transport as Crossdock's partner entry has it."""
    if (folder is None) == (transport_file is None):
        raise ConfigError("give --folder DIR or --transport FILE (one of them)")
    if folder is not None:
        (folder / "outbound").mkdir(parents=True, exist_ok=True)
        (folder / "inbound").mkdir(parents=True, exist_ok=True)
        return FolderTransport(kind="folder", root=str(folder))
    assert transport_file is not None
    try:
        raw = yaml.safe_load(transport_file.read_text(encoding="utf-8"))
        return TypeAdapter(Transport).validate_python(raw)
    except (OSError, yaml.YAMLError, ValidationError) as exc:
        raise ConfigError(f"{transport_file}: not a transport section: {exc}") from None


def file_warehouse(
    transport: FolderTransport | SftpTransport,
    name: LayoutName,
    behaviour: Behaviour,
    *,
    partner: str = "wms",
) -> FileWarehouse:
    return FileWarehouse(
        warehouse_side(transport),
        Layout.model_validate(layout(name)),
        partner=partner,
        behaviour=behaviour,
        auto=True,
    )


async def run(warehouse: FileWarehouse, every: float, *, once: bool = False) -> int:
    """Take released orders, let them execute (with the behaviour's delays), write the
    confirmations; every `every` seconds, or once (waiting for the executions) and return."""
    handled = 0
    while True:
        handled += await warehouse.take()
        if once:
            await warehouse.drain()
        await warehouse.flush()
        if once:
            return handled
        await asyncio.sleep(every)
