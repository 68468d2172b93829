"""`crossdock keys`: API keys of identities, shown once, rotated with an overlap window."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

import typer
from rich.table import Table

from crossdock.cli.common import ConfigOption, actor, console, errors, fail, open_runtime
from crossdock.durations import parse_duration
from crossdock.security import api_keys
from crossdock.security.api_keys import ApiKeyError, IssuedKey
from crossdock.security.identities import IdentityError

app = typer.Typer(help="API keys: create, list, revoke, rotate.")

ExpiresOption = Annotated[
    str | None, typer.Option("--expires-in", help="Lifetime, e.g. 90d (default: no expiry).")
]


def _duration(text: str | None, option: str) -> timedelta | None:
    if text is None:
        return None
    try:
        return parse_duration(text)
    except ValueError as exc:
        raise fail(f"{option}: {exc}") from None


def _show_once(issued: IssuedKey) -> None:
    console.print(issued.secret, highlight=False, markup=False)
    errors.print(
        f"key {issued.key_id} for {issued.identity}"
        + (f", expires {issued.expires_at.isoformat()}" if issued.expires_at else "")
        + ": shown once, only its hash is kept",
        highlight=False,
        markup=False,
    )


@app.command()
def create(identity: str, config: ConfigOption = None, expires_in: ExpiresOption = None) -> None:
    """Make a key for an identity and print it (once: only its hash is stored)."""
    runtime = open_runtime(config)
    lifetime = _duration(expires_in, "--expires-in")
    try:
        with runtime.store.transaction() as conn:
            issued = api_keys.create(
                conn, identity, now=runtime.clock.now(), actor=actor(), expires_in=lifetime
            )
    except IdentityError as exc:
        raise fail(str(exc)) from None
    _show_once(issued)


@app.command("list")
def list_keys(
    config: ConfigOption = None,
    identity: Annotated[str | None, typer.Option(help="Only this identity's keys.")] = None,
) -> None:
    """List keys (ids and states, never secrets)."""
    runtime = open_runtime(config)
    now = runtime.clock.now()
    with runtime.store.engine.connect() as conn:
        found = api_keys.list_keys(conn, identity)
    table = Table("key", "identity", "state", "created", "expires", "replaced by")
    for key in found:
        table.add_row(
            key.key_id,
            key.identity,
            key.state(now),
            key.created_at.isoformat(timespec="seconds"),
            key.expires_at.isoformat(timespec="seconds") if key.expires_at else "",
            key.replaced_by or "",
        )
    console.print(table)


@app.command()
def revoke(key_id: str, config: ConfigOption = None) -> None:
    """Revoke a key at once (audited)."""
    runtime = open_runtime(config)
    try:
        with runtime.store.transaction() as conn:
            api_keys.revoke(conn, key_id, now=runtime.clock.now(), actor=actor())
    except ApiKeyError as exc:
        raise fail(str(exc)) from None
    console.print(f"key {key_id} revoked", highlight=False)


@app.command()
def rotate(
    key_id: str,
    config: ConfigOption = None,
    overlap: Annotated[
        str | None,
        typer.Option(
            help="How long the old key keeps working (default: security.key_rotation_overlap)."
        ),
    ] = None,
    expires_in: ExpiresOption = None,
) -> None:
    """Make a replacement key; the old one works until the overlap window closes."""
    runtime = open_runtime(config)
    window = _duration(overlap, "--overlap") or runtime.config.security.key_rotation_overlap
    lifetime = _duration(expires_in, "--expires-in")
    try:
        with runtime.store.transaction() as conn:
            issued = api_keys.rotate(
                conn,
                key_id,
                now=runtime.clock.now(),
                actor=actor(),
                overlap=window,
                expires_in=lifetime,
            )
    except ApiKeyError as exc:
        raise fail(str(exc)) from None
    _show_once(issued)
    errors.print(f"key {key_id} keeps working for {window}", highlight=False, markup=False)
