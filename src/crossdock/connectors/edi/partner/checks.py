"""`crossdock check` for EDI suppliers, beyond their settings' own validation: secrets that
must resolve, an SFTP account that can log in somehow, a vendor claimed by two suppliers,
an interchange identity used twice."""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import ValidationError

from crossdock.config import PartnerConfig
from crossdock.connectors.edi.partner.jobs import KIND
from crossdock.connectors.edi.partner.settings import EdiPartnerSettings
from crossdock.connectors.files.settings import SftpTransport
from crossdock.security.secrets import SecretError, resolve


def supplier_problems(partners: Sequence[PartnerConfig]) -> list[str]:
    problems: list[str] = []
    vendors: dict[str, int] = {}
    identities: dict[tuple[str, str, str], int] = {}
    for index, partner in enumerate(partners):
        if partner.kind != KIND:
            continue
        place = f"partners[{index}].settings"
        try:
            settings = EdiPartnerSettings.model_validate(partner.settings)
        except ValidationError:
            continue  # reported with its place by the settings model's own check
        transport = settings.transport
        if isinstance(transport, SftpTransport):
            if transport.private_key is None and transport.password is None:
                problems.append(f"{place}.transport: an SFTP account needs private_key or password")
            for name in ("private_key", "password"):
                ref = getattr(transport, name)
                if ref is not None:
                    try:
                        resolve(ref)
                    except SecretError as exc:
                        problems.append(f"{place}.transport.{name}: {exc}")
        for position, vendor in enumerate(settings.vendor_names):
            key = vendor.casefold().strip()
            if key in vendors and vendors[key] != index:
                problems.append(
                    f"{place}.vendor_names[{position}]: {vendor!r} is already supplied by "
                    f"partners[{vendors[key]}]; an order must go to one supplier"
                )
            vendors.setdefault(key, index)
        identity = (settings.standard, settings.them.qualifier, settings.them.id)
        if identity in identities:
            problems.append(
                f"{place}.them: {settings.them.qualifier}/{settings.them.id} is already the "
                f"identity of partners[{identities[identity]}]; received interchanges would be "
                "ambiguous"
            )
        identities.setdefault(identity, index)
    return problems
