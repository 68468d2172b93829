"""What every command shares: the --config option, loading, and the console."""

from __future__ import annotations

import getpass
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from crossdock.config import Config, load_config
from crossdock.durations import parse_since
from crossdock.errors import ConfigError
from crossdock.observe.logging import configure_logging
from crossdock.observe.tracing import configure_tracing
from crossdock.runtime import Runtime
from crossdock.store import migrate

console = Console(soft_wrap=True)
errors = Console(stderr=True, soft_wrap=True)

ConfigOption = Annotated[
    Path | None,
    typer.Option(
        "--config",
        "-c",
        help="Config file (default: $CROSSDOCK_CONFIG, else ./crossdock.yaml).",
        show_default=False,
    ),
]


def fail(message: str, code: int = 1) -> typer.Exit:
    errors.print(f"[bold red]error:[/] {message}", highlight=False)
    return typer.Exit(code)


def load(config_path: Path | None) -> Config:
    try:
        config = load_config(config_path)
    except ConfigError as exc:
        raise fail(str(exc)) from None
    configure_logging(config.logging.level, config.logging.format)
    return config


def open_runtime(config_path: Path | None, *, upgrade: bool = False) -> Runtime:
    try:
        runtime = Runtime.build(load(config_path))
    except ConfigError as exc:
        raise fail(str(exc)) from None
    configure_tracing(runtime.config.tracing)
    if upgrade:
        migrate.upgrade(runtime.store.engine)
    elif not migrate.is_current(runtime.store.engine):
        raise fail("the database is not at the current migration: run `crossdock db upgrade`")
    return runtime


def since_option(since: str | None, runtime: Runtime) -> datetime | None:
    """The moment a `--since` option means (`2h`, `7d` or an ISO 8601 time), or exit 1."""
    if since is None:
        return None
    try:
        return parse_since(since, runtime.clock.now())
    except ValueError as exc:
        raise fail(f"--since: {exc}") from None


def actor() -> str:
    """Who runs a command, for the audit trail."""
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli:unknown"
