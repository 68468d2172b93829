"""Partner settings of kind `shippo`: webhook options, its Tracking API and polling."""

from __future__ import annotations

from pydantic import Field, ValidationInfo, field_validator

from crossdock.connectors.carriers.settings import (
    ApiSettings,
    CarrierSection,
    PollingSettings,
    api_given,
)

DEFAULT_BASE_URL = "https://api.goshippo.com"


class ShippoWebhook(CarrierSection):
    """How `signature.make_verifier` checks Shippo's optional HMAC header."""

    require_hmac: bool = False
    signature_tolerance_seconds: float | None = Field(default=None, gt=0)


class ShippoApi(ApiSettings):
    """Shippo's API; the key goes in `Authorization: ShippoToken <key>`."""

    base_url: str = Field(default=DEFAULT_BASE_URL, pattern=r"^https?://")


class ShippoSettings(CarrierSection):
    webhook: ShippoWebhook = ShippoWebhook()
    api: ShippoApi | None = None
    polling: PollingSettings = PollingSettings()

    @field_validator("polling")
    @classmethod
    def _polling_has_api(cls, value: PollingSettings, info: ValidationInfo) -> PollingSettings:
        return api_given(value, info)
