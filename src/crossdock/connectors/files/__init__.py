"""File transport shared by every file-based partner: drop folders and SFTP, atomic pickup,
archiving, outbound delivery by temporary name and rename."""

from crossdock.connectors.files.channel import FileChannel, RemoteFile
from crossdock.connectors.files.open import open_channel
from crossdock.connectors.files.settings import FolderTransport, SftpTransport, Transport

__all__ = [
    "FileChannel",
    "FolderTransport",
    "RemoteFile",
    "SftpTransport",
    "Transport",
    "open_channel",
]
