"""Routing: which flows care about an event type, and the jobs that carry the event to them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from crossdock.canonical.envelope import Envelope
from crossdock.canonical.event_types import parse_event_type
from crossdock.store.jobs import JobSpec


class Router:
    """Subscriptions by exact event type or by domain (`crossdock.shipment.*`)."""

    def __init__(self) -> None:
        self._by_type: dict[str, list[str]] = defaultdict(list)
        self._by_domain: dict[str, list[str]] = defaultdict(list)

    def subscribe(self, job_type: str, event_types: Iterable[str]) -> None:
        for pattern in event_types:
            if pattern.endswith(".*"):
                domain = pattern.removesuffix(".*").removeprefix("crossdock.")
                self._by_domain[domain].append(job_type)
            else:
                parse_event_type(pattern)
                self._by_type[pattern].append(job_type)

    def subscribers(self, event_type: str) -> list[str]:
        domain = parse_event_type(event_type).domain
        return list(dict.fromkeys([*self._by_type[event_type], *self._by_domain[domain]]))

    def route(self, envelope: Envelope, message_id: str | None) -> list[JobSpec]:
        """One job per subscriber; the event id makes each job idempotent."""
        return [
            JobSpec(
                job_type=job_type,
                idempotency_key=f"{job_type}:{envelope.id}",
                payload={"event": envelope.to_cloudevent()},
                lane_key=envelope.lanekey,
                partner=envelope.partner,
                message_id=message_id,
                correlation_id=envelope.correlationid,
            )
            for job_type in self.subscribers(envelope.type)
        ]
