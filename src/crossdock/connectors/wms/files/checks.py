"""`crossdock check` for file WMS partners, beyond their settings' own validation: folders
that would make Crossdock read its own releases, and SFTP secrets that must resolve."""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import ValidationError

from crossdock.config import PartnerConfig
from crossdock.connectors.files.settings import SftpTransport
from crossdock.connectors.wms.files.settings import KIND, FileWmsSettings
from crossdock.security.secrets import SecretError, resolve


def file_wms_problems(partners: Sequence[PartnerConfig]) -> list[str]:
    problems: list[str] = []
    for index, partner in enumerate(partners):
        if partner.kind != KIND:
            continue
        place = f"partners[{index}].settings.transport"
        try:
            transport = FileWmsSettings.model_validate(partner.settings).transport
        except ValidationError:
            continue  # reported with its place by the settings model's own check
        folders = {"inbound": transport.inbound, "outbound": transport.outbound}
        folders |= {"archive": transport.archive, "claimed": transport.claimed}
        seen: dict[str, str] = {}
        for name, folder in folders.items():
            if folder in seen:
                problems.append(f"{place}.{name}: {folder!r} is also the {seen[folder]} folder")
            seen.setdefault(folder, name)
        if not isinstance(transport, SftpTransport):
            continue
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
