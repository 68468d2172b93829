"""The `dashboard:` config section: who may log in to the control tower, and for how long."""

from __future__ import annotations

from datetime import timedelta
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from crossdock.security.secrets import SECRET_REF_PATTERN


class OperatorConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    # Written to the audit trail as `dashboard:<name>` for every action taken.
    name: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
    # A secret reference (env:NAME or file:/path) to the operator's login token.
    token: str
    # What the operator may do and see: viewer (read; personal data masked), operator (also
    # replay dead letters), admin (everything, personal data included).
    role: Literal["viewer", "operator", "admin"] = "operator"

    @field_validator("token")
    @classmethod
    def _reference(cls, value: str) -> str:
        if not SECRET_REF_PATTERN.match(value):
            raise ValueError(
                "token must be a reference (env:NAME or file:/path), never the token itself"
            )
        return value


class DashboardConfig(BaseModel):
    """No operator configured: the dashboard answers only with its login page, which says so."""

    model_config = ConfigDict(extra="forbid")

    operators: list[OperatorConfig] = Field(default_factory=list)
    session_lifetime: timedelta = timedelta(hours=12)
    # How often open pages refresh their live panels.
    refresh_interval: timedelta = timedelta(seconds=5)
