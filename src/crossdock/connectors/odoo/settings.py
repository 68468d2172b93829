"""How Crossdock reaches one Odoo database: address, protocol, secret references, limits."""

from __future__ import annotations

from typing import Literal, Self

import httpx
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from crossdock.security.secrets import SECRET_REF_PATTERN

Protocol = Literal["jsonrpc", "json2"]


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class OdooTimeouts(_Section):
    """Seconds. `total` bounds one RPC end to end, however slowly Odoo trickles its answer."""

    connect: float = Field(default=5.0, gt=0)
    read: float = Field(default=60.0, gt=0)
    total: float = Field(default=120.0, gt=0)

    @model_validator(mode="after")
    def _total_covers_the_parts(self) -> Self:
        if self.total < self.connect:
            raise ValueError("timeouts.total must be at least timeouts.connect")
        return self


class OdooPoolLimits(_Section):
    """Odoo serves a request per worker: more connections than its workers only queue there."""

    max_connections: int = Field(default=8, ge=1, le=256)
    max_keepalive: int = Field(default=8, ge=0, le=256)
    keepalive_expiry: float = Field(default=30.0, ge=0)


class OdooSettings(_Section):
    """One Odoo endpoint. `password` and `api_key` are secret references (`env:`/`file:`)."""

    url: str = Field(pattern=r"^https?://[^\s/]+")
    database: str | None = None
    # "auto" asks /web/webclient/version_info: JSON-2 on 19.0+ when an API key is configured.
    protocol: Literal["auto", "jsonrpc", "json2"] = "auto"
    login: str | None = None
    password: str | None = None
    api_key: str | None = None
    timeouts: OdooTimeouts = OdooTimeouts()
    pool: OdooPoolLimits = OdooPoolLimits()
    user_agent: str = "crossdock-odoo/0.1"
    # Updates to Odoo records wait up to this many milliseconds to share one write RPC.
    write_coalesce_window: int = Field(default=50, ge=0, le=60_000)
    write_coalesce_max_items: int = Field(default=500, ge=1)

    @field_validator("url")
    @classmethod
    def _no_trailing_slash(cls, value: str) -> str:
        return value.rstrip("/")

    @field_validator("password", "api_key")
    @classmethod
    def _only_references(cls, value: str | None) -> str | None:
        if value is not None and not SECRET_REF_PATTERN.match(value):
            raise ValueError("write a secret reference (env:NAME or file:/path), never the secret")
        return value

    @model_validator(mode="after")
    def _credentials_fit_protocol(self) -> Self:
        if self.protocol == "json2" and self.api_key is None:
            raise ValueError("protocol json2 needs api_key")
        rpc_secret = self.password or self.api_key
        if self.protocol == "jsonrpc" and (not self.login or not rpc_secret or not self.database):
            raise ValueError("protocol jsonrpc needs database, login and password (or api_key)")
        if self.protocol == "auto" and self.api_key is None and not (self.login and rpc_secret):
            raise ValueError("configure api_key, or login and password")
        return self

    def httpx_timeout(self) -> httpx.Timeout:
        t = self.timeouts
        return httpx.Timeout(connect=t.connect, read=t.read, write=t.read, pool=t.total)

    def httpx_limits(self) -> httpx.Limits:
        p = self.pool
        return httpx.Limits(
            max_connections=p.max_connections,
            max_keepalive_connections=p.max_keepalive,
            keepalive_expiry=p.keepalive_expiry,
        )
