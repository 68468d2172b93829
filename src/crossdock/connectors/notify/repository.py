"""SQL for subscriptions and the delivery log; every function runs in the caller's transaction."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, delete, insert, select, update

from crossdock.canonical.envelope import Envelope
from crossdock.connectors.notify.model import (
    ACTIVE,
    DISABLED,
    Attempt,
    Delivery,
    Filters,
    Subscription,
)
from crossdock.connectors.notify.settings import SubscriptionConfig
from crossdock.store import audit
from crossdock.store.dialect import insert_ignoring_conflicts
from crossdock.store.schema import notification_deliveries, subscriptions

SYSTEM_ACTOR = "notify"
REMOVED_FROM_CONFIG = "removed from the config file"


class NameTaken(ValueError):
    """Another subscription already has this name."""


def _subscription(row: Row[Any]) -> Subscription:
    return Subscription(
        id=row.id,
        name=row.name,
        url=row.url,
        event_types=tuple(row.event_types),
        filters=Filters.from_json(row.filters),
        secret=row.secret,
        source=row.source,
        status=row.status,
        failure_streak=row.failure_streak,
        created_at=row.created_at,
        updated_at=row.updated_at,
        disabled_reason=row.disabled_reason,
        disabled_at=row.disabled_at,
    )


def _delivery(row: Row[Any]) -> Delivery:
    return Delivery(
        id=row.id,
        subscription_id=row.subscription_id,
        event_id=row.event_id,
        event_type=row.event_type,
        attempt=row.attempt,
        at=row.at,
        outcome=row.outcome,
        status_code=row.status_code,
        error=row.error,
        duration_ms=row.duration_ms,
    )


# -- subscriptions ---------------------------------------------------------------------------


def all_subscriptions(conn: Connection, *, status: str | None = None) -> list[Subscription]:
    query = select(subscriptions).order_by(subscriptions.c.id)
    if status:
        query = query.where(subscriptions.c.status == status)
    return [_subscription(row) for row in conn.execute(query)]


def get(conn: Connection, subscription_id: int) -> Subscription | None:
    row = conn.execute(select(subscriptions).where(subscriptions.c.id == subscription_id)).first()
    return _subscription(row) if row else None


def get_by_name(conn: Connection, name: str) -> Subscription | None:
    row = conn.execute(select(subscriptions).where(subscriptions.c.name == name)).first()
    return _subscription(row) if row else None


def create(
    conn: Connection,
    *,
    name: str,
    url: str,
    event_types: Sequence[str],
    filters: Filters,
    secret: str,
    now: datetime,
    actor: str,
) -> Subscription:
    """Create an API subscription; raises NameTaken when the name is in use."""
    stmt = insert_ignoring_conflicts(conn.dialect.name, subscriptions, "name").values(
        name=name,
        url=url,
        event_types=list(event_types),
        filters=filters.to_json(),
        secret=secret,
        source="api",
        status=ACTIVE,
        failure_streak=0,
        created_at=now,
        updated_at=now,
    )
    row = conn.execute(stmt.returning(subscriptions.c.id)).first()
    if row is None:
        raise NameTaken(f"a subscription named {name!r} already exists")
    audit.append(
        conn,
        at=now,
        actor=actor,
        action="notify.subscription.create",
        target=_target(row.id),
        details={"name": name, "url": url},
    )
    created = get(conn, row.id)
    assert created is not None  # inserted just above, in this transaction
    return created


def remove(conn: Connection, subscription_id: int, *, now: datetime, actor: str) -> bool:
    """Delete a subscription and (by cascade) its delivery log."""
    found = get(conn, subscription_id)
    if found is None:
        return False
    conn.execute(delete(subscriptions).where(subscriptions.c.id == subscription_id))
    audit.append(
        conn,
        at=now,
        actor=actor,
        action="notify.subscription.delete",
        target=_target(subscription_id),
        details={"name": found.name, "url": found.url},
    )
    return True


def set_status(
    conn: Connection,
    subscription_id: int,
    *,
    active: bool,
    now: datetime,
    actor: str,
    reason: str | None = None,
) -> Subscription | None:
    """Enable (with a fresh failure streak) or disable a subscription; audited when it changes."""
    current = get(conn, subscription_id)
    if current is None:
        return None
    if active and not current.active:
        conn.execute(
            update(subscriptions)
            .where(subscriptions.c.id == subscription_id)
            .values(
                status=ACTIVE,
                failure_streak=0,
                disabled_reason=None,
                disabled_at=None,
                updated_at=now,
            )
        )
        audit.append(
            conn,
            at=now,
            actor=actor,
            action="notify.subscription.enable",
            target=_target(subscription_id),
            details={"name": current.name},
        )
    elif not active and current.active:
        disable(
            conn, subscription_id, reason=reason or f"disabled by {actor}", now=now, actor=actor
        )
    return get(conn, subscription_id)


def disable(
    conn: Connection, subscription_id: int, *, reason: str, now: datetime, actor: str
) -> bool:
    """Disable an active subscription; returns False when it was not active (nothing done)."""
    result = conn.execute(
        update(subscriptions)
        .where(subscriptions.c.id == subscription_id, subscriptions.c.status == ACTIVE)
        .values(status=DISABLED, disabled_reason=reason, disabled_at=now, updated_at=now)
    )
    if result.rowcount != 1:
        return False
    audit.append(
        conn,
        at=now,
        actor=actor,
        action="notify.subscription.disable",
        target=_target(subscription_id),
        details={"reason": reason},
    )
    return True


def sync_config(conn: Connection, configured: Sequence[SubscriptionConfig], now: datetime) -> None:
    """Make the table hold the config file's subscriptions, by name; idempotent.

    A changed definition is updated in place (its status, streak and log are kept: an
    endpoint disabled for failing stays disabled until someone enables it). A config row
    whose entry left the file is disabled, not deleted, so its delivery log survives. A name
    already taken by an API subscription is left alone.
    """
    stmt = insert_ignoring_conflicts(conn.dialect.name, subscriptions, "name")
    existing = {sub.name: sub for sub in all_subscriptions(conn)}
    for entry in configured:
        values = {
            "url": entry.url,
            "event_types": list(entry.event_types),
            "filters": Filters.from_json(entry.filters.model_dump()).to_json(),
            "secret": entry.secret,
        }
        current = existing.get(entry.name)
        if current is None:
            conn.execute(
                stmt.values(
                    name=entry.name,
                    source="config",
                    status=ACTIVE,
                    failure_streak=0,
                    created_at=now,
                    updated_at=now,
                    **values,
                )
            )
            continue
        unchanged = (
            current.url == entry.url
            and list(current.event_types) == values["event_types"]
            and current.filters.to_json() == values["filters"]
            and current.secret == entry.secret
        )
        if current.source == "config" and not unchanged:
            conn.execute(
                update(subscriptions)
                .where(subscriptions.c.id == current.id, subscriptions.c.source == "config")
                .values(updated_at=now, **values)
            )
    names = {entry.name for entry in configured}
    for sub in existing.values():
        if sub.source == "config" and sub.name not in names and sub.active:
            disable(conn, sub.id, reason=REMOVED_FROM_CONFIG, now=now, actor=SYSTEM_ACTOR)


# -- the delivery log and the failure streak -------------------------------------------------


def log_attempt(
    conn: Connection,
    subscription_id: int,
    envelope: Envelope,
    attempt: int,
    at: datetime,
    result: Attempt,
) -> None:
    """Append one row to the delivery log, unless the subscription is gone meanwhile."""
    if get(conn, subscription_id) is None:
        return
    conn.execute(
        insert(notification_deliveries).values(
            subscription_id=subscription_id,
            event_id=envelope.id,
            event_type=envelope.type,
            attempt=attempt,
            at=at,
            status_code=result.status_code,
            outcome=result.outcome,
            error=result.error[:2000] if result.error else None,
            duration_ms=result.duration_ms,
        )
    )


def record_success(
    conn: Connection,
    subscription_id: int,
    envelope: Envelope,
    attempt: int,
    at: datetime,
    result: Attempt,
) -> None:
    log_attempt(conn, subscription_id, envelope, attempt, at, result)
    conn.execute(
        update(subscriptions)
        .where(subscriptions.c.id == subscription_id, subscriptions.c.failure_streak != 0)
        .values(failure_streak=0, updated_at=at)
    )


def record_failure(
    conn: Connection,
    subscription_id: int,
    envelope: Envelope,
    attempt: int,
    at: datetime,
    result: Attempt,
    *,
    counts: bool,
    streak_limit: int,
    disable_reason: str | None = None,
) -> str | None:
    """Log a failed attempt and grow the failure streak; returns why the subscription was
    disabled by this failure (the streak reached `streak_limit`, or `disable_reason`)."""
    log_attempt(conn, subscription_id, envelope, attempt, at, result)
    if disable_reason is not None:
        done = disable(conn, subscription_id, reason=disable_reason, now=at, actor=SYSTEM_ACTOR)
        return disable_reason if done else None
    if not counts:
        return None
    conn.execute(
        update(subscriptions)
        .where(subscriptions.c.id == subscription_id)
        .values(failure_streak=subscriptions.c.failure_streak + 1, updated_at=at)
    )
    streak = conn.execute(
        select(subscriptions.c.failure_streak).where(subscriptions.c.id == subscription_id)
    ).scalar()
    if streak is None or streak < streak_limit:
        return None
    reason = f"{streak} consecutive failed deliveries (last: {result.error or 'no detail'})"
    return (
        reason
        if disable(conn, subscription_id, reason=reason, now=at, actor=SYSTEM_ACTOR)
        else None
    )


def deliveries(conn: Connection, subscription_id: int, *, limit: int = 50) -> list[Delivery]:
    """An endpoint's delivery log, newest first."""
    query = (
        select(notification_deliveries)
        .where(notification_deliveries.c.subscription_id == subscription_id)
        .order_by(notification_deliveries.c.id.desc())
        .limit(limit)
    )
    return [_delivery(row) for row in conn.execute(query)]


def _target(subscription_id: int) -> str:
    return f"subscription:{subscription_id}"
