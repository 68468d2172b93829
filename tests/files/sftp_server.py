"""A real SFTP server (asyncssh) in the test's event loop, on a free localhost port, with a
generated host key and one user key; the account's home is a folder of the test."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncssh

USERNAME = "supplier"


@dataclass(frozen=True)
class SftpAccount:
    port: int
    home: Path
    host_key: str
    """The server's public key line, as a partner entry pins it."""
    private_key_ref: str
    """`file:` reference to the user's private key."""

    def transport(self, **overrides: Any) -> dict[str, Any]:
        settings: dict[str, Any] = {
            "kind": "sftp",
            "host": "127.0.0.1",
            "port": self.port,
            "username": USERNAME,
            "host_key": self.host_key,
            "private_key": self.private_key_ref,
            "pickup": {"settle_for": "PT10S", "poll_every": "PT10S"},
        }
        settings.update(overrides)
        return settings


def _sftp_factory(home: Path) -> Any:
    def factory(chan: asyncssh.SSHServerChannel[bytes]) -> asyncssh.SFTPServer:
        return asyncssh.SFTPServer(chan, chroot=str(home).encode())

    return factory


@contextlib.asynccontextmanager
async def sftp_server(tmp_path: Path) -> AsyncIterator[SftpAccount]:
    home = tmp_path / "sftp-home"
    (home / "inbound").mkdir(parents=True)
    host_key = asyncssh.generate_private_key("ssh-ed25519")
    user_key = asyncssh.generate_private_key("ssh-ed25519")
    key_file = tmp_path / "supplier_ed25519"
    key_file.write_bytes(user_key.export_private_key())
    authorized = asyncssh.import_authorized_keys(user_key.export_public_key().decode())
    server = await asyncssh.listen(
        "127.0.0.1",
        0,
        server_host_keys=[host_key],
        authorized_client_keys=authorized,
        sftp_factory=_sftp_factory(home),
        allow_scp=False,
    )
    port = server.sockets[0].getsockname()[1]
    try:
        yield SftpAccount(
            port=port,
            home=home,
            host_key=host_key.export_public_key().decode().strip(),
            private_key_ref=f"file:{key_file}",
        )
    finally:
        server.close()
        await server.wait_closed()
