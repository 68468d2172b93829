"""The queue's gate toward partners: which endpoints may be called now, and what calls did.

At fetch time the queue first leaves out the jobs of endpoints that are held back (breaker
open, partner pause, empty bucket, full bulkhead), then hands what it took to `admit`, which
locks those endpoints' rows and admits job by job; a job refused there goes back to the
queue with its attempt given back and a `run_at` at the moment it may go. Outcomes update
the row in the transaction that records the job's end, so breaker and bucket move with it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import Connection, func, select, update

from crossdock.resilience import breaker, bucket
from crossdock.resilience.outcomes import CallResult, Outcome
from crossdock.resilience.settings import ResilienceConfig, ResourcePolicy
from crossdock.resilience.state import HALF_OPEN, OPEN, EndpointState
from crossdock.store.dialect import insert_ignoring_conflicts
from crossdock.store.schema import jobs, resource_states

if TYPE_CHECKING:
    from crossdock.store.jobs import Job


class PartnerGate:
    """Breakers, token buckets and bulkheads for every endpoint, in the shared database."""

    def __init__(self, config: ResilienceConfig, dialect: str) -> None:
        self.config = config
        self.dialect = dialect
        self._policies: dict[str, ResourcePolicy] = {}

    def policy(self, resource: str) -> ResourcePolicy:
        policy = self._policies.get(resource)
        if policy is None:
            policy = self._policies[resource] = self.config.policy(resource)
        return policy

    # -- fetch ---------------------------------------------------------------------------

    def held_back(self, conn: Connection, now: datetime) -> list[str]:
        """Endpoints none of whose jobs may start now (read without locks: a filter only)."""
        states = [EndpointState.from_row(row) for row in conn.execute(select(resource_states))]
        if not states:
            # No endpoint was ever admitted (a row is made at the first admission), so none
            # has running jobs either: a queue without partner jobs pays one small read.
            return []
        running = running_counts(conn)
        held: set[str] = set()
        for state in states:
            if self._held(state, running.get(state.resource, 0), now):
                held.add(state.resource)
        for resource, count in running.items():
            limit = self.policy(resource).concurrency
            if limit is not None and count >= limit:
                held.add(resource)
        return sorted(held)

    def _held(self, state: EndpointState, running: int, now: datetime) -> bool:
        policy = self.policy(state.resource)
        cooling = state.state == OPEN and state.retry_at is not None and state.retry_at > now
        probing = state.state == HALF_OPEN and running >= policy.breaker.half_open_probes
        empty = policy.rate is not None and not bucket.has_token(state, policy.rate, now)
        return state.paused(now) or cooling or probing or empty

    def admit(self, conn: Connection, taken: Sequence[Job], now: datetime) -> dict[int, datetime]:
        """Admit the fetched jobs endpoint by endpoint; returns the refused ones' next run."""
        gated = [job for job in taken if job.resource]
        if not gated:
            return {}
        names = sorted({job.resource for job in gated if job.resource})
        states = lock(conn, self.dialect, names, now)
        batch = [job.id for job in taken]
        running = running_counts(conn, names, exclude=batch)
        admitted: Counter[str] = Counter()
        refused: dict[int, datetime] = {}
        for job in gated:
            resource = job.resource or ""
            busy = running[resource] + admitted[resource]
            not_before = self._refusal(states[resource], busy, now)
            if not_before is None:
                admitted[resource] += 1
            else:
                refused[job.id] = not_before
        for state in states.values():
            save(conn, state, now)
        return refused

    def _refusal(self, state: EndpointState, busy: int, now: datetime) -> datetime | None:
        """None: the call may go now; else the earliest moment to look at it again."""
        policy = self.policy(state.resource)
        defer = now + self.config.defer
        if state.paused(now) and state.paused_until is not None:
            return state.paused_until
        if policy.breaker.enabled:
            if not breaker.try_half_open(state, now):
                return state.retry_at or defer
            if state.state == HALF_OPEN and busy >= policy.breaker.half_open_probes:
                return defer
        if policy.concurrency is not None and busy >= policy.concurrency:
            return defer
        if policy.rate is not None:
            return bucket.take(state, policy.rate, now)
        return None

    # -- outcomes ------------------------------------------------------------------------

    def succeeded(self, conn: Connection, resource: str, now: datetime) -> None:
        state = lock(conn, self.dialect, [resource], now)[resource]
        breaker.record_success(state, self.policy(resource).breaker, now)
        save(conn, state, now)

    def failed(
        self, conn: Connection, resource: str, result: CallResult, now: datetime
    ) -> datetime | None:
        """Record a failed call. Returns a time when the failure is the endpoint's rather than
        the job's (the breaker is open now, or the partner asked for a pause): the job then
        gets its attempt back and waits until that time."""
        if result.outcome == Outcome.NEUTRAL:
            return None
        state = lock(conn, self.dialect, [resource], now)[resource]
        if result.outcome == Outcome.THROTTLED and result.retry_after is not None:
            until = now + timedelta(seconds=result.retry_after)
            if state.paused_until is None or state.paused_until < until:
                state.paused_until = until
            state.last_error = result.error[:2000]
            save(conn, state, now)
            return state.paused_until
        breaker.record_failure(state, self.policy(resource).breaker, now, result.error)
        save(conn, state, now)
        return state.retry_at if state.state == OPEN else None


def lock(
    conn: Connection, dialect: str, names: Iterable[str], now: datetime
) -> dict[str, EndpointState]:
    """The rows of `names`, created when first seen, locked in name order until commit."""
    ordered = sorted(set(names))
    insert = insert_ignoring_conflicts(dialect, resource_states, "resource")
    conn.execute(insert, [EndpointState(name).values(now) for name in ordered])
    query = (
        select(resource_states)
        .where(resource_states.c.resource.in_(ordered))
        .order_by(resource_states.c.resource)
        .with_for_update()
    )
    return {row.resource: EndpointState.from_row(row) for row in conn.execute(query)}


def save(conn: Connection, state: EndpointState, now: datetime) -> None:
    values = state.values(now)
    values.pop("resource")
    conn.execute(
        update(resource_states).where(resource_states.c.resource == state.resource).values(values)
    )


def running_counts(
    conn: Connection, names: Sequence[str] | None = None, exclude: Sequence[int] = ()
) -> Counter[str]:
    """Running jobs per endpoint: what the bulkheads and half-open probes are measured by."""
    query = (
        select(jobs.c.resource, func.count())
        .where(jobs.c.status == "running", jobs.c.resource.is_not(None))
        .group_by(jobs.c.resource)
    )
    if names is not None:
        query = query.where(jobs.c.resource.in_(names))
    if exclude:
        query = query.where(jobs.c.id.not_in(exclude))
    return Counter({row[0]: int(row[1]) for row in conn.execute(query)})
