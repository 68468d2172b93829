"""`crossdock jobs`: queue counts, listing, running until idle, and retention."""

from __future__ import annotations

import asyncio
from typing import Annotated

import typer
from rich.table import Table

from crossdock.cli.common import ConfigOption, console, fail, open_runtime
from crossdock.durations import parse_duration

app = typer.Typer(help="The job queue.", no_args_is_help=True)


@app.command()
def stats(config: ConfigOption = None) -> None:
    """Jobs by type and state."""
    runtime = open_runtime(config)
    table = Table("job type", "state", "jobs")
    for (job_type, status), count in sorted(runtime.queue.counts().items()):
        table.add_row(job_type, status, str(count))
    console.print(table)


@app.command("list")
def list_jobs(
    config: ConfigOption = None,
    status: Annotated[
        str | None, typer.Option(help="queued, waiting, running, done or dead.")
    ] = None,
    job_type: Annotated[str | None, typer.Option("--type")] = None,
    limit: Annotated[int, typer.Option(min=1)] = 50,
) -> None:
    """List jobs, newest first."""
    runtime = open_runtime(config)
    table = Table("id", "type", "state", "lane", "attempts", "run at", "last error")
    for job in runtime.queue.list_jobs(status=status, job_type=job_type, limit=limit):
        table.add_row(
            str(job.id),
            job.job_type,
            job.status,
            job.lane_key or "",
            str(job.attempts),
            job.run_at.isoformat(timespec="seconds"),
            (job.last_error or "")[:80],
        )
    console.print(table)


@app.command()
def run(config: ConfigOption = None) -> None:
    """Run due jobs until none is left, then exit (for cron-style or one-off use)."""
    runtime = open_runtime(config)
    processed = asyncio.run(runtime.worker().run_until_idle())
    console.print(f"ran {processed} job(s)")


@app.command()
def purge(
    older_than: Annotated[str, typer.Option(help="Age of finished jobs to delete, e.g. 30d.")],
    config: ConfigOption = None,
) -> None:
    """Delete finished (done) jobs older than the given age; dead letters are kept."""
    try:
        age = parse_duration(older_than)
    except ValueError as exc:
        raise fail(f"--older-than: {exc}") from None
    runtime = open_runtime(config)
    deleted = runtime.queue.purge_finished(runtime.clock.now() - age)
    console.print(f"purged {deleted} finished job(s) older than {older_than}")
