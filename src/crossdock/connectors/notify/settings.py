"""The `notifications:` config section: subscriptions, delivery limits, retry and API tokens."""

from __future__ import annotations

import re
from datetime import timedelta

from pydantic import BaseModel, ConfigDict, Field, field_validator

from crossdock.canonical.event_types import parse_event_type
from crossdock.pipeline.retry import RetryPolicy
from crossdock.security.secrets import SECRET_REF_PATTERN

NAME_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$"
_DOMAIN_WILDCARD = re.compile(r"^crossdock\.[a-z][a-z0-9]*(?:_[a-z0-9]+)*\.\*$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


def check_event_type_pattern(pattern: str) -> str:
    """An exact canonical event type or a whole domain (`crossdock.shipment.*`)."""
    if _DOMAIN_WILDCARD.match(pattern):
        return pattern
    try:
        parse_event_type(pattern)
    except ValueError as exc:
        raise ValueError(f"{exc}; or a whole domain such as 'crossdock.shipment.*'") from None
    return pattern


def check_url(url: str) -> str:
    if not url.startswith(("https://", "http://")) or len(url) > 2048:
        raise ValueError("url must be an http:// or https:// URL of at most 2048 characters")
    return url


def check_secret_ref(ref: str) -> str:
    if not SECRET_REF_PATTERN.match(ref):
        raise ValueError(
            "secret must be a reference (env:NAME or file:/path), never the secret itself"
        )
    return ref


class SubscriptionFilters(_Strict):
    """Narrow a subscription; an empty list means "any". See docs/notifications.md."""

    partners: list[str] = Field(default_factory=list)
    customers: list[str] = Field(default_factory=list)
    milestones: list[str] = Field(default_factory=list)


class SubscriptionConfig(_Strict):
    name: str = Field(pattern=NAME_PATTERN)
    url: str
    event_types: list[str] = Field(min_length=1)
    filters: SubscriptionFilters = Field(default_factory=SubscriptionFilters)
    # Resolves to a Standard Webhooks secret (`whsec_` + base64 of 24 to 64 random bytes).
    secret: str

    @field_validator("url")
    @classmethod
    def _url(cls, value: str) -> str:
        return check_url(value)

    @field_validator("secret")
    @classmethod
    def _secret(cls, value: str) -> str:
        return check_secret_ref(value)

    @field_validator("event_types")
    @classmethod
    def _patterns(cls, value: list[str]) -> list[str]:
        return [check_event_type_pattern(pattern) for pattern in value]


class NotificationsConfig(_Strict):
    subscriptions: list[SubscriptionConfig] = Field(default_factory=list)
    # Consecutive failed attempts (any event) after which an endpoint is disabled.
    failure_streak_to_disable: int = Field(default=10, ge=1)
    connect_timeout: timedelta = timedelta(seconds=5)
    timeout: timedelta = timedelta(seconds=10)
    max_attempts: int = Field(default=8, ge=1)
    base_delay: timedelta = timedelta(seconds=5)
    max_delay: timedelta = timedelta(hours=1)
    # A receiver's Retry-After is honoured up to this long, so one bad header cannot park
    # a lane for a year.
    max_retry_after: timedelta = timedelta(hours=1)
    # How stale fan-out's view of the subscription table may be.
    subscription_cache: timedelta = timedelta(seconds=2)
    # Bearer tokens (secret references) for /api/v1/*; none configured: the API is off.
    api_tokens: list[str] = Field(default_factory=list)

    @field_validator("api_tokens")
    @classmethod
    def _token_refs(cls, value: list[str]) -> list[str]:
        return [check_secret_ref(ref) for ref in value]

    @property
    def enabled(self) -> bool:
        """Notifications run when something can subscribe: the config or the API."""
        return bool(self.subscriptions or self.api_tokens)

    def retry_policy(self) -> RetryPolicy:
        return RetryPolicy(
            max_attempts=self.max_attempts, base_delay=self.base_delay, max_delay=self.max_delay
        )
