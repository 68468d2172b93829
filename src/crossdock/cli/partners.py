"""`crossdock partners status`: each partner endpoint's breaker, rate bucket, bulkhead, backlog."""

from __future__ import annotations

from typing import Annotated

import orjson
import typer
from rich.table import Table

from crossdock.cli.common import ConfigOption, console, open_runtime
from crossdock.resilience.status import EndpointStatus, endpoint_statuses

app = typer.Typer(help="Partner endpoints: circuit breakers, rate limits, bulkheads.")

BREAKER_STYLE = {"closed": "green", "half_open": "yellow", "open": "bold red"}


def _breaker(status: EndpointStatus) -> str:
    style = BREAKER_STYLE.get(status.breaker, "")
    text = f"[{style}]{status.breaker}[/]"
    if status.retry_at is not None:
        text += f" until {status.retry_at.isoformat(timespec='seconds')}"
    return text


def _rate(status: EndpointStatus) -> str:
    if status.rate_per_second is None or status.tokens is None:
        return "-"
    return f"{status.tokens:.1f} tokens @ {status.rate_per_second:g}/s"


@app.command()
def status(
    config: ConfigOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per endpoint.")] = False,
) -> None:
    """Every partner endpoint the jobs call, as all workers on this database see it."""
    runtime = open_runtime(config)
    statuses = endpoint_statuses(runtime.store, runtime.config.resilience, runtime.clock.now())
    if as_json:
        for item in statuses:
            console.print_json(orjson.dumps(item.as_json()).decode())
        return
    table = Table(
        "endpoint", "breaker", "failures", "paused until", "rate", "running", "queued", "waiting",
        "last error",
    )  # fmt: skip
    for item in statuses:
        limit = f"/{item.concurrency}" if item.concurrency is not None else ""
        table.add_row(
            item.resource,
            _breaker(item),
            f"{item.consecutive_failures} in a row, {item.window_failures}/{item.window_calls}",
            item.paused_until.isoformat(timespec="seconds") if item.paused_until else "-",
            _rate(item),
            f"{item.running}{limit}",
            str(item.queued),
            str(item.waiting),
            (item.last_error or "")[:60],
            style="red" if item.degraded else None,
        )
    console.print(table)
    if not statuses:
        console.print("no partner endpoint has been called yet")
