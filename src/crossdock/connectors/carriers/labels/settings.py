"""Where a carrier's label API is, the key it wants, and the service to book."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from crossdock.canonical.primitives import Code
from crossdock.security.secrets import SECRET_REF_PATTERN


def _reference(value: str) -> str:
    if not SECRET_REF_PATTERN.match(value):
        raise ValueError("write a secret reference (env:NAME or file:/path), never the secret")
    return value


class LabelApiSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    base_url: str = Field(pattern=r"^https?://[^\s/]+")
    api_key: Annotated[str, AfterValidator(_reference)]
    carrier_code: Code
    # The service booked when the delivery order names none (Odoo's delivery method).
    default_service: str = "standard"
    label_format: str = "ZPL"
    timeout_seconds: float = Field(default=10.0, gt=0, le=300)
