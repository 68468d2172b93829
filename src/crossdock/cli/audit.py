"""`crossdock audit`: verify the hash chain, sign checkpoints, export entries as JSON lines."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import orjson
import typer

from crossdock.cli.common import ConfigOption, console, errors, fail, open_runtime, since_option
from crossdock.runtime import Runtime
from crossdock.security.audit_verify import Anchor, checkpoint, verify
from crossdock.security.redaction import redact
from crossdock.security.secrets import SecretError
from crossdock.store import audit

app = typer.Typer(help="The tamper-evident audit trail.")

AnchorOption = Annotated[
    Path | None,
    typer.Option(help="A head written by `audit checkpoint --out`, kept outside the database."),
]


def _key(runtime: Runtime) -> bytes | None:
    try:
        return runtime.config.security.audit_key_bytes()
    except SecretError as exc:
        raise fail(f"security.audit_key: {exc}") from None


def _read_anchor(path: Path) -> Anchor:
    try:
        document = orjson.loads(path.read_bytes())
        return Anchor(
            seq=int(document["seq"]),
            hash=str(document["hash"]),
            signature=document.get("signature"),
            origin=f"anchor {path}",
        )
    except (OSError, orjson.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
        raise fail(f"--anchor {path}: not a checkpoint file ({exc})") from None


@app.command("verify")
def verify_command(config: ConfigOption = None, anchor: AnchorOption = None) -> None:
    """Recompute every hash; exit 1 naming the first edited, deleted, inserted, reordered or
    truncated entry."""
    runtime = open_runtime(config)
    anchors = [_read_anchor(anchor)] if anchor else []
    with runtime.store.engine.connect() as conn:
        report = verify(conn, key=_key(runtime), anchors=anchors)
    for warning in report.warnings:
        errors.print(f"warning: {warning}", markup=False, highlight=False)
    if report.broken is not None:
        errors.print(
            f"audit chain broken ({report.broken.kind}): {report.broken.detail}",
            markup=False,
            highlight=False,
        )
        raise typer.Exit(1)
    head = report.head
    console.print(
        f"audit chain ok: {report.entries} entries, head seq {head.seq if head else 0}, "
        f"{report.checkpoints} checkpoint(s)",
        highlight=False,
    )


@app.command("checkpoint")
def checkpoint_command(
    config: ConfigOption = None,
    out: Annotated[
        Path | None, typer.Option(help="Also write the signed head to this file (an anchor).")
    ] = None,
) -> None:
    """Sign the current head with security.audit_key and keep it (run it from cron)."""
    runtime = open_runtime(config)
    key = _key(runtime)
    if key is None:
        raise fail("security.audit_key is not set: checkpoints need a key to sign with")
    with runtime.store.transaction() as conn:
        signed = checkpoint(conn, key, runtime.clock)
    document = {"seq": signed.seq, "hash": signed.hash, "signature": signed.signature}
    if out is not None:
        out.write_bytes(orjson.dumps(document) + b"\n")
    console.print(f"checkpoint at seq {signed.seq}", highlight=False)


@app.command("export")
def export_command(
    config: ConfigOption = None,
    since: Annotated[
        str | None, typer.Option(help="Entries since: 2h, 7d or an ISO 8601 time.")
    ] = None,
    out: Annotated[Path | None, typer.Option(help="File to write (default: stdout).")] = None,
    personal_data: Annotated[
        bool, typer.Option(help="Keep personal data (masked by default, secrets always).")
    ] = False,
) -> None:
    """Write entries, in chain order, as JSON lines (one object per entry).

    An entry the redaction policy changed says `"redacted": true`: its hash covers the
    original, so verify such entries in the database (`audit verify`), not in the export.
    """
    runtime = open_runtime(config)
    since_at = since_option(since, runtime)
    target = out.open("wb") if out else sys.stdout.buffer
    count = 0
    try:
        with runtime.store.engine.connect() as conn:
            for entry in audit.chain(conn, since=since_at):
                document = entry.public()
                shown = redact(document, personal_data=personal_data)
                if shown != document:
                    shown["redacted"] = True
                target.write(orjson.dumps(shown) + b"\n")
                count += 1
    finally:
        if out:
            target.close()
        else:
            target.flush()
    if out:
        console.print(f"{count} entries written to {out}", highlight=False)
