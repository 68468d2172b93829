"""`crossdock identities`: machine identities and the scopes granted to them."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from crossdock.cli.common import ConfigOption, actor, console, fail, open_runtime
from crossdock.security import identities
from crossdock.security.identities import IdentityError
from crossdock.security.scopes import ScopeError

app = typer.Typer(help="Machine identities (partners, services, dashboard users) and scopes.")

ScopesArgument = Annotated[
    list[str],
    typer.Argument(help="Scopes, e.g. webhooks:write:acme messages:read:acme role:viewer."),
]


@app.command()
def create(
    name: str,
    config: ConfigOption = None,
    kind: Annotated[str, typer.Option(help="partner, service or user.")] = "service",
    description: Annotated[str | None, typer.Option(help="What the identity is for.")] = None,
) -> None:
    """Create an identity; it holds no scope until one is granted."""
    runtime = open_runtime(config)
    try:
        with runtime.store.transaction() as conn:
            identities.create(
                conn,
                name=name,
                kind=kind,
                now=runtime.clock.now(),
                actor=actor(),
                description=description,
            )
    except IdentityError as exc:
        raise fail(str(exc)) from None
    console.print(f"identity {name} created ({kind}), no scopes yet", highlight=False)


@app.command("list")
def list_identities(config: ConfigOption = None) -> None:
    """List identities and their scopes."""
    runtime = open_runtime(config)
    with runtime.store.engine.connect() as conn:
        found = identities.all_identities(conn)
    table = Table("name", "kind", "scopes", "created", "description")
    for identity in found:
        table.add_row(
            identity.name,
            identity.kind,
            " ".join(identity.scopes) or "-",
            identity.created_at.isoformat(timespec="seconds"),
            identity.description or "",
        )
    console.print(table)
    console.print(f"{len(found)} identit{'y' if len(found) == 1 else 'ies'}")


@app.command()
def grant(name: str, scopes: ScopesArgument, config: ConfigOption = None) -> None:
    """Grant scopes to an identity (audited)."""
    runtime = open_runtime(config)
    try:
        with runtime.store.transaction() as conn:
            changed = identities.grant(conn, name, scopes, now=runtime.clock.now(), actor=actor())
    except (IdentityError, ScopeError) as exc:
        raise fail(str(exc)) from None
    console.print(f"{name}: {' '.join(changed.scopes)}", highlight=False, markup=False)


@app.command()
def revoke(name: str, scopes: ScopesArgument, config: ConfigOption = None) -> None:
    """Take scopes away from an identity (audited)."""
    runtime = open_runtime(config)
    try:
        with runtime.store.transaction() as conn:
            changed = identities.revoke(conn, name, scopes, now=runtime.clock.now(), actor=actor())
    except IdentityError as exc:
        raise fail(str(exc)) from None
    console.print(f"{name}: {' '.join(changed.scopes) or '-'}", highlight=False, markup=False)
