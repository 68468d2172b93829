"""`crossdock dlq`: dead-lettered jobs, their errors, and replay."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from crossdock.cli.common import ConfigOption, actor, console, fail, open_runtime, since_option
from crossdock.store.jobs import Job

app = typer.Typer(help="Dead letters: jobs that ran out of attempts or failed for good.")

TypeOption = Annotated[str | None, typer.Option("--type", help="Job type.")]
PartnerOption = Annotated[str | None, typer.Option(help="Partner id.")]
SinceOption = Annotated[str | None, typer.Option(help="Dead since: 2h, 7d or an ISO 8601 time.")]


def _table(jobs: list[Job]) -> Table:
    table = Table("id", "type", "partner", "lane", "attempts", "dead since", "last error")
    for job in jobs:
        table.add_row(
            str(job.id),
            job.job_type,
            job.partner or "",
            job.lane_key or "",
            str(job.attempts),
            job.finished_at.isoformat(timespec="seconds") if job.finished_at else "",
            (job.last_error or "")[:120],
        )
    return table


@app.command("list")
def list_dead(
    config: ConfigOption = None,
    job_type: TypeOption = None,
    partner: PartnerOption = None,
    since: SinceOption = None,
) -> None:
    """List dead-lettered jobs."""
    runtime = open_runtime(config)
    since_at = since_option(since, runtime)
    jobs = runtime.queue.dead_jobs(job_type=job_type, partner=partner, since=since_at)
    console.print(_table(jobs))
    console.print(f"{len(jobs)} dead letter(s)")


@app.command()
def show(job_id: int, config: ConfigOption = None) -> None:
    """Show a dead letter: error, traceback, attempts and the message it came from."""
    runtime = open_runtime(config)
    job = runtime.queue.get(job_id)
    if job is None:
        raise fail(f"no job {job_id}")
    console.print(f"[bold]job[/] {job.id} {job.job_type} ({job.status})")
    console.print(f"attempts  {job.attempts}")
    console.print(f"lane      {job.lane_key or '-'}")
    console.print(f"partner   {job.partner or '-'}")
    console.print(f"payload   {job.payload}", markup=False)
    console.print(f"error     {job.last_error or '-'}", markup=False)
    if job.last_traceback:
        console.print("traceback:")
        console.print(job.last_traceback, markup=False, highlight=False)
    if job.message_id:
        message = runtime.inbox.get(job.message_id)
        if message is not None:
            console.print(f"message   {message.id} ({message.status}) from {message.partner}")
            console.print(
                message.body.decode("utf-8", errors="replace")[:2000],
                markup=False,
                highlight=False,
            )


@app.command()
def replay(
    job_ids: Annotated[list[int] | None, typer.Argument(help="Dead job ids.")] = None,
    config: ConfigOption = None,
    job_type: TypeOption = None,
    partner: PartnerOption = None,
    since: SinceOption = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Print what would run.")] = False,
) -> None:
    """Re-enqueue dead jobs with fresh attempts, by id or by filter; each replay is audited."""
    runtime = open_runtime(config)
    ids = list(job_ids or [])
    has_filter = job_type is not None or partner is not None or since is not None
    if ids and has_filter:
        raise fail("give job ids or filters (--type, --partner, --since), not both")
    if not ids and not has_filter:
        raise fail("give job ids, or at least one filter (--type, --partner, --since)")
    if has_filter:
        since_at = since_option(since, runtime)
        selected = runtime.queue.dead_jobs(job_type=job_type, partner=partner, since=since_at)
    else:
        found = [runtime.queue.get(job_id) for job_id in ids]
        selected = [job for job in found if job is not None]
        missing = sorted(set(ids) - {job.id for job in selected})
        if missing:
            raise fail(f"no job with id {', '.join(map(str, missing))}")
    if dry_run:
        console.print(_table(selected))
        console.print(f"dry run: {len(selected)} job(s) would be replayed")
        return
    result = runtime.queue.replay([job.id for job in selected], runtime.clock.now(), actor())
    for job_id, reason in result.skipped.items():
        console.print(f"skipped {job_id}: {reason}")
    console.print(f"replayed {len(result.replayed)} job(s)")
    if result.skipped and not result.replayed:
        raise typer.Exit(1)
