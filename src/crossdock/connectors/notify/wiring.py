"""Registration: the fan-out and delivery job types, routed to every canonical domain."""

from __future__ import annotations

from crossdock.canonical.event_types import parse_event_type
from crossdock.canonical.registry import registered_event_types
from crossdock.connectors.notify.client import CLIENTS
from crossdock.connectors.notify.deliver import make_deliver_handler
from crossdock.connectors.notify.fanout import DELIVER_JOB, FANOUT_JOB, make_fanout_handler
from crossdock.connectors.notify.settings import NotificationsConfig
from crossdock.pipeline.registry import JobRegistry
from crossdock.pipeline.route import Router


def domain_patterns() -> list[str]:
    """`crossdock.<domain>.*` for every domain of the canonical registry."""
    domains = {parse_event_type(name).domain for name in registered_event_types()}
    return [f"crossdock.{domain}.*" for domain in sorted(domains)]


def register(registry: JobRegistry, router: Router, settings: NotificationsConfig) -> None:
    """Add notifications to a runtime, only when something can subscribe (config or API):
    otherwise every event would pay for a fan-out job that finds no one."""
    if not settings.enabled:
        return
    registry.register(FANOUT_JOB, make_fanout_handler(settings))
    registry.register(DELIVER_JOB, make_deliver_handler(settings, CLIENTS), settings.retry_policy())
    router.subscribe(FANOUT_JOB, domain_patterns())
