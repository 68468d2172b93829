"""Job types: the handler that runs a job and the retry policy it runs under."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import structlog

from crossdock.clock import Clock
from crossdock.pipeline.retry import DEFAULT_POLICY, RetryPolicy
from crossdock.store.engine import Store
from crossdock.store.jobs import DbWrite, Job, JobSpec


@dataclass
class JobContext:
    """What a handler gets: its job, the clock, read access, and a place to put its effects.

    Effects on Crossdock's own database (`write`) and follow-up jobs (`enqueue`) are applied
    in the same transaction that marks the job done, so a job that dies half-way leaves no
    trace and a job that finishes leaves all of it: exactly once.
    """

    job: Job
    clock: Clock
    store: Store
    log: Any
    new_jobs: list[JobSpec] = field(default_factory=list)
    writes: list[DbWrite] = field(default_factory=list)

    @property
    def payload(self) -> dict[str, Any]:
        return self.job.payload

    def enqueue(self, spec: JobSpec) -> None:
        self.new_jobs.append(spec)

    def write(self, effect: DbWrite) -> None:
        self.writes.append(effect)


Handler = Callable[[JobContext], Awaitable[None]]


@dataclass(frozen=True)
class JobType:
    name: str
    handler: Handler
    policy: RetryPolicy = DEFAULT_POLICY


class UnknownJobType(LookupError):
    pass


class JobRegistry:
    """Job types by name; config may override a type's policy without touching its code."""

    def __init__(self, policy_overrides: dict[str, RetryPolicy] | None = None) -> None:
        self._types: dict[str, JobType] = {}
        self._overrides = policy_overrides or {}

    def register(self, name: str, handler: Handler, policy: RetryPolicy | None = None) -> None:
        if name in self._types:
            raise ValueError(f"job type {name!r} is registered twice")
        chosen = self._overrides.get(name) or policy or DEFAULT_POLICY
        self._types[name] = JobType(name=name, handler=handler, policy=chosen)

    def get(self, name: str) -> JobType:
        try:
            return self._types[name]
        except KeyError:
            raise UnknownJobType(f"no handler registered for job type {name!r}") from None

    def policy_for(self, name: str) -> RetryPolicy:
        job_type = self._types.get(name)
        return job_type.policy if job_type else self._overrides.get(name, DEFAULT_POLICY)

    def names(self) -> list[str]:
        return sorted(self._types)


def job_logger(job: Job) -> Any:
    return structlog.get_logger("crossdock.job").bind(
        job_id=job.id,
        job_type=job.job_type,
        message_id=job.message_id,
        correlation_id=job.correlation_id,
        lane_key=job.lane_key,
        attempt=job.attempts,
    )
