"""The `security:` config section: the audit signing key and API key rotation."""

from __future__ import annotations

from datetime import datetime, timedelta

from pydantic import BaseModel, ConfigDict, Field, field_validator

from crossdock.security.secrets import SECRET_REF_PATTERN, resolve


class RetiringSecret(BaseModel):
    """A partner secret being rotated out: still accepted until `until`, then no longer, by
    itself. Rotation: add the new secret to `secrets`, move the old one here with the end of
    the overlap; the partner switches whenever it likes within the window."""

    model_config = ConfigDict(extra="forbid")

    ref: str
    until: datetime

    @field_validator("ref")
    @classmethod
    def _reference(cls, value: str) -> str:
        if not SECRET_REF_PATTERN.match(value):
            raise ValueError("must be a reference (env:NAME or file:/path), never the secret")
        return value

    @field_validator("until")
    @classmethod
    def _aware(cls, value: datetime) -> datetime:
        if value.tzinfo is None:
            raise ValueError("needs a time zone (e.g. 2026-12-05T00:00:00Z)")
        return value


class SecurityConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    # HMAC key for audit checkpoints (a secret reference): kept outside the database, so
    # someone who can rewrite the database cannot sign a head that hides the rewrite.
    audit_key: str | None = None
    # How long a rotated API key keeps working beside its replacement.
    key_rotation_overlap: timedelta = Field(default=timedelta(hours=24), ge=timedelta(0))

    # HMAC key (a secret reference) for OAuth2 client-credentials access tokens (JWT, HS256);
    # unset: POST /api/v1/oauth/token is not offered and only API keys authenticate.
    jwt_key: str | None = None
    token_lifetime: timedelta = Field(default=timedelta(minutes=15), gt=timedelta(0))
    # Mount /api/v1/subscriptions for identities' API keys (config:read, config:write) even
    # when no notifications.api_tokens are configured.
    subscriptions_api: bool = False

    @field_validator("audit_key", "jwt_key")
    @classmethod
    def _reference(cls, value: str | None) -> str | None:
        if value is not None and not SECRET_REF_PATTERN.match(value):
            raise ValueError("must be a secret reference (env:NAME or file:/path)")
        return value

    def jwt_key_bytes(self) -> bytes | None:
        return resolve(self.jwt_key).encode() if self.jwt_key else None

    def audit_key_bytes(self) -> bytes | None:
        return resolve(self.audit_key).encode() if self.audit_key else None
