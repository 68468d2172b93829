"""`crossdock mappings test`: a changed mapping replayed on a partner's stored messages, dry."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any

import orjson
import typer

from crossdock.cli.common import ConfigOption, console, fail, open_runtime, since_option
from crossdock.connectors.catalog import connector_for
from crossdock.pipeline.dry_run import (
    CandidateError,
    MappingUnderTest,
    Report,
    candidate_from_file,
    candidate_from_reference,
    compare,
    stored_messages,
)
from crossdock.security.redaction import redact

app = typer.Typer(help="Partner mappings.", no_args_is_help=True)


def _short(value: Any, width: int = 60) -> str:
    text = orjson.dumps(value).decode() if not isinstance(value, str) else repr(value)
    return text if len(text) <= width else text[: width - 1] + "…"


def _examples(report: Report, personal_data: bool) -> None:
    """Examples are partner data: secrets never shown, personal data only on request."""
    for kind in report.by_type.values():
        for path, found in kind.examples.items():
            kind.examples[path] = [
                replace(
                    example,
                    before=redact(example.before, personal_data=personal_data),
                    after=redact(example.after, personal_data=personal_data),
                )
                for example in found
            ]


def _print(report: Report, partner: str) -> None:
    console.print(
        f"{report.messages} stored message(s) of {partner} replayed; "
        f"{report.changed_events} event(s) would differ",
        highlight=False,
    )
    for event_type, kind in sorted(report.by_type.items()):
        console.print(
            f"\n[bold]{event_type}[/]: {kind.events} event(s), {kind.changed} would change, "
            f"{kind.added} new, {kind.removed} gone",
            highlight=False,
        )
        for path, count in kind.fields.most_common():
            console.print(f"  {path}: {count} event(s)", markup=False, highlight=False)
            for example in kind.examples[path]:
                console.print(
                    f"    message {example.message_id} event {example.event_id}: "
                    f"{_short(example.before)} → "
                    f"{_short(example.after)}",
                    markup=False,
                    highlight=False,
                )
    if report.newly_failing:
        console.print(f"\n{len(report.newly_failing)} message(s) would no longer map:")
        for message_id, error in report.newly_failing[:10]:
            console.print(f"  {message_id}: {error}", markup=False, highlight=False)
    if report.newly_mapping:
        console.print(f"\n{len(report.newly_mapping)} message(s) failing now would map:")
        for message_id, error in report.newly_mapping[:10]:
            console.print(f"  {message_id} (was: {error})", markup=False, highlight=False)
    if report.failing_both:
        console.print(f"\n{report.failing_both} message(s) fail with both mappings")


def _as_json(report: Report) -> dict[str, Any]:
    return {
        "messages": report.messages,
        "event_types": {
            event_type: {
                "events": kind.events,
                "changed": kind.changed,
                "added": kind.added,
                "removed": kind.removed,
                "fields": dict(kind.fields),
                "examples": {
                    path: [example.__dict__ for example in found]
                    for path, found in kind.examples.items()
                },
            }
            for event_type, kind in sorted(report.by_type.items())
        },
        "newly_failing": [{"message_id": m, "error": e} for m, e in report.newly_failing],
        "newly_mapping": [{"message_id": m, "error": e} for m, e in report.newly_mapping],
        "failing_both": report.failing_both,
    }


@app.command("test")
def try_mapping(
    partner: Annotated[str, typer.Option(help="Partner id whose stored messages to replay.")],
    mapping: Annotated[
        str,
        typer.Option(
            help="The changed mapping: a YAML file of the partner's settings, or a translate "
            "function as package.module:function."
        ),
    ],
    config: ConfigOption = None,
    since: Annotated[str | None, typer.Option(help="Messages since: 7d, 2h or ISO 8601.")] = None,
    limit: Annotated[int, typer.Option(min=1, help="At most this many messages.")] = 100_000,
    as_json: Annotated[bool, typer.Option("--json", help="The report as one JSON object.")] = False,
    personal_data: Annotated[
        bool, typer.Option(help="Show personal data in examples (masked by default).")
    ] = False,
) -> None:
    """Replay stored messages through the current and the changed mapping (nothing is
    written) and print, per event type, what would change."""
    runtime = open_runtime(config)
    partner_config = runtime.config.partner(partner)
    if partner_config is None:
        raise fail(f"--partner: no partner {partner!r} in the config")
    connector = connector_for(partner_config.kind)
    if connector.enrich is not None:
        raise fail(
            f"the {connector.kind} connector reads the partner's live system before mapping; "
            "a dry run over stored messages cannot reproduce that"
        )
    since_at = since_option(since, runtime)
    try:
        if Path(mapping).exists() or ":" not in mapping:
            candidate = candidate_from_file(connector, Path(mapping))
        else:
            candidate = candidate_from_reference(mapping, partner_config.settings)
    except CandidateError as exc:
        raise fail(f"--mapping {exc}") from None
    current = MappingUnderTest(connector.translate, partner_config.settings)
    with runtime.store.engine.connect() as conn:
        report = compare(stored_messages(conn, partner, since_at, limit), current, candidate)
    _examples(report, personal_data)
    if as_json:
        console.print(orjson.dumps(_as_json(report), default=str).decode(), markup=False)
    else:
        _print(report, partner)
