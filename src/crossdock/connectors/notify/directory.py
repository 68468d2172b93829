"""The subscriptions a process sees: config entries synced once per database, active rows cached.

Fan-out runs for every canonical event, so it reads the table at most once per `ttl`; the
API and CLI of the same process drop the cache when they change a subscription.
"""

from __future__ import annotations

import threading
import time
import weakref
from datetime import datetime, timedelta

from crossdock.connectors.notify import repository
from crossdock.connectors.notify.model import ACTIVE, Subscription
from crossdock.connectors.notify.settings import NotificationsConfig
from crossdock.store.engine import Store

DEFAULT_TTL = timedelta(seconds=2)

_synced: weakref.WeakSet[Store] = weakref.WeakSet()
_cache: weakref.WeakKeyDictionary[Store, tuple[float, list[Subscription]]] = (
    weakref.WeakKeyDictionary()
)
_lock = threading.Lock()


def sync_config(store: Store, settings: NotificationsConfig, now: datetime) -> None:
    """Upsert the config file's subscriptions (every call; idempotent)."""
    with store.transaction() as conn:
        repository.sync_config(conn, settings.subscriptions, now)
    with _lock:
        _synced.add(store)
        _cache.pop(store, None)


def ensure_synced(store: Store, settings: NotificationsConfig, now: datetime) -> None:
    """Sync the config's subscriptions once per process and database, at first use."""
    with _lock:
        done = store in _synced
    if not done:
        sync_config(store, settings, now)


def invalidate(store: Store) -> None:
    with _lock:
        _cache.pop(store, None)


def active_subscriptions(
    store: Store, settings: NotificationsConfig, now: datetime, ttl: timedelta = DEFAULT_TTL
) -> list[Subscription]:
    """Active subscriptions, at most `ttl` old (blocking: call through `Store.run`)."""
    ensure_synced(store, settings, now)
    with _lock:
        cached = _cache.get(store)
    if cached is not None and time.monotonic() - cached[0] < ttl.total_seconds():
        return cached[1]
    with store.engine.connect() as conn:
        found = repository.all_subscriptions(conn, status=ACTIVE)
    with _lock:
        _cache[store] = (time.monotonic(), found)
    return found
