"""`crossdock sandbox`: simulators of the systems around Crossdock, for demos and tests."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from crossdock.sandbox.odoo import SUPPORTED_VERSIONS
from crossdock.sandbox.odoo.server import serve

app = typer.Typer(help="Simulators (not the real systems) for demos and tests.")


@app.command()
def odoo(
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8069,
    host: Annotated[str, typer.Option(help="Bind address.")] = "127.0.0.1",
    db: Annotated[Path | None, typer.Option(help="SQLite file that keeps its data.")] = None,
    version: Annotated[int, typer.Option(help="Odoo version to behave as.")] = 18,
) -> None:
    """Serve a simulated Odoo (JSON-RPC, and JSON-2 on 19) with seeded demo data."""
    if version not in SUPPORTED_VERSIONS:
        known = ", ".join(str(v) for v in SUPPORTED_VERSIONS)
        raise typer.BadParameter(f"version {version} is not simulated (choose {known})")
    serve(port=port, version=version, db_path=db, host=host)
