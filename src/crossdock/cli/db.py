"""`crossdock db`: migrations."""

from __future__ import annotations

import typer

from crossdock.cli.common import ConfigOption, console, load
from crossdock.store import migrate
from crossdock.store.engine import make_engine

app = typer.Typer(help="Database schema and migrations.", no_args_is_help=True)


@app.command()
def upgrade(config: ConfigOption = None) -> None:
    """Migrate the database to the newest schema (safe to run again)."""
    settings = load(config)
    engine = make_engine(settings.database.url)
    before = migrate.current_revision(engine)
    migrate.upgrade(engine)
    after = migrate.current_revision(engine)
    console.print(f"database at revision {after} (was {before or 'empty'})")


@app.command()
def current(config: ConfigOption = None) -> None:
    """Print the database's revision and whether it is the newest."""
    engine = make_engine(load(config).database.url)
    revision = migrate.current_revision(engine)
    head = migrate.head_revision()
    state = "current" if revision == head else f"behind (newest is {head})"
    console.print(f"revision {revision or 'none'}: {state}")
