"""An SFTP account through asyncssh: the server's host key pinned, the claim a plain rename.

SFTP's own `rename` (protocol version 3) refuses to replace an existing name, which is what a
claim needs: of two pollers racing for a file one gets it, the other a failure. Delivery uses
the OpenSSH `posix-rename` extension when the server has it (an atomic replace), else removes
the old file first.
"""

from __future__ import annotations

import contextlib
import posixpath
import stat as stat_mode
from collections.abc import Iterator

import asyncssh

from crossdock.connectors.files.channel import (
    TEMPORARY_PREFIX,
    RemoteFile,
    TransportError,
    TransportRefused,
    check_name,
)
from crossdock.connectors.files.settings import SftpTransport
from crossdock.errors import PermanentError
from crossdock.security.secrets import resolve


class SftpChannel:
    def __init__(self, settings: SftpTransport) -> None:
        self.settings = settings
        self._connection: asyncssh.SSHClientConnection | None = None
        self._sftp: asyncssh.SFTPClient | None = None

    @property
    def sftp(self) -> asyncssh.SFTPClient:
        if self._sftp is None:
            raise TransportError("the SFTP channel is not open")
        return self._sftp

    async def open(self) -> None:
        settings = self.settings
        try:
            keys = (
                [asyncssh.import_private_key(resolve(settings.private_key))]
                if settings.private_key
                else None
            )
        except asyncssh.KeyImportError as exc:
            raise TransportRefused(f"private_key is not a private key: {exc}") from None
        try:
            host_key = asyncssh.import_public_key(settings.host_key)
        except (asyncssh.KeyImportError, ValueError) as exc:
            raise TransportRefused(f"host_key is not a public key: {exc}") from None
        try:
            self._connection = await asyncssh.connect(
                settings.host,
                settings.port,
                username=settings.username,
                client_keys=keys,
                password=resolve(settings.password) if settings.password else None,
                known_hosts=([host_key], [], []),
                agent_path=None,
                config=None,
                connect_timeout=settings.connect_timeout.total_seconds(),
            )
            self._sftp = await self._connection.start_sftp_client()
        except asyncssh.HostKeyNotVerifiable as exc:
            raise TransportRefused(
                f"{settings.host}: host key is not the pinned one: {exc}"
            ) from None
        except asyncssh.PermissionDenied as exc:
            raise TransportRefused(
                f"{settings.host}: login refused for {settings.username}: {exc}"
            ) from None
        except (OSError, asyncssh.Error) as exc:
            raise TransportError(
                f"{settings.host}:{settings.port}: cannot connect: {exc}"
            ) from None
        for folder in (settings.outbound, settings.archive, settings.claimed):
            with self._errors(f"create {folder}"):
                await self.sftp.makedirs(folder, exist_ok=True)

    @contextlib.contextmanager
    def _errors(self, what: str) -> Iterator[None]:
        """Translate the library's errors at the boundary: refusals are permanent, the rest
        (connection lost, server failure) may succeed on a retry."""
        try:
            yield
        except asyncssh.SFTPPermissionDenied as exc:
            raise TransportRefused(
                f"{self.settings.host}: {what}: permission denied: {exc}"
            ) from None
        except (OSError, asyncssh.Error) as exc:
            raise TransportError(f"{self.settings.host}: {what}: {exc}") from None

    def _path(self, folder: str, name: str) -> str:
        return posixpath.join(folder, check_name(name))

    async def _list(self, folder: str) -> list[RemoteFile]:
        with self._errors(f"list {folder}"):
            names = await self.sftp.readdir(folder)
        found = [
            RemoteFile(
                str(entry.filename), int(entry.attrs.size or 0), float(entry.attrs.mtime or 0)
            )
            for entry in names
            if entry.attrs.permissions is not None and stat_mode.S_ISREG(entry.attrs.permissions)
        ]
        return sorted(found, key=lambda f: (f.mtime, f.name))

    async def list_inbound(self) -> list[RemoteFile]:
        return await self._list(self.settings.inbound)

    async def list_claimed(self) -> list[str]:
        return [f.name for f in await self._list(self.settings.claimed)]

    async def claim(self, name: str) -> bool:
        source = self._path(self.settings.inbound, name)
        target = self._path(self.settings.claimed, name)
        try:
            await self.sftp.rename(source, target)
        except (asyncssh.SFTPNoSuchFile, asyncssh.SFTPFailure):
            return False  # taken by another poller, or the name is already claimed
        except (OSError, asyncssh.Error) as exc:
            raise TransportError(f"{self.settings.host}: claim {name}: {exc}") from None
        return True

    async def read_claimed(self, name: str, max_bytes: int) -> bytes:
        path = self._path(self.settings.claimed, name)
        with self._errors(f"read {path}"):
            attrs = await self.sftp.stat(path)
            size = int(attrs.size or 0)
            if size > max_bytes:
                raise PermanentError(f"{name} has {size} bytes, more than the {max_bytes} allowed")
            async with self.sftp.open(path, "rb") as handle:
                data = await handle.read()
        return _as_bytes(data)

    async def archive(self, name: str, archived_name: str) -> str:
        source = self._path(self.settings.claimed, name)
        target = self._path(self.settings.archive, archived_name)
        try:
            await self.sftp.rename(source, target)
        except asyncssh.SFTPError as exc:
            with self._errors(f"stat {target}"):
                done = not await self.sftp.exists(source) and await self.sftp.exists(target)
            if done:
                return archived_name  # archived by an earlier attempt of the same job
            raise TransportError(f"{self.settings.host}: archive {name}: {exc}") from None
        except OSError as exc:
            raise TransportError(f"{self.settings.host}: archive {name}: {exc}") from None
        return archived_name

    async def deliver(self, name: str, body: bytes) -> None:
        final = self._path(self.settings.outbound, name)
        temporary = self._path(self.settings.outbound, f"{TEMPORARY_PREFIX}{name}")
        with self._errors(f"deliver {final}"):
            async with self.sftp.open(temporary, "wb") as handle:
                await handle.write(body)
            try:
                await self.sftp.posix_rename(temporary, final)
            except asyncssh.SFTPOpUnsupported:
                if await self.sftp.exists(final):
                    await self.sftp.remove(final)
                await self.sftp.rename(temporary, final)

    async def read_outbound(self, name: str) -> bytes | None:
        path = self._path(self.settings.outbound, name)
        try:
            async with self.sftp.open(path, "rb") as handle:
                data = await handle.read()
        except asyncssh.SFTPNoSuchFile:
            return None
        return _as_bytes(data)

    async def close(self) -> None:
        if self._sftp is not None:
            self._sftp.exit()
        if self._connection is not None:
            self._connection.close()
            await self._connection.wait_closed()
        self._sftp = self._connection = None


def _as_bytes(data: bytes | str) -> bytes:
    """Files are opened in binary mode, so asyncssh returns bytes; its stubs say either."""
    return data if isinstance(data, bytes) else data.encode("utf-8")
