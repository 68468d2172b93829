"""A drop folder on this machine: the same contract as SFTP, with `os.rename` as the claim."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

from crossdock.connectors.files.channel import (
    TEMPORARY_PREFIX,
    RemoteFile,
    TransportError,
    check_name,
)
from crossdock.connectors.files.settings import FolderTransport
from crossdock.errors import PermanentError


class FolderChannel:
    """Folders under `root`; `claimed`, `archive` and `outbound` are created when missing."""

    def __init__(self, settings: FolderTransport) -> None:
        root = Path(settings.root)
        self.inbound = root / settings.inbound
        self.outbound = root / settings.outbound
        self.archive_dir = root / settings.archive
        self.claimed = root / settings.claimed

    async def open(self) -> None:
        await asyncio.to_thread(self._prepare)

    def _prepare(self) -> None:
        if not self.inbound.is_dir():
            raise TransportError(f"inbound folder {self.inbound} does not exist")
        for folder in (self.outbound, self.archive_dir, self.claimed):
            folder.mkdir(parents=True, exist_ok=True)

    async def list_inbound(self) -> list[RemoteFile]:
        return await asyncio.to_thread(self._list, self.inbound)

    @staticmethod
    def _list(folder: Path) -> list[RemoteFile]:
        found: list[RemoteFile] = []
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_file(follow_symlinks=False):
                    stat = entry.stat(follow_symlinks=False)
                    found.append(RemoteFile(entry.name, stat.st_size, stat.st_mtime))
        return sorted(found, key=lambda f: (f.mtime, f.name))

    async def list_claimed(self) -> list[str]:
        return [f.name for f in await asyncio.to_thread(self._list, self.claimed)]

    async def claim(self, name: str) -> bool:
        source, target = self.inbound / check_name(name), self.claimed / name
        try:
            # Linux rename replaces a target silently; a name already claimed (left by a
            # crash) is finished first by `list_claimed`, so refuse to overwrite it here.
            if await asyncio.to_thread(target.exists):
                return False
            await asyncio.to_thread(os.rename, source, target)
        except FileNotFoundError:
            return False
        return True

    async def read_claimed(self, name: str, max_bytes: int) -> bytes:
        path = self.claimed / check_name(name)
        size = (await asyncio.to_thread(path.stat)).st_size
        if size > max_bytes:
            raise PermanentError(f"{name} has {size} bytes, more than the {max_bytes} allowed")
        return await asyncio.to_thread(path.read_bytes)

    async def archive(self, name: str, archived_name: str) -> str:
        source = self.claimed / check_name(name)
        target = self.archive_dir / check_name(archived_name)
        try:
            await asyncio.to_thread(os.rename, source, target)
        except FileNotFoundError:
            if await asyncio.to_thread(target.exists):
                return archived_name  # archived by an earlier attempt of the same job
            raise
        return archived_name

    async def deliver(self, name: str, body: bytes) -> None:
        final = self.outbound / check_name(name)
        temporary = self.outbound / f"{TEMPORARY_PREFIX}{name}"
        await asyncio.to_thread(_write_durably, temporary, body)
        await asyncio.to_thread(os.replace, temporary, final)

    async def read_outbound(self, name: str) -> bytes | None:
        path = self.outbound / check_name(name)
        try:
            return await asyncio.to_thread(path.read_bytes)
        except FileNotFoundError:
            return None

    async def close(self) -> None:
        return None


def _write_durably(path: Path, body: bytes) -> None:
    with path.open("wb") as handle:
        handle.write(body)
        handle.flush()
        os.fsync(handle.fileno())
