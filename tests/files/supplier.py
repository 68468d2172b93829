"""A supplier partner entry for tests, and the supplier's side of the exchange: files written
with the supplier's own identities (sender and receiver swapped)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from crossdock.config import PartnerConfig
from crossdock.connectors.edi.partner.envelopes import x12_interchange
from crossdock.connectors.edi.partner.settings import EdiPartnerSettings
from crossdock.connectors.edi.x12.writer import OutSegment

SUPPLIER = "acme-supplies"
VENDOR = "Acme Supplies Ltd"


def supplier_settings(transport: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    settings: dict[str, Any] = {
        "standard": "x12",
        "version": "004010",
        "us": {"qualifier": "ZZ", "id": "CROSSDOCK"},
        "them": {"qualifier": "ZZ", "id": "ACMESUPPLY"},
        "sets": ["850", "855", "856", "810", "944", "997"],
        "vendor_names": [VENDOR],
        "mapping": {"country_code": "US", "currency": "USD"},
        "acknowledgements": {"expect_within": "PT1H", "check_every": "PT5M"},
        "transport": transport,
    }
    settings.update(overrides)
    return settings


def supplier_partner(transport: dict[str, Any], **overrides: Any) -> PartnerConfig:
    return PartnerConfig(
        id=SUPPLIER, kind="edi_supplier", settings=supplier_settings(transport, **overrides)
    )


def as_supplier(partner: PartnerConfig) -> EdiPartnerSettings:
    """The same agreement seen from the supplier's side: its `us` is our `them`."""
    settings = EdiPartnerSettings.model_validate(partner.settings)
    return settings.model_copy(update={"us": settings.them, "them": settings.us})


def supplier_file(
    partner: PartnerConfig,
    set_id: str,
    bodies: list[list[OutSegment]],
    control: int,
    created: datetime,
) -> bytes:
    return x12_interchange(as_supplier(partner), set_id, bodies, control, created)
