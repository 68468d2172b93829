"""The `crossdock` command."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from crossdock.checks import check_config
from crossdock.cli import audit as audit_cli
from crossdock.cli import contracts as contracts_cli
from crossdock.cli import db, dlq, jobs, messages, outbound, sandbox, schema, subscriptions
from crossdock.cli import identities as identities_cli
from crossdock.cli import keys as keys_cli
from crossdock.cli import mappings as mappings_cli
from crossdock.cli import partners as partners_cli
from crossdock.cli.common import ConfigOption, console, errors
from crossdock.cli.procurement import app as procurement_app
from crossdock.cli.server import serve, worker
from crossdock.config import config_path
from crossdock.demo import run_demo
from crossdock.security.environments import ENV_VAR

app = typer.Typer(
    name="crossdock",
    help="Crossdock: the integration hub between Odoo and the logistics platforms around it.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


@app.callback()
def choose_environment(
    env: Annotated[
        str | None,
        typer.Option(
            "--env",
            help="Environment (dev, test, prod): reads crossdock.<env>.yaml over the config "
            f"file (default: ${ENV_VAR}).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Crossdock: the integration hub between Odoo and the logistics platforms around it."""
    if env is not None:
        # Through the process environment, so uvicorn's worker processes read the same one.
        os.environ[ENV_VAR] = env


app.command()(serve)
app.command()(worker)
app.add_typer(db.app, name="db")
app.add_typer(messages.app, name="messages")
app.add_typer(dlq.app, name="dlq")
app.add_typer(jobs.app, name="jobs")
app.add_typer(schema.app, name="schema")
app.add_typer(sandbox.app, name="sandbox")
app.add_typer(subscriptions.app, name="subscriptions")
app.add_typer(audit_cli.app, name="audit")
app.add_typer(identities_cli.app, name="identities")
app.add_typer(keys_cli.app, name="keys")
app.add_typer(contracts_cli.app, name="contracts")
app.add_typer(mappings_cli.app, name="mappings")
app.add_typer(outbound.app, name="outbound")
app.add_typer(procurement_app, name="procurement")
app.add_typer(partners_cli.app, name="partners")


@app.command()
def check(config: ConfigOption = None) -> None:
    """Validate the config file and every secret reference; print each problem with its place."""
    path = config_path(config)
    problems = check_config(path)
    for problem in problems:
        errors.print(f"{path}: {problem}", markup=False, highlight=False)
    if problems:
        raise typer.Exit(1)
    console.print(f"{path}: ok")


@app.command()
def demo(
    workdir: Annotated[
        Path, typer.Option(help="Folder for the demo's SQLite database and config.")
    ] = Path(".crossdock-demo"),
    messages_count: Annotated[int, typer.Option("--messages", min=1)] = 200,
    orders: Annotated[
        int, typer.Option(min=0, help="Orders carried from Odoo to invoice (0: skip that part).")
    ] = 200,
    serve: Annotated[
        bool, typer.Option(help="Keep the dashboard up over the demo's store afterwards.")
    ] = False,
    port: Annotated[int, typer.Option(min=1, max=65535, help="The dashboard's port.")] = 8080,
) -> None:
    """Run the pipeline end to end on SQLite: partner webhooks through intake, then orders
    from the Odoo sandbox through the WMS sandbox and the carrier to their invoice."""
    raise typer.Exit(run_demo(workdir, messages_count, orders, serve=serve, port=port))


def main() -> None:
    app()
