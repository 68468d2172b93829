"""`crossdock messages`: what partners sent, as stored, and what became of it."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from crossdock.cli.common import ConfigOption, console, fail, open_runtime, since_option
from crossdock.store import events

app = typer.Typer(help="Stored partner messages.", no_args_is_help=True)


@app.command("list")
def list_messages(
    config: ConfigOption = None,
    status: Annotated[str | None, typer.Option(help="received, translated or failed.")] = None,
    partner: Annotated[str | None, typer.Option(help="Partner id.")] = None,
    since: Annotated[str | None, typer.Option(help="2h, 7d or an ISO 8601 time.")] = None,
    limit: Annotated[int, typer.Option(min=1)] = 50,
) -> None:
    """List messages, newest first."""
    runtime = open_runtime(config)
    since_at = since_option(since, runtime)
    rows = runtime.inbox.list(status=status, partner=partner, since=since_at, limit=limit)
    table = Table("id", "partner", "received", "status", "partner message id", "error")
    for row in rows:
        table.add_row(
            row.id,
            row.partner,
            row.received_at.isoformat(timespec="seconds"),
            row.status,
            row.dedup_key,
            row.error or "",
        )
    console.print(table)
    console.print(f"{len(rows)} message(s)")


@app.command()
def show(message_id: str, config: ConfigOption = None) -> None:
    """Show one message: headers (credentials redacted), body, status, and its events."""
    runtime = open_runtime(config)
    message = runtime.inbox.get(message_id)
    if message is None:
        raise fail(f"no message {message_id}")
    console.print(f"[bold]message[/] {message.id} from [bold]{message.partner}[/]")
    console.print(f"received  {message.received_at.isoformat()}")
    console.print(f"status    {message.status}  (answered {message.response_status})")
    console.print(f"msg id    {message.dedup_key}")
    if message.error:
        console.print(f"error     {message.error}", markup=False)
    console.print("headers:")
    for name, value in sorted(message.headers.items()):
        console.print(f"  {name}: {value}", markup=False, highlight=False)
    console.print("body:")
    console.print(message.body.decode("utf-8", errors="replace"), markup=False, highlight=False)
    for envelope in events.for_message(runtime.store, message.id):
        console.print(f"event {envelope.id} {envelope.type} subject={envelope.subject}")
