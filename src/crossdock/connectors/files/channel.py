"""The narrow contract every file transport keeps, so pickup and delivery are written once."""

from __future__ import annotations

import fnmatch
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from crossdock.errors import PermanentError, RetryableError

TEMPORARY_PREFIX = ".crossdock-"
"""Outbound files are written under this prefix and renamed once complete."""


@dataclass(frozen=True)
class RemoteFile:
    """A file in the inbound folder as a listing shows it."""

    name: str
    size: int
    mtime: float


class TransportError(RetryableError):
    """The server could not be reached or refused an operation that may succeed later."""


class TransportRefused(PermanentError):
    """The account or folder is wrong in a way no retry will fix (authentication, host key)."""


class FileChannel(Protocol):
    """One connection to a partner's folders.

    `claim` is a rename from `inbound` to `claimed`: atomic on a POSIX file system and on an
    SFTP server, so of two pollers racing for a file exactly one gets it (`False` for the
    other); `deliver` writes under a temporary name and renames, so the partner never sees a
    half-written file.
    """

    async def list_inbound(self) -> list[RemoteFile]: ...

    async def list_claimed(self) -> list[str]: ...

    async def claim(self, name: str) -> bool: ...

    async def read_claimed(self, name: str, max_bytes: int) -> bytes: ...

    async def archive(self, name: str, archived_name: str) -> str: ...

    async def deliver(self, name: str, body: bytes) -> None: ...

    async def read_outbound(self, name: str) -> bytes | None: ...


def wanted(name: str, pattern: str, ignore: Sequence[str]) -> bool:
    """Whether a listed name is a file to pick up (its pattern, none of the ignored ones)."""
    if "/" in name or name in (".", ".."):
        return False
    if any(fnmatch.fnmatchcase(name, glob) for glob in ignore):
        return False
    return fnmatch.fnmatchcase(name, pattern)


def archived_name(name: str, at: datetime) -> str:
    """Archive under the pickup time first, so the same name sent twice is kept twice."""
    return f"{at.strftime('%Y%m%dT%H%M%S%fZ')}-{name}"


def check_name(name: str) -> str:
    """A file name Crossdock writes or moves must stay inside its folder."""
    if not name or "/" in name or "\\" in name or name in (".", "..") or "\x00" in name:
        raise PermanentError(f"{name!r} is not a plain file name")
    return name
