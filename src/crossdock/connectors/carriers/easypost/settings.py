"""Partner settings of kind `easypost`: its Trackers API and the polling fallback."""

from __future__ import annotations

from pydantic import Field, ValidationInfo, field_validator

from crossdock.connectors.carriers.settings import (
    ApiSettings,
    CarrierSection,
    PollingSettings,
    api_given,
)

DEFAULT_BASE_URL = "https://api.easypost.com"


class EasyPostApi(ApiSettings):
    """EasyPost's API: HTTP Basic with the API key as the user name, empty password."""

    base_url: str = Field(default=DEFAULT_BASE_URL, pattern=r"^https?://")


class EasyPostSettings(CarrierSection):
    api: EasyPostApi | None = None
    polling: PollingSettings = PollingSettings()

    @field_validator("polling")
    @classmethod
    def _polling_has_api(cls, value: PollingSettings, info: ValidationInfo) -> PollingSettings:
        return api_given(value, info)
