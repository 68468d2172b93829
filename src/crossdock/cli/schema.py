"""`crossdock schema export`: the canonical contracts as JSON Schema files."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from crossdock.canonical.schema_export import export_schemas
from crossdock.cli.common import console

app = typer.Typer(help="Canonical event contracts.", no_args_is_help=True)


@app.command()
def export(
    directory: Annotated[Path, typer.Argument(help="Folder to write the schemas into.")],
) -> None:
    """Write one JSON Schema per event type, plus the envelope's."""
    written = export_schemas(directory)
    for path in written:
        console.print(str(path))
    console.print(f"{len(written)} schema(s) written to {directory}")
