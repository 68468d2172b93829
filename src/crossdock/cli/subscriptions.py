"""`crossdock subscriptions`: outbound notification endpoints, their health and delivery log."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from crossdock.cli.common import ConfigOption, actor, console, fail, open_runtime
from crossdock.connectors.notify.model import Subscription
from crossdock.connectors.notify.service import SubscriptionService

app = typer.Typer(help="Notification subscriptions: endpoints, health and delivery log.")

KeyArgument = Annotated[str, typer.Argument(help="Subscription id or name.")]


def _service(config: ConfigOption) -> SubscriptionService:
    runtime = open_runtime(config)
    return SubscriptionService(runtime.store, runtime.config.notifications, runtime.clock)


def _find(service: SubscriptionService, key: str) -> Subscription:
    found = service.get(key)
    if found is None:
        raise fail(f"no subscription {key!r}")
    return found


@app.command("list")
def list_subscriptions(config: ConfigOption = None) -> None:
    """List subscriptions with their status and failure streak."""
    found = _service(config).all()
    table = Table("id", "name", "source", "status", "streak", "url", "event types")
    for sub in found:
        table.add_row(
            str(sub.id),
            sub.name,
            sub.source,
            sub.status,
            str(sub.failure_streak),
            sub.url,
            ", ".join(sub.event_types),
        )
    console.print(table)
    console.print(f"{len(found)} subscription(s)")


@app.command()
def show(key: KeyArgument, config: ConfigOption = None) -> None:
    """Show one subscription (never its secret)."""
    sub = _find(_service(config), key)
    for name, value in sub.public().items():
        console.print(f"{name:<16}{value if value is not None else '-'}", markup=False)


@app.command()
def enable(key: KeyArgument, config: ConfigOption = None) -> None:
    """Enable a subscription with a fresh failure streak (then replay its dead letters with
    `crossdock dlq replay --type notify.deliver`)."""
    service = _service(config)
    sub = _find(service, key)
    service.set_status(sub.id, active=True, actor=actor())
    console.print(f"subscription {sub.id} ({sub.name}) enabled")


@app.command()
def disable(
    key: KeyArgument,
    config: ConfigOption = None,
    reason: Annotated[str | None, typer.Option(help="Why, for the audit trail.")] = None,
) -> None:
    """Disable a subscription: its deliveries dead-letter until it is enabled again."""
    service = _service(config)
    sub = _find(service, key)
    service.set_status(sub.id, active=False, actor=actor(), reason=reason)
    console.print(f"subscription {sub.id} ({sub.name}) disabled")


@app.command()
def deliveries(
    key: KeyArgument,
    config: ConfigOption = None,
    limit: Annotated[int, typer.Option(min=1, max=1000, help="Newest entries.")] = 50,
) -> None:
    """The delivery log of one subscription, newest first."""
    service = _service(config)
    sub = _find(service, key)
    log = service.deliveries(sub.id, limit) or []
    table = Table("at", "event", "type", "attempt", "outcome", "status", "ms", "error")
    for entry in log:
        table.add_row(
            entry.at.isoformat(timespec="seconds"),
            entry.event_id,
            entry.event_type,
            str(entry.attempt),
            entry.outcome,
            str(entry.status_code or ""),
            str(entry.duration_ms if entry.duration_ms is not None else ""),
            (entry.error or "")[:120],
        )
    console.print(table)
    console.print(f"{len(log)} delivery log entr{'y' if len(log) == 1 else 'ies'}")
