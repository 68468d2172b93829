"""The two transports keep one contract: claim is exclusive, delivery never shows a partial
file, archiving is safe to repeat; SFTP refuses a server whose host key is not the pinned one."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import asyncssh
import pytest
from pydantic import TypeAdapter

from crossdock.connectors.files import Transport, open_channel
from crossdock.connectors.files.channel import FileChannel, TransportRefused
from tests.files.sftp_server import sftp_server

TRANSPORT: TypeAdapter[Transport] = TypeAdapter(Transport)


@pytest.fixture(params=["folder", "sftp"])
async def channel_and_home(
    request: pytest.FixtureRequest, tmp_path: Path
) -> AsyncIterator[tuple[FileChannel, Path]]:
    if request.param == "folder":
        home = tmp_path / "drop"
        (home / "inbound").mkdir(parents=True)
        settings = TRANSPORT.validate_python({"kind": "folder", "root": str(home)})
        async with open_channel(settings) as channel:
            yield channel, home
        return
    async with sftp_server(tmp_path) as account:
        settings = TRANSPORT.validate_python(account.transport())
        async with open_channel(settings) as channel:
            yield channel, account.home


async def test_claim_is_exclusive_and_archive_is_safe_to_repeat(
    channel_and_home: tuple[FileChannel, Path],
) -> None:
    channel, home = channel_and_home
    (home / "inbound" / "po.x12").write_bytes(b"ISA*...")
    [listed] = await channel.list_inbound()
    assert (listed.name, listed.size) == ("po.x12", 7)
    assert await channel.claim("po.x12") is True
    assert await channel.claim("po.x12") is False  # a second poller gets nothing
    assert await channel.list_inbound() == []
    assert await channel.list_claimed() == ["po.x12"]
    assert await channel.read_claimed("po.x12", 100) == b"ISA*..."
    assert await channel.archive("po.x12", "20260101-po.x12") == "20260101-po.x12"
    # A retried archive job finds the file archived already and succeeds.
    assert await channel.archive("po.x12", "20260101-po.x12") == "20260101-po.x12"
    assert (home / "archive" / "20260101-po.x12").read_bytes() == b"ISA*..."
    assert await channel.list_claimed() == []


async def test_delivery_replaces_atomically_and_leaves_no_temporary_file(
    channel_and_home: tuple[FileChannel, Path],
) -> None:
    channel, home = channel_and_home
    await channel.deliver("997-1.x12", b"first")
    await channel.deliver("997-1.x12", b"second version")
    assert sorted(p.name for p in (home / "outbound").iterdir()) == ["997-1.x12"]
    assert await channel.read_outbound("997-1.x12") == b"second version"
    assert await channel.read_outbound("missing.x12") is None


async def test_a_file_larger_than_allowed_is_refused_by_name(
    channel_and_home: tuple[FileChannel, Path],
) -> None:
    channel, home = channel_and_home
    (home / "inbound" / "big.x12").write_bytes(b"x" * 50)
    assert await channel.claim("big.x12")
    with pytest.raises(Exception, match=r"big\.x12 has 50 bytes, more than the 10 allowed"):
        await channel.read_claimed("big.x12", 10)


async def test_sftp_refuses_a_server_with_another_host_key(tmp_path: Path) -> None:
    async with sftp_server(tmp_path) as account:
        other = asyncssh.generate_private_key("ssh-ed25519").export_public_key().decode()
        settings = TRANSPORT.validate_python(account.transport(host_key=other.strip()))
        with pytest.raises(TransportRefused, match="host key is not the pinned one"):
            async with open_channel(settings):
                pass


async def test_sftp_refuses_a_user_key_the_server_does_not_know(tmp_path: Path) -> None:
    async with sftp_server(tmp_path) as account:
        stranger = tmp_path / "stranger"
        stranger.write_bytes(asyncssh.generate_private_key("ssh-ed25519").export_private_key())
        settings = TRANSPORT.validate_python(account.transport(private_key=f"file:{stranger}"))
        with pytest.raises(TransportRefused, match="login refused for supplier"):
            async with open_channel(settings):
                pass
