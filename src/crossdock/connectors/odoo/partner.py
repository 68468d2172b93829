"""A partner entry of kind `odoo`: how to reach it, which models to poll, webhook limits."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from crossdock.canonical.common import WeightUnit
from crossdock.connectors.odoo.codes import release_states
from crossdock.connectors.odoo.settings import OdooSettings

ReleaseState = Literal["waiting", "confirmed", "assigned"]


def _ready_only() -> list[ReleaseState]:
    return ["assigned"]


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PollConfig(_Section):
    """One model watched by polling; fields are explicit (never all: that is slow)."""

    model: str = Field(pattern=r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")
    fields: list[str] = Field(min_length=1)
    domain: list[Any] = Field(default_factory=list)
    interval: timedelta = timedelta(seconds=60)
    # Longer than Odoo's longest transaction: write_date is the transaction's start time.
    overlap: timedelta = timedelta(minutes=5)
    page_size: int = Field(default=200, ge=1, le=5000)


class WebhookConfig(_Section):
    # Networks allowed to post automation webhooks, e.g. ["10.0.0.0/8"]; empty allows any.
    allowed_sources: list[str] = Field(default_factory=list)


class MilestoneConfig(_Section):
    """Tracking applied to the pickings: history in the chatter, delivered date, exception
    activities and proof of delivery, coalesced into batches."""

    enabled: bool = True
    # How long events gather before one batch is written: a burst becomes one request.
    flush_window: timedelta = timedelta(milliseconds=500)
    batch_size: int = Field(default=500, ge=1, le=10_000)
    # Odoo has no carrier delivery date on a transfer: name the custom datetime field that
    # holds it (created in Settings > Technical > Fields or Studio), or null for none.
    delivered_date_field: str | None = Field(
        default="x_delivered_date", pattern=r"^[a-z_][a-z0-9_]*$"
    )
    exception_activities: bool = True
    # Assignee when the picking has no responsible user; else the activity type's default.
    exception_user_id: int | None = Field(default=None, ge=1)
    exception_deadline_days: int = Field(default=1, ge=0, le=365)
    attach_proof_of_delivery: bool = True
    # History entries kept per parcel while Odoo is unreachable; older ones are counted.
    max_pending_entries: int = Field(default=100, ge=1, le=10_000)


class OdooPartnerSettings(_Section):
    odoo: OdooSettings
    poll: list[PollConfig] = Field(default_factory=list)
    webhook: WebhookConfig = Field(default_factory=WebhookConfig)
    milestones: MilestoneConfig | None = None
    # What the mapping to canonical events reads (codes.MappingOptions): declared here so
    # that `crossdock check` accepts them and names a wrong one.
    uom_codes: dict[str, str] = Field(default_factory=dict)
    carrier_codes: dict[str, str] = Field(default_factory=dict)
    default_carrier_code: str | None = Field(default=None, min_length=1, max_length=64)
    weight_unit: WeightUnit = WeightUnit.KG
    # Outgoing picking states announced as a fulfillment request (docs/outbound.md):
    # [assigned] releases ready deliveries only; [assigned, confirmed] also those waiting
    # for stock, released once (the flow ignores the later move to assigned).
    release_when: list[ReleaseState] = Field(default_factory=_ready_only, min_length=1)

    @field_validator("release_when")
    @classmethod
    def _releases_ready(cls, value: list[ReleaseState]) -> list[ReleaseState]:
        release_states(value)
        return value
