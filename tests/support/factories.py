"""Build configs and runtimes for tests, on a given database, with a controllable clock."""

from __future__ import annotations

from pathlib import Path

from crossdock.clock import Clock
from crossdock.config import Config, DatabaseConfig, LoggingConfig, PartnerConfig
from crossdock.runtime import Runtime
from crossdock.sandbox.generic_partner import new_secret
from crossdock.store import migrate

PARTNER = "acme"


def partner_secret(tmp_path: Path, name: str = PARTNER) -> tuple[str, str]:
    """Write a fresh secret to a file; return (secret, file: reference)."""
    secret = new_secret()
    path = tmp_path / f"{name}.secret"
    path.write_text(secret + "\n", encoding="utf-8")
    return secret, f"file:{path}"


def make_config(db_url: str, secret_refs: list[str], **overrides: object) -> Config:
    data: dict[str, object] = {
        "database": DatabaseConfig(url=db_url),
        "partners": [PartnerConfig(id=PARTNER, kind="generic", secrets=secret_refs)],
        "logging": LoggingConfig(level="warning"),
    }
    data.update(overrides)
    return Config.model_validate(data)


def make_runtime(config: Config, clock: Clock | None = None) -> Runtime:
    runtime = Runtime.build(config, clock=clock)
    migrate.upgrade(runtime.store.engine)
    return runtime
