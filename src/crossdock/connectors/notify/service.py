"""Subscription management as the API and the CLI share it: blocking calls, one transaction each.

Every read first makes sure the config file's subscriptions are in the table, and every
change drops this process's fan-out cache so the next event sees it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from crossdock.clock import Clock
from crossdock.connectors.notify import directory, repository, signing
from crossdock.connectors.notify.model import Delivery, Filters, Subscription
from crossdock.connectors.notify.settings import NotificationsConfig
from crossdock.store.engine import Store

Removal = Literal["deleted", "missing", "config"]


@dataclass(frozen=True)
class Created:
    subscription: Subscription
    # Shown once, on creation: the subscriber needs it to verify signatures.
    secret: str


@dataclass(frozen=True)
class SubscriptionService:
    store: Store
    settings: NotificationsConfig
    clock: Clock

    def _synced(self) -> None:
        directory.ensure_synced(self.store, self.settings, self.clock.now())

    def create(
        self, *, name: str, url: str, event_types: list[str], filters: Filters, actor: str
    ) -> Created:
        """Raises repository.NameTaken when the name is in use."""
        self._synced()
        secret = signing.new_secret()
        with self.store.transaction() as conn:
            created = repository.create(
                conn,
                name=name,
                url=url,
                event_types=event_types,
                filters=filters,
                secret=secret,
                now=self.clock.now(),
                actor=actor,
            )
        directory.invalidate(self.store)
        return Created(created, secret)

    def all(self) -> list[Subscription]:
        self._synced()
        with self.store.engine.connect() as conn:
            return repository.all_subscriptions(conn)

    def get(self, key: int | str) -> Subscription | None:
        """By id, or by name (the CLI accepts either)."""
        self._synced()
        with self.store.engine.connect() as conn:
            if isinstance(key, int) or key.isdigit():
                return repository.get(conn, int(key))
            return repository.get_by_name(conn, key)

    def set_status(
        self, subscription_id: int, *, active: bool, actor: str, reason: str | None = None
    ) -> Subscription | None:
        """Enable (fresh failure streak) or disable; None when there is no such subscription."""
        self._synced()
        with self.store.transaction() as conn:
            changed = repository.set_status(
                conn,
                subscription_id,
                active=active,
                now=self.clock.now(),
                actor=actor,
                reason=reason,
            )
        directory.invalidate(self.store)
        return changed

    def remove(self, subscription_id: int, actor: str) -> Removal:
        """Delete an API subscription; config ones are removed from the file instead."""
        with self.store.transaction() as conn:
            found = repository.get(conn, subscription_id)
            if found is None:
                return "missing"
            if found.source == "config":
                return "config"
            repository.remove(conn, subscription_id, now=self.clock.now(), actor=actor)
        directory.invalidate(self.store)
        return "deleted"

    def deliveries(self, subscription_id: int, limit: int = 50) -> list[Delivery] | None:
        """The delivery log, newest first; None when there is no such subscription."""
        with self.store.engine.connect() as conn:
            if repository.get(conn, subscription_id) is None:
                return None
            return repository.deliveries(conn, subscription_id, limit=limit)
