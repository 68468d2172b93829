"""Where a partner's files are: a local drop folder or an SFTP account, and how to pick up.

The same three folders exist on both: `inbound` (the partner drops files for Crossdock),
`outbound` (Crossdock delivers files for the partner) and `archive` (processed inbound files
are moved there). A fourth, `claimed`, holds files taken for processing (see `pickup`).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from crossdock.security.secrets import SECRET_REF_PATTERN

FolderPath = Annotated[str, Field(min_length=1, pattern=r"^[^\x00]+$")]


class TransportSection(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PickupSettings(TransportSection):
    """How Crossdock decides a file is complete, and how often it looks.

    `settle_for`: a file is taken only once its size and modification time were the same in
    two listings at least this far apart (0: at first sight, for partners that upload under a
    temporary name and rename). Names matching `ignore` are never taken: the usual temporary
    names of SFTP clients and of Crossdock's own delivery.
    """

    pattern: str = Field(default="*", min_length=1)
    ignore: list[str] = Field(default_factory=lambda: [".*", "*.part", "*.tmp", "*.filepart"])
    settle_for: timedelta = timedelta(seconds=10)
    poll_every: timedelta = timedelta(minutes=1)
    max_files: int = Field(default=100, ge=1, le=10_000)
    max_bytes: int = Field(default=64 * 1024 * 1024, ge=1)

    @field_validator("settle_for")
    @classmethod
    def _not_negative(cls, value: timedelta) -> timedelta:
        if value < timedelta(0):
            raise ValueError("must not be negative")
        return value

    @field_validator("poll_every")
    @classmethod
    def _positive(cls, value: timedelta) -> timedelta:
        if value <= timedelta(0):
            raise ValueError("must be greater than zero")
        return value


class _Folders(TransportSection):
    inbound: FolderPath = "inbound"
    outbound: FolderPath = "outbound"
    archive: FolderPath = "archive"
    claimed: FolderPath = ".crossdock-claimed"
    pickup: PickupSettings = Field(default_factory=PickupSettings)


class FolderTransport(_Folders):
    """A drop folder on this machine (or a mounted share); relative folders are under `root`."""

    kind: Literal["folder"]
    root: FolderPath


class SftpTransport(_Folders):
    """An SFTP account; folders are relative to the login directory unless absolute.

    The server's host key must be pinned (`host_key`, an OpenSSH public key line): a
    connection to a server that shows another key is refused. `private_key` and `password`
    are secret references.
    """

    kind: Literal["sftp"]
    host: str = Field(min_length=1)
    port: int = Field(default=22, ge=1, le=65535)
    username: str = Field(min_length=1)
    host_key: str = Field(pattern=r"^(ssh-|ecdsa-)[\w@.-]+ [A-Za-z0-9+/=]+")
    private_key: str | None = None
    password: str | None = None
    connect_timeout: timedelta = timedelta(seconds=15)

    @field_validator("private_key", "password")
    @classmethod
    def _is_reference(cls, value: str | None) -> str | None:
        if value is not None and not SECRET_REF_PATTERN.match(value):
            raise ValueError(
                "must be a secret reference (env:NAME or file:/path), never the secret"
            )
        return value


Transport = Annotated[FolderTransport | SftpTransport, Field(discriminator="kind")]
