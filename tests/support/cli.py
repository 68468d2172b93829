"""Run the `crossdock` command in-process, as an operator would, and read what it printed."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import structlog
import yaml
from click.testing import Result
from sqlalchemy import Engine
from typer.testing import CliRunner

import crossdock.cli.db
import crossdock.store.engine
from crossdock.cli import app

# Wide enough that rich never wraps a line or shortens a table cell in what the tests read.
WIDE = {"COLUMNS": "400", "NO_COLOR": "1"}


@contextmanager
def kept_logging_config() -> Iterator[None]:
    """Commands configure structlog for the whole process; put the test's setup back."""
    saved = structlog.get_config()
    try:
        yield
    finally:
        structlog.reset_defaults()
        structlog.configure(**saved)


@contextmanager
def engines_disposed() -> Iterator[None]:
    """Dispose every engine a command opens, as the end of its process would.

    Commands leave their pooled connections open (the process is about to exit); in a test
    process they would be closed by the garbage collector, with a ResourceWarning.
    """
    original = crossdock.store.engine.make_engine
    created: list[Engine] = []

    def recording(*args: Any, **kwargs: Any) -> Engine:
        engine = original(*args, **kwargs)
        created.append(engine)
        return engine

    patched: list[tuple[Any, str, Callable[..., Engine]]] = [
        (crossdock.store.engine, "make_engine", original),
        (crossdock.cli.db, "make_engine", crossdock.cli.db.make_engine),
    ]
    for module, name, _ in patched:
        setattr(module, name, recording)
    try:
        yield
    finally:
        for module, name, value in patched:
            setattr(module, name, value)
        for engine in created:
            engine.dispose()


def invoke(*args: str, env: Mapping[str, str] | None = None) -> Result:
    runner = CliRunner()
    with kept_logging_config(), engines_disposed():
        return runner.invoke(app, list(args), env={**WIDE, **(env or {})}, catch_exceptions=False)


def table_cells(output: str) -> list[list[str]]:
    """Every line of the rich tables in `output` (header included), as lists of cell texts."""
    rows = []
    for line in output.splitlines():
        cells = [cell.strip() for cell in line.replace("|", "\u2502").split("\u2502")]
        if len(cells) > 2:
            rows.append(cells[1:-1])
    return rows


def table_rows(output: str) -> list[list[str]]:
    """The body rows of tables whose first column is a numeric id."""
    return [row for row in table_cells(output) if row[0].isdigit()]


def write_config(path: Path, data: Mapping[str, Any]) -> Path:
    path.write_text(yaml.safe_dump(dict(data), sort_keys=False), encoding="utf-8")
    return path
