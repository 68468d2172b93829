"""`crossdock check` for any file transport: distinct folders, and an SFTP account that can
log in with secrets that resolve. `place` names the transport in the config."""

from __future__ import annotations

from crossdock.connectors.files.settings import FolderTransport, SftpTransport
from crossdock.security.secrets import SecretError, resolve


def transport_problems(place: str, transport: FolderTransport | SftpTransport) -> list[str]:
    problems: list[str] = []
    folders = {"inbound": transport.inbound, "outbound": transport.outbound}
    folders |= {"archive": transport.archive, "claimed": transport.claimed}
    seen: dict[str, str] = {}
    for name, folder in folders.items():
        if folder in seen:
            problems.append(f"{place}.{name}: {folder!r} is also the {seen[folder]} folder")
        seen.setdefault(folder, name)
    if not isinstance(transport, SftpTransport):
        return problems
    if transport.private_key is None and transport.password is None:
        problems.append(f"{place}: an SFTP account needs private_key or password")
    for name, ref in (("private_key", transport.private_key), ("password", transport.password)):
        if ref is None:
            continue
        try:
            resolve(ref)
        except SecretError as exc:
            problems.append(f"{place}.{name}: {exc}")
    return problems
