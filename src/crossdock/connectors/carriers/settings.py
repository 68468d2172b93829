"""Settings every carrier partner shares: its tracking API and the polling fallback.

Each provider's settings model (`<provider>/settings.py`) adds an `api` section of its own
shape and this `polling` section, so `crossdock check` validates both before anything runs.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from crossdock.canonical.primitives import Code
from crossdock.security.secrets import SECRET_REF_PATTERN


def _secret_reference(value: str) -> str:
    if not SECRET_REF_PATTERN.match(value):
        raise ValueError("must be a secret reference (env:NAME or file:/path), never the secret")
    return value


SecretRef = Annotated[str, Field(min_length=5)]
"""`env:NAME` or `file:/path`; checked by the models that use it."""


class CarrierSection(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ApiSettings(CarrierSection):
    """Where a provider's tracking API is and the key it wants (a secret reference)."""

    base_url: str = Field(pattern=r"^https?://")
    api_key: SecretRef
    timeout: timedelta = timedelta(seconds=10)

    @field_validator("api_key")
    @classmethod
    def _is_reference(cls, value: str) -> str:
        return _secret_reference(value)


class PollingSettings(CarrierSection):
    """The polling fallback for shipments whose provider sends no webhooks.

    `carriers` are matched against `shipment_tracking.carrier_code`; `max_per_minute` is the
    provider's request budget, spread over the job's runs (`run_every`), so one run takes at
    most `max_per_minute * run_every / 60` shipments.
    """

    enabled: bool = False
    carriers: list[Code] = Field(default_factory=list)
    interval: timedelta = timedelta(minutes=30)
    """Between two polls of one shipment."""
    run_every: timedelta = timedelta(seconds=60)
    """How often the poll job runs."""
    max_per_minute: int = Field(default=60, ge=1, le=100_000)
    max_age: timedelta = timedelta(days=30)
    """A shipment registered longer ago than this is given up (no longer polled)."""
    concurrency: int = Field(default=4, ge=1, le=64)
    """Requests in flight at once within one run."""

    @field_validator("interval", "run_every", "max_age")
    @classmethod
    def _positive(cls, value: timedelta) -> timedelta:
        if value < timedelta(seconds=1):
            raise ValueError("must be at least one second")
        return value

    @model_validator(mode="after")
    def _carriers_when_enabled(self) -> PollingSettings:
        if self.enabled and not self.carriers:
            raise ValueError("carriers must name at least one carrier code when enabled")
        return self

    def per_run(self) -> int:
        """Shipments one run may fetch: the per-minute budget scaled to the run's period."""
        return max(1, int(self.max_per_minute * self.run_every.total_seconds() // 60))


def api_given(polling: PollingSettings, info: ValidationInfo) -> PollingSettings:
    """For the partner models' `polling` validator (declared after `api`): enabled polling
    needs an api section, and the error is placed at `polling`, where the operator looks."""
    # An api section that failed its own validation is absent from info.data: not repeated.
    if polling.enabled and "api" in info.data and info.data["api"] is None:
        raise ValueError("polling is enabled but there is no api section to poll")
    return polling
