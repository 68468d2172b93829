"""`crossdock contracts`: which versions each connector produces, documents checked against
their schema version, and breaking changes between two schema sets."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import orjson
import typer
from rich.table import Table

from crossdock.canonical.contract_diff import SchemaSetError, diff_sets, load_schema_set
from crossdock.canonical.contract_validation import schema_errors
from crossdock.cli.common import console, errors, fail
from crossdock.connectors.catalog import CONNECTORS

app = typer.Typer(help="Versioned canonical contracts.", no_args_is_help=True)


@app.command("list")
def list_contracts() -> None:
    """The event types and versions each connector kind declares it produces."""
    table = Table("connector", "produces")
    for kind, connector in sorted(CONNECTORS.items()):
        declared = connector.produces
        table.add_row(kind, "\n".join(sorted(declared)) if declared is not None else "(undeclared)")
    console.print(table)


@app.command()
def diff(
    old: Annotated[Path, typer.Argument(help="Folder of the published schemas.")],
    new: Annotated[Path, typer.Argument(help="Folder of the schemas to publish.")],
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per change.")] = False,
) -> None:
    """Report breaking and non-breaking changes; exit 1 if anything breaks."""
    try:
        changes = diff_sets(load_schema_set(old), load_schema_set(new))
    except SchemaSetError as exc:
        raise fail(str(exc)) from None
    breaking = [change for change in changes if change.severity == "breaking"]
    if as_json:
        for change in changes:
            console.print(orjson.dumps(change.public()).decode(), markup=False, highlight=False)
    else:
        for change in changes:
            label = "BREAKING    " if change.severity == "breaking" else "non-breaking"
            console.print(
                f"{label} {change.contract} {change.path}: {change.what}",
                markup=False,
                highlight=False,
            )
        console.print(
            f"{len(breaking)} breaking, {len(changes) - len(breaking)} non-breaking change(s)"
        )
    if breaking:
        raise typer.Exit(1)


@app.command()
def validate(
    files: Annotated[list[Path], typer.Argument(help="Events as JSON, or JSON lines.")],
) -> None:
    """Check events against the JSON Schema of their type and version; exit 1 on any error."""
    failures = 0
    checked = 0
    for path in files:
        try:
            text = path.read_bytes()
        except OSError as exc:
            raise fail(f"{path}: {exc.strerror}") from None
        lines = text.splitlines() if path.suffix == ".jsonl" else [text]
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            where = f"{path}:{number}" if path.suffix == ".jsonl" else str(path)
            checked += 1
            try:
                document = orjson.loads(line)
            except orjson.JSONDecodeError as exc:
                errors.print(f"{where}: not JSON ({exc})", markup=False, highlight=False)
                failures += 1
                continue
            problems = schema_errors(document)
            failures += bool(problems)
            for problem in problems:
                errors.print(f"{where}: {problem}", markup=False, highlight=False)
    console.print(f"{checked - failures} of {checked} event(s) conform", highlight=False)
    if failures:
        raise typer.Exit(1)
