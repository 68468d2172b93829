"""`resilience:` in crossdock.yaml: breaker, rate limit and bulkhead per partner endpoint."""

from __future__ import annotations

from datetime import timedelta
from fnmatch import fnmatchcase
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class BreakerSettings(_Section):
    """When a partner endpoint counts as down, and how it is tried again."""

    enabled: bool = True
    # Opens after this many failures in a row...
    consecutive_failures: int = Field(default=5, ge=1)
    # ...or when this share of the calls in the window failed (once min_calls were made).
    failure_rate: float = Field(default=0.5, gt=0, le=1)
    min_calls: int = Field(default=20, ge=1)
    window: timedelta = timedelta(seconds=60)
    # Open for this long, then half-open: a few probe calls decide.
    cool_down: timedelta = timedelta(seconds=30)
    half_open_probes: int = Field(default=1, ge=1)
    successes_to_close: int = Field(default=1, ge=1)


class RateLimit(_Section):
    """A token bucket: `per_second` or `per_minute` sustained, up to `burst` at once."""

    per_second: float | None = Field(default=None, gt=0)
    per_minute: float | None = Field(default=None, gt=0)
    burst: int = Field(default=1, ge=1)

    @model_validator(mode="after")
    def _one_rate(self) -> RateLimit:
        if (self.per_second is None) == (self.per_minute is None):
            raise ValueError("give exactly one of per_second or per_minute")
        return self

    @property
    def tokens_per_second(self) -> float:
        return self.per_second if self.per_second is not None else (self.per_minute or 0) / 60


class ResourceSettings(_Section):
    """What applies to one endpoint; a field left out takes the value of `defaults`."""

    breaker: BreakerSettings | None = None
    rate: RateLimit | None = None
    # Bulkhead: at most this many of the endpoint's jobs run at once, across all workers.
    concurrency: int | None = Field(default=None, ge=1)


class Backpressure(_Section):
    """Intake refuses a partner's messages while that partner's open jobs exceed `max_backlog`."""

    max_backlog: int = Field(ge=1)
    status: Literal[429, 503] = 503
    retry_after: timedelta = timedelta(seconds=5)


class ResourcePolicy(_Section):
    """The settings in force for one endpoint, defaults merged in."""

    breaker: BreakerSettings
    rate: RateLimit | None
    concurrency: int | None


class ResilienceConfig(_Section):
    enabled: bool = True
    defaults: ResourceSettings = ResourceSettings(breaker=BreakerSettings())
    # By resource key (`odoo:erp`, `carrier:easypost`, `notify:3`) or shell pattern (`notify:*`);
    # an exact key wins over patterns, patterns are tried in the order written.
    resources: dict[str, ResourceSettings] = Field(default_factory=dict)
    # A job refused by a full bulkhead or a busy half-open breaker is looked at again after this.
    defer: timedelta = timedelta(milliseconds=500)
    # By intake partner id.
    backpressure: dict[str, Backpressure] = Field(default_factory=dict)
    # How long intake trusts a backlog count before counting again.
    backlog_check_interval: timedelta = timedelta(seconds=1)

    def policy(self, resource: str) -> ResourcePolicy:
        entry = self.resources.get(resource)
        if entry is None:
            entry = next(
                (value for key, value in self.resources.items() if fnmatchcase(resource, key)),
                ResourceSettings(),
            )
        base = self.defaults
        return ResourcePolicy(
            breaker=entry.breaker or base.breaker or BreakerSettings(),
            rate=entry.rate or base.rate,
            concurrency=entry.concurrency or base.concurrency,
        )
