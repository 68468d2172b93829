"""The one configuration file (`crossdock.yaml`), validated by pydantic, with secrets referenced."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from crossdock.connectors.notify.settings import NotificationsConfig
from crossdock.errors import ConfigError
from crossdock.flows.outbound.settings import OutboundConfig
from crossdock.flows.procurement.settings import ProcurementConfig
from crossdock.observe.monitors.settings import MonitorsConfig
from crossdock.observe.tracing_settings import TracingConfig
from crossdock.pipeline.retry import RetryPolicy
from crossdock.resilience.settings import ResilienceConfig
from crossdock.security.environments import (
    ENVIRONMENT_PATTERN,
    merge,
    overlay_path,
    selected_environment,
)
from crossdock.security.secrets import SECRET_REF_PATTERN
from crossdock.security.settings import RetiringSecret, SecurityConfig
from crossdock.store.engine import DEFAULT_DATABASE_URL
from crossdock.web.dashboard.settings import DashboardConfig

DEFAULT_CONFIG_PATH = Path("crossdock.yaml")
CONFIG_ENV = "CROSSDOCK_CONFIG"


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DatabaseConfig(Section):
    url: str = DEFAULT_DATABASE_URL
    pool_size: int = Field(default=10, ge=1, le=200)
    # FULL survives power loss; NORMAL survives process crashes only.
    sqlite_synchronous: Literal["FULL", "NORMAL"] = "FULL"


class ServerConfig(Section):
    host: str = "127.0.0.1"
    port: int = Field(default=8080, ge=1, le=65535)


class IntakeConfig(Section):
    max_body_bytes: int = Field(default=1024 * 1024, ge=1)
    signature_tolerance: timedelta = timedelta(minutes=5)
    # Group commit: concurrent requests share one transaction of up to this many messages,
    # flushed as soon as the previous flush is done or after this long.
    group_commit_max_batch: int = Field(default=512, ge=1)
    group_commit_max_wait: timedelta = timedelta(milliseconds=2)


class WorkerConfig(Section):
    concurrency: int = Field(default=8, ge=1, le=512)
    lease: timedelta = timedelta(seconds=30)
    poll_interval: timedelta = timedelta(milliseconds=200)
    reclaim_interval: timedelta = timedelta(seconds=5)


class JobPolicyConfig(Section):
    max_attempts: int = Field(default=5, ge=1)
    base_delay: timedelta = timedelta(seconds=1)
    max_delay: timedelta = timedelta(minutes=5)
    jitter: bool = True

    def to_policy(self) -> RetryPolicy:
        return RetryPolicy(
            max_attempts=self.max_attempts,
            base_delay=self.base_delay,
            max_delay=self.max_delay,
            jitter=self.jitter,
        )


class PartnerConfig(Section):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,63}$")
    kind: str
    # Several active secrets let a partner rotate without downtime.
    secrets: list[str] = Field(default_factory=list)
    # Translate this partner's messages strictly in arrival order (one lane per partner).
    ordered: bool = False
    # Secrets being rotated out, each accepted until its `until` (docs/security.md).
    retiring_secrets: list[RetiringSecret] = Field(default_factory=list)
    settings: dict[str, Any] = Field(default_factory=dict)

    @field_validator("secrets")
    @classmethod
    def _only_references(cls, value: list[str]) -> list[str]:
        for ref in value:
            if not SECRET_REF_PATTERN.match(ref):
                raise ValueError(
                    "secrets must be references (env:NAME or file:/path), never the secret itself"
                )
        return value


class TrackingConfig(Section):
    """Parcel tracking: when a carrier that has gone quiet is asked again by polling."""

    # A scan heard (webhook or poll) pushes the parcel's next poll this far out: a carrier
    # that keeps talking is not asked; one gone quiet is, at the polling interval.
    poll_after_silence: timedelta = timedelta(minutes=30)


class LoggingConfig(Section):
    level: Literal["debug", "info", "warning", "error"] = "info"
    format: Literal["json", "console"] = "json"


class Config(Section):
    database: DatabaseConfig = Field(default_factory=DatabaseConfig)
    server: ServerConfig = Field(default_factory=ServerConfig)
    intake: IntakeConfig = Field(default_factory=IntakeConfig)
    workers: WorkerConfig = Field(default_factory=WorkerConfig)
    job_policies: dict[str, JobPolicyConfig] = Field(default_factory=dict)
    partners: list[PartnerConfig] = Field(default_factory=list)
    # Modules whose `register(registry)` adds job types, e.g. "mycompany.flows:register".
    plugins: list[str] = Field(default_factory=list)
    tracking: TrackingConfig = Field(default_factory=TrackingConfig)
    logging: LoggingConfig = Field(default_factory=LoggingConfig)
    # Outbound notifications to subscribed endpoints (docs/notifications.md).
    notifications: NotificationsConfig = Field(default_factory=NotificationsConfig)
    # Identities, API keys, the audit chain's signing key (docs/security.md).
    security: SecurityConfig = Field(default_factory=SecurityConfig)
    # dev, test or prod: selects the overlay file; prod refuses unsafe settings at start.
    environment: str = Field(default="dev", pattern=ENVIRONMENT_PATTERN.pattern)
    # Business monitors and their thresholds (docs/operations.md).
    monitors: MonitorsConfig = Field(default_factory=MonitorsConfig)
    # The operators' dashboard at / (docs/operations.md).
    dashboard: DashboardConfig = Field(default_factory=DashboardConfig)
    # OpenTelemetry spans: off unless an exporter is chosen (docs/operations.md).
    tracing: TracingConfig = Field(default_factory=TracingConfig)
    # Outbound fulfillment: Odoo delivery orders to warehouse systems and back (docs/outbound.md).
    outbound: OutboundConfig = Field(default_factory=OutboundConfig)
    # The procurement flow with EDI suppliers (docs/procurement.md).
    procurement: ProcurementConfig = Field(default_factory=ProcurementConfig)
    # Breakers, rate limits, bulkheads and backpressure per partner endpoint (docs/resilience.md).
    resilience: ResilienceConfig = Field(default_factory=ResilienceConfig)

    def partner(self, partner_id: str) -> PartnerConfig | None:
        return next((p for p in self.partners if p.id == partner_id), None)


def config_path(explicit: Path | None = None) -> Path:
    """The file to read: `--config`, else $CROSSDOCK_CONFIG, else ./crossdock.yaml."""
    if explicit is not None:
        return explicit
    from_env = os.environ.get(CONFIG_ENV)
    return Path(from_env) if from_env else DEFAULT_CONFIG_PATH


def read_raw(path: Path) -> dict[str, Any]:
    try:
        loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise ConfigError(f"{path}: not valid YAML{where}: {exc}") from None
    if loaded is None:
        return {}
    if not isinstance(loaded, dict):
        raise ConfigError(f"{path}: the top level must be a mapping, not {type(loaded).__name__}")
    return loaded


def format_location(loc: tuple[int | str, ...]) -> str:
    """`("partners", 2, "secrets", 0)` → `partners[2].secrets[0]`."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text or "(top level)"


def validation_problems(exc: ValidationError) -> list[str]:
    return [f"{format_location(err['loc'])}: {err['msg']}" for err in exc.errors()]


def read_layers(path: Path) -> tuple[dict[str, Any], str]:
    """The file at `path` with its environment's overlay on top, and what to call the pair
    in messages (security/environments.py)."""
    raw = read_raw(path)
    try:
        environment = selected_environment(raw)
    except ValueError as exc:
        raise ConfigError(f"{path}: {exc}") from None
    overlay = overlay_path(path, environment)
    if not overlay.exists():
        return {**raw, "environment": environment}, str(path)
    merged = merge(raw, read_raw(overlay))
    return {**merged, "environment": environment}, f"{path} + {overlay.name}"


def load_config(path: Path | None = None) -> Config:
    """Load and validate the config; a missing default file means all defaults."""
    resolved = config_path(path)
    if not resolved.exists():
        if path is None and resolved == DEFAULT_CONFIG_PATH:
            return Config()
        raise ConfigError(f"{resolved}: config file does not exist")
    raw, name = read_layers(resolved)
    try:
        return Config.model_validate(raw)
    except ValidationError as exc:
        raise ConfigError(f"{name}: " + "; ".join(validation_problems(exc))) from None
