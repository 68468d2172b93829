"""A supplier exchanging EDI files: the partner entry's `settings`, checked by `crossdock check`.

```yaml
- id: acme-supplies
  kind: edi_supplier
  settings:
    standard: x12                    # or edifact
    version: "004010"                # X12 004010 / 005010, EDIFACT D96A / D01B
    us:   {qualifier: ZZ, id: CROSSDOCK}
    them: {qualifier: ZZ, id: ACMESUPPLY}
    sets: ["850", "855", "856", "810", "944", "997"]
    vendor_names: ["Acme Supplies Ltd"]
    mapping: {country_code: US, currency: USD}
    acknowledgements: {expect_within: PT24H, check_every: PT5M}
    tolerances: {price_percent: "2", quantity_percent: "0"}
    transport: {kind: sftp, host: sftp.acme.example, username: crossdock, ...}
```

`us` and `them` are the interchange identities (ISA05/06 and ISA07/08, or UNB S002/S003);
X12 groups use the same ids in GS02/GS03 unless `group_id` says otherwise. `sets` lists
what the supplier exchanges, in this standard's names (850, 855 … or ORDERS, ORDRSP …).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from crossdock.connectors.files.settings import Transport
from crossdock.flows.procurement.settings import Tolerances

X12_VERSIONS = ("004010", "005010")
EDIFACT_VERSIONS = ("D96A", "D01B")
X12_SETS = ("850", "855", "856", "810", "944", "997")
EDIFACT_SETS = ("ORDERS", "ORDRSP", "DESADV", "RECADV", "INVOIC", "CONTRL")
ORDER_SET = {"x12": "850", "edifact": "ORDERS"}


class EdiSection(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Identity(EdiSection):
    """One side of the interchange envelope."""

    qualifier: str = Field(default="ZZ", min_length=1, max_length=4)
    id: str = Field(min_length=1, max_length=35)
    group_id: str | None = Field(default=None, min_length=2, max_length=15)

    @property
    def group(self) -> str:
        return self.group_id or self.id


class MappingOverrides(EdiSection):
    """What this supplier leaves implicit and the canonical model needs."""

    country_code: str | None = Field(default=None, pattern=r"^[A-Z]{2}$")
    currency: str | None = Field(default=None, pattern=r"^[A-Z]{3}$")


class AckSettings(EdiSection):
    """How long a sent interchange may wait for its 997 / CONTRL before an alert."""

    expect_within: timedelta = timedelta(hours=24)
    check_every: timedelta = timedelta(minutes=5)

    @field_validator("expect_within", "check_every")
    @classmethod
    def _positive(cls, value: timedelta) -> timedelta:
        if value <= timedelta(0):
            raise ValueError("must be greater than zero")
        return value


class EdiPartnerSettings(EdiSection):
    standard: Literal["x12", "edifact"]
    version: str
    us: Identity
    them: Identity
    sets: list[str] = Field(min_length=1)
    vendor_names: list[str] = Field(min_length=1)
    """Odoo vendor names (the purchase order's `partner_id`) whose orders go to this supplier."""
    mapping: MappingOverrides = Field(default_factory=MappingOverrides)
    acknowledgements: AckSettings = Field(default_factory=AckSettings)
    tolerances: Tolerances | None = None
    """This supplier's invoice tolerances; the procurement defaults when unset."""
    transport: Transport
    file_prefix: str = Field(default="", pattern=r"^[A-Za-z0-9_-]*$")
    """Prefix of the names of files delivered to the supplier."""

    # Field validators rather than one model check, so `crossdock check` names the field:
    # `standard` is declared first, so its value is known when these run.
    @field_validator("version")
    @classmethod
    def _known_version(cls, value: str, info: ValidationInfo) -> str:
        standard = info.data.get("standard")
        versions = X12_VERSIONS if standard == "x12" else EDIFACT_VERSIONS
        if standard is not None and value not in versions:
            raise ValueError(
                f"{value!r} is not a {standard} version Crossdock reads "
                f"(known: {', '.join(versions)})"
            )
        return value

    @field_validator("us", "them")
    @classmethod
    def _x12_identity(cls, value: Identity, info: ValidationInfo) -> Identity:
        if info.data.get("standard") == "x12" and (len(value.id) > 15 or len(value.qualifier) != 2):
            raise ValueError(
                "an X12 id has at most 15 characters and a 2-character qualifier (ISA05-08)"
            )
        return value

    @field_validator("sets")
    @classmethod
    def _known_sets(cls, value: list[str], info: ValidationInfo) -> list[str]:
        standard = info.data.get("standard")
        if standard is None:
            return value
        known = X12_SETS if standard == "x12" else EDIFACT_SETS
        unknown = [name for name in value if name not in known]
        if unknown:
            raise ValueError(
                f"{', '.join(map(repr, unknown))} are not {standard} sets Crossdock maps "
                f"(known: {', '.join(known)})"
            )
        if ORDER_SET[standard] not in value:
            raise ValueError(
                f"must include {ORDER_SET[standard]!r}: purchase orders go to the supplier that way"
            )
        return value

    def supplies(self, vendor_name: str) -> bool:
        wanted = vendor_name.casefold().strip()
        return any(name.casefold().strip() == wanted for name in self.vendor_names)
