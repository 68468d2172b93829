"""`crossdock check` for CSV suppliers, beyond their settings' own validation: the file
transport (folders, SFTP login), and a vendor claimed by two suppliers of any channel (an
order must go to exactly one)."""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import ValidationError

from crossdock.config import PartnerConfig
from crossdock.connectors.csv_supplier.settings import KIND, CsvSupplierSettings
from crossdock.connectors.edi.partner.jobs import KIND as EDI_KIND
from crossdock.connectors.edi.partner.settings import EdiPartnerSettings
from crossdock.connectors.files.checks import transport_problems


def _vendors(partner: PartnerConfig) -> list[str]:
    model = CsvSupplierSettings if partner.kind == KIND else EdiPartnerSettings
    try:
        return model.model_validate(partner.settings).vendor_names
    except ValidationError:
        return []  # reported with its place by the settings model's own check


def csv_supplier_problems(partners: Sequence[PartnerConfig]) -> list[str]:
    problems: list[str] = []
    vendors: dict[str, int] = {}
    for index, partner in enumerate(partners):
        if partner.kind not in (KIND, EDI_KIND):
            continue
        place = f"partners[{index}].settings"
        for position, vendor in enumerate(_vendors(partner)):
            key = vendor.casefold().strip()
            claimed = vendors.get(key)
            # Two EDI suppliers are the EDI check's to report; any pair with a CSV one is ours.
            if (
                claimed is not None
                and claimed != index
                and KIND
                in (
                    partner.kind,
                    partners[claimed].kind,
                )
            ):
                problems.append(
                    f"{place}.vendor_names[{position}]: {vendor!r} is already supplied by "
                    f"partners[{claimed}]; an order must go to one supplier"
                )
            vendors.setdefault(key, index)
        if partner.kind == KIND:
            try:
                transport = CsvSupplierSettings.model_validate(partner.settings).transport
            except ValidationError:
                continue
            problems.extend(transport_problems(f"{place}.transport", transport))
    return problems
