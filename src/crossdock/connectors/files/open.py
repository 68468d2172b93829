"""Open the channel a partner's transport settings describe, and close it whatever happens."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

from crossdock.connectors.files.channel import FileChannel
from crossdock.connectors.files.local import FolderChannel
from crossdock.connectors.files.settings import FolderTransport, SftpTransport
from crossdock.connectors.files.sftp import SftpChannel


@contextlib.asynccontextmanager
async def open_channel(settings: FolderTransport | SftpTransport) -> AsyncIterator[FileChannel]:
    channel: FolderChannel | SftpChannel = (
        FolderChannel(settings) if isinstance(settings, FolderTransport) else SftpChannel(settings)
    )
    try:
        await channel.open()
        yield channel
    finally:
        await channel.close()
