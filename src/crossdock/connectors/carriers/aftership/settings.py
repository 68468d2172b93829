"""Partner settings of kind `aftership`: mapping options, its Tracking API and polling."""

from __future__ import annotations

from pydantic import Field, ValidationInfo, field_validator

from crossdock.connectors.carriers.settings import (
    ApiSettings,
    CarrierSection,
    PollingSettings,
    api_given,
)

DEFAULT_BASE_URL = "https://api.aftership.com/tracking/2024-07"


class AfterShipApi(ApiSettings):
    """AfterShip's Tracking API, versioned in its path; the key goes in `as-api-key`."""

    base_url: str = Field(default=DEFAULT_BASE_URL, pattern=r"^https?://")


class AfterShipSettings(CarrierSection):
    naive_checkpoint_timezone: str = "UTC"
    """The zone a `checkpoint_time` without offset is read in (see `mapping`)."""
    api: AfterShipApi | None = None
    polling: PollingSettings = PollingSettings()

    @field_validator("polling")
    @classmethod
    def _polling_has_api(cls, value: PollingSettings, info: ValidationInfo) -> PollingSettings:
        return api_given(value, info)
