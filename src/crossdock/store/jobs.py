"""The durable job queue: idempotent enqueue, per-lane order, leases, retries, dead letters.

Lane order is kept by construction: of a lane's open jobs only the oldest is ever "queued" or
"running"; the others wait in state "waiting" and the next one is promoted in the same
transaction that finishes its predecessor. Fetching therefore never has to look past a
lane's head, and on PostgreSQL many workers take jobs with FOR UPDATE SKIP LOCKED.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import (
    Connection,
    Integer,
    Row,
    and_,
    bindparam,
    delete,
    func,
    or_,
    select,
    update,
)

from crossdock.store import audit, bulk
from crossdock.store.dialect import insert_ignoring_conflicts
from crossdock.store.engine import Store
from crossdock.store.schema import OPEN_JOB_STATES, jobs
from crossdock.store.types import UTCDateTime

DbWrite = Callable[[Connection], None]

DEFAULT_PRIORITY = 10  # lower runs first, as in Odoo's queue_job


# Hot statements, built once: constructing them per call cost a third of a worker's CPU.
def _fetch_statement(*extra: Any) -> Any:
    return (
        update(jobs)
        .where(
            jobs.c.id.in_(
                select(jobs.c.id)
                .where(
                    jobs.c.status == "queued",
                    jobs.c.run_at <= bindparam("now", type_=UTCDateTime()),
                    *extra,
                )
                .order_by(jobs.c.priority, jobs.c.id)
                .limit(bindparam("batch", type_=Integer()))
                .with_for_update(skip_locked=True)
                .scalar_subquery()
            )
        )
        .values(
            status="running",
            attempts=jobs.c.attempts + 1,
            lease_token=bindparam("token"),
            lease_expires_at=bindparam("expires", type_=UTCDateTime()),
            worker_id=bindparam("worker"),
            started_at=bindparam("now", type_=UTCDateTime()),
        )
        .returning(*jobs.c)
    )


_FETCH = _fetch_statement()
# The same, leaving out the jobs of partner endpoints that are held back right now.
_FETCH_SKIPPING_HELD = _fetch_statement(
    or_(jobs.c.resource.is_(None), jobs.c.resource.not_in(bindparam("held", expanding=True)))
)
# A fetched job its endpoint refused: back to the queue as it was, its attempt given back.
_HAND_BACK = (
    update(jobs)
    .where(jobs.c.id == bindparam("job_id"))
    .values(
        status="queued",
        attempts=jobs.c.attempts - 1,
        run_at=bindparam("run_at", type_=UTCDateTime()),
        lease_token=None,
        lease_expires_at=None,
        worker_id=None,
        started_at=None,
    )
)

_FINISH = (
    update(jobs)
    .where(
        jobs.c.id == bindparam("job_id"),
        jobs.c.lease_token == bindparam("token"),
        jobs.c.status == "running",
    )
    .values(
        status=bindparam("status_"),
        finished_at=bindparam("now", type_=UTCDateTime()),
        lease_token=None,
        lease_expires_at=None,
    )
)
_FINISH_WITH_ERROR = _FINISH.values(last_error=bindparam("error"), last_traceback=bindparam("tb"))


class LeaseLost(Exception):
    """The job's lease expired and another worker took it: this worker's result is void."""


class ResourceGate(Protocol):
    """What the queue asks about partner endpoints (`crossdock.resilience.gate.PartnerGate`).

    Every method runs inside the queue's transaction, so an endpoint's state moves together
    with the jobs it admitted or the outcome it recorded.
    """

    def held_back(self, conn: Connection, now: datetime) -> list[str]: ...

    def admit(
        self, conn: Connection, taken: Sequence[Job], now: datetime
    ) -> dict[int, datetime]: ...

    def succeeded(self, conn: Connection, resource: str, now: datetime) -> None: ...

    def failed(
        self, conn: Connection, resource: str, result: Any, now: datetime
    ) -> datetime | None: ...


@dataclass(frozen=True)
class JobSpec:
    """A job to enqueue. Enqueuing the same idempotency key twice is a no-op."""

    job_type: str
    idempotency_key: str
    payload: dict[str, Any] = field(default_factory=dict)
    lane_key: str | None = None
    priority: int = DEFAULT_PRIORITY
    run_at: datetime | None = None
    partner: str | None = None
    message_id: str | None = None
    correlation_id: str | None = None
    # The partner endpoint the job calls (`odoo:erp`, `notify:3`): its breaker, rate limit and
    # bulkhead apply. None: the job calls no partner.
    resource: str | None = None


@dataclass(frozen=True)
class Job:
    """A job as a worker holds it, with the lease token that proves it still owns it."""

    id: int
    job_type: str
    idempotency_key: str
    lane_key: str | None
    priority: int
    status: str
    payload: dict[str, Any]
    partner: str | None
    message_id: str | None
    correlation_id: str | None
    attempts: int
    run_at: datetime
    lease_token: str | None
    lease_expires_at: datetime | None
    worker_id: str | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    last_error: str | None
    last_traceback: str | None
    resource: str | None
    endpoint_failures: int

    @property
    def counted_attempts(self) -> int:
        """Attempts that count toward the retry limit: those the endpoint was not to blame for."""
        return self.attempts - self.endpoint_failures

    @classmethod
    def from_row(cls, row: Row[Any]) -> Job:
        return cls(**{name: getattr(row, name) for name in cls.__dataclass_fields__})


@dataclass(frozen=True)
class ReplayResult:
    replayed: list[int]
    skipped: dict[int, str]


class JobQueue:
    """Queue operations over a `Store`. Every method is one transaction unless it takes `conn`."""

    def __init__(self, store: Store, gate: ResourceGate | None = None) -> None:
        self.store = store
        self.gate = gate

    # -- enqueue -------------------------------------------------------------------------

    def enqueue(self, specs: Sequence[JobSpec], now: datetime) -> list[int]:
        with self.store.transaction() as conn:
            self.store.lock_lanes(conn, (spec.lane_key for spec in specs))
            return self.enqueue_in(conn, specs, now)

    def enqueue_in(self, conn: Connection, specs: Sequence[JobSpec], now: datetime) -> list[int]:
        """Enqueue inside the caller's transaction; returns the ids of jobs actually created.

        Callers that enqueue into lanes must hold those lanes' locks (`Store.lock_lanes`).
        """
        if not specs:
            return []
        laned = [spec for spec in specs if spec.lane_key]
        busy = self._busy_lanes(conn, {spec.lane_key for spec in laned if spec.lane_key})
        stmt = insert_ignoring_conflicts(self.store.dialect, jobs, "idempotency_key")
        created: list[int] = []
        free_rows = [self._row(spec, "queued", now) for spec in specs if not spec.lane_key]
        created.extend(bulk.insert_new(conn, jobs, free_rows, ("idempotency_key",), "id"))
        for spec in laned:
            state = "waiting" if spec.lane_key in busy else "queued"
            row = conn.execute(stmt.returning(jobs.c.id), self._row(spec, state, now)).first()
            if row is not None:
                created.append(row.id)
                busy.add(spec.lane_key)
        return created

    @staticmethod
    def _row(spec: JobSpec, status: str, now: datetime) -> dict[str, Any]:
        return {
            "job_type": spec.job_type,
            "idempotency_key": spec.idempotency_key,
            "lane_key": spec.lane_key,
            "priority": spec.priority,
            "status": status,
            "payload": spec.payload,
            "partner": spec.partner,
            "message_id": spec.message_id,
            "correlation_id": spec.correlation_id,
            "resource": spec.resource,
            "attempts": 0,
            "endpoint_failures": 0,
            "run_at": spec.run_at or now,
            "created_at": now,
        }

    @staticmethod
    def _busy_lanes(conn: Connection, lanes: set[str | None]) -> set[str | None]:
        if not lanes:
            return set()
        query = (
            select(jobs.c.lane_key)
            .where(jobs.c.lane_key.in_(lanes), jobs.c.status.in_(OPEN_JOB_STATES))
            .distinct()
        )
        return {row.lane_key for row in conn.execute(query)}

    @staticmethod
    def _promote_next(conn: Connection, lane: str | None) -> None:
        """Make the oldest waiting job of `lane` its new head, if the lane has no head now."""
        if not lane:
            return
        head = conn.execute(
            select(jobs.c.id)
            .where(jobs.c.lane_key == lane, jobs.c.status.in_(("queued", "running")))
            .limit(1)
        ).first()
        if head is not None:
            return
        next_id = conn.execute(
            select(func.min(jobs.c.id)).where(jobs.c.lane_key == lane, jobs.c.status == "waiting")
        ).scalar()
        if next_id is not None:
            conn.execute(update(jobs).where(jobs.c.id == next_id).values(status="queued"))

    # -- fetch and lease -----------------------------------------------------------------

    def fetch(self, worker_id: str, limit: int, lease: timedelta, now: datetime) -> list[Job]:
        """Take up to `limit` due jobs, counting an attempt and leasing each to `worker_id`."""
        if limit <= 0:
            return []
        params = {
            "now": now,
            "batch": limit,
            "token": str(uuid.uuid4()),
            "expires": now + lease,
            "worker": worker_id,
        }
        with self.store.transaction() as conn:
            if self.store.is_postgres:
                # Before the table has statistics PostgreSQL prefers a bitmap scan that sorts
                # every queued row; the partial index already yields them in order.
                conn.exec_driver_sql("SET LOCAL enable_bitmapscan = off")
            if self.gate is None:
                taken = [Job.from_row(row) for row in conn.execute(_FETCH, params)]
            else:
                taken = self._fetch_gated(conn, self.gate, params, now)
        return sorted(taken, key=lambda job: (job.priority, job.id))

    @staticmethod
    def _fetch_gated(
        conn: Connection, gate: ResourceGate, params: dict[str, Any], now: datetime
    ) -> list[Job]:
        """Fetch past held-back endpoints, then let each endpoint admit its jobs; a refused
        job is handed back unattempted, due when its endpoint may take it."""
        held = gate.held_back(conn, now)
        statement = _FETCH_SKIPPING_HELD if held else _FETCH
        rows = conn.execute(statement, {**params, "held": held} if held else params)
        taken = sorted((Job.from_row(row) for row in rows), key=lambda job: (job.priority, job.id))
        refused = gate.admit(conn, taken, now)
        if refused:
            conn.execute(
                _HAND_BACK, [{"job_id": job_id, "run_at": at} for job_id, at in refused.items()]
            )
        return [job for job in taken if job.id not in refused]

    def extend_leases(self, tokens: Iterable[str], lease: timedelta, now: datetime) -> int:
        """Heartbeat: push the lease of every job this worker still holds."""
        token_list = list(tokens)
        if not token_list:
            return 0
        with self.store.transaction() as conn:
            result = conn.execute(
                update(jobs)
                .where(jobs.c.lease_token.in_(token_list), jobs.c.status == "running")
                .values(lease_expires_at=now + lease)
            )
            return result.rowcount

    def reclaim_expired(
        self, now: datetime, max_attempts_for: Callable[[str], int], limit: int = 500
    ) -> int:
        """Give jobs whose worker stopped renewing the lease back to the queue (or dead-letter
        them when that lost attempt was their last), so nothing stays stuck in "running"."""
        expired = (
            select(jobs)
            .where(jobs.c.status == "running", jobs.c.lease_expires_at < now)
            .order_by(jobs.c.lease_expires_at)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        with self.store.transaction() as conn:
            rows = [Job.from_row(row) for row in conn.execute(expired)]
            if not rows:
                return 0
            self.store.lock_lanes(conn, (job.lane_key for job in rows))
            for job in rows:
                error = f"lease expired: worker {job.worker_id} stopped renewing it mid-job"
                values: dict[str, Any] = {
                    "lease_token": None,
                    "lease_expires_at": None,
                    "last_error": error,
                    "last_traceback": None,
                }
                dead = job.counted_attempts >= max_attempts_for(job.job_type)
                values.update(
                    {"status": "dead", "finished_at": now}
                    if dead
                    else {"status": "queued", "run_at": now}
                )
                conn.execute(
                    update(jobs)
                    .where(jobs.c.id == job.id, jobs.c.lease_token == job.lease_token)
                    .values(**values)
                )
                if dead:
                    self._promote_next(conn, job.lane_key)
            return len(rows)

    # -- outcomes ------------------------------------------------------------------------

    def complete(
        self,
        job: Job,
        now: datetime,
        new_jobs: Sequence[JobSpec] = (),
        writes: Sequence[DbWrite] = (),
    ) -> None:
        """Finish `job` and apply its effects in one transaction, or not at all.

        Raises LeaseLost (and commits nothing) when the lease passed to another worker.
        """
        with self.store.transaction() as conn:
            self.store.lock_lanes(conn, [job.lane_key, *(spec.lane_key for spec in new_jobs)])
            self._finish(conn, job, status="done", now=now)
            for write in writes:
                write(conn)
            self.enqueue_in(conn, new_jobs, now)
            self._promote_next(conn, job.lane_key)
            if self.gate is not None and job.resource:
                self.gate.succeeded(conn, job.resource, now)

    def retry_later(
        self,
        job: Job,
        now: datetime,
        delay: timedelta,
        error: str,
        tb: str,
        call: Any = None,
    ) -> bool:
        """Put a failed job back at the head of its lane, due after `delay`.

        `call` (a `resilience.outcomes.CallResult`) tells the job's endpoint how the call
        went. When the endpoint is held back now (its breaker open, or it asked for a pause)
        the failure is the endpoint's, not the job's: the attempt does not count toward the
        job's limit (`endpoint_failures`), and the job waits until the endpoint may be called.
        Returns whether that happened.
        """
        with self.store.transaction() as conn:
            hold = self._endpoint_failed(conn, job, call, now)
            run_at = now + delay if hold is None else max(now + delay, hold)
            self._put_back(conn, job, run_at, error, tb, give_back=hold is not None)
            return hold is not None

    def dead_letter(self, job: Job, now: datetime, error: str, tb: str, call: Any = None) -> bool:
        """Give up on `job`, keeping its last error, and let its lane move on.

        A last attempt that failed because its endpoint is down (see `retry_later`) does not
        count instead, and the job waits for the endpoint. Returns whether it was dead-lettered.
        """
        with self.store.transaction() as conn:
            self.store.lock_lanes(conn, [job.lane_key])
            hold = self._endpoint_failed(conn, job, call, now)
            if hold is not None:
                self._put_back(conn, job, hold, error, tb, give_back=True)
                return False
            self._finish(conn, job, status="dead", now=now, error=error, tb=tb)
            self._promote_next(conn, job.lane_key)
        return True

    @staticmethod
    def _put_back(
        conn: Connection, job: Job, run_at: datetime, error: str, tb: str, *, give_back: bool
    ) -> None:
        """Back at the head of its lane, due at `run_at`; `give_back`: the attempt was the
        endpoint's failure, not counted toward the job's retry limit."""
        result = conn.execute(
            update(jobs)
            .where(jobs.c.id == job.id, jobs.c.lease_token == job.lease_token)
            .values(
                status="queued",
                run_at=run_at,
                endpoint_failures=jobs.c.endpoint_failures + (1 if give_back else 0),
                lease_token=None,
                lease_expires_at=None,
                last_error=error,
                last_traceback=tb,
            )
        )
        if result.rowcount != 1:
            raise LeaseLost(f"job {job.id} is no longer leased by this worker")

    def _endpoint_failed(
        self, conn: Connection, job: Job, call: Any, now: datetime
    ) -> datetime | None:
        if self.gate is None or not job.resource or call is None:
            return None
        return self.gate.failed(conn, job.resource, call, now)

    @staticmethod
    def _finish(
        conn: Connection,
        job: Job,
        *,
        status: str,
        now: datetime,
        error: str | None = None,
        tb: str | None = None,
    ) -> None:
        params = {"job_id": job.id, "token": job.lease_token, "status_": status, "now": now}
        if error is None:
            result = conn.execute(_FINISH, params)
        else:
            result = conn.execute(_FINISH_WITH_ERROR, {**params, "error": error, "tb": tb})
        if result.rowcount != 1:
            raise LeaseLost(f"job {job.id} is no longer leased by this worker")

    # -- dead letters --------------------------------------------------------------------

    def dead_jobs(
        self,
        *,
        job_type: str | None = None,
        partner: str | None = None,
        since: datetime | None = None,
        limit: int | None = None,
    ) -> list[Job]:
        query = select(jobs).where(jobs.c.status == "dead").order_by(jobs.c.id)
        if job_type:
            query = query.where(jobs.c.job_type == job_type)
        if partner:
            query = query.where(jobs.c.partner == partner)
        if since:
            query = query.where(jobs.c.finished_at >= since)
        if limit:
            query = query.limit(limit)
        with self.store.engine.connect() as conn:
            return [Job.from_row(row) for row in conn.execute(query)]

    def get(self, job_id: int) -> Job | None:
        with self.store.engine.connect() as conn:
            row = conn.execute(select(jobs).where(jobs.c.id == job_id)).first()
        return Job.from_row(row) if row else None

    def replay(self, job_ids: Sequence[int], now: datetime, actor: str) -> ReplayResult:
        """Re-enqueue dead jobs with fresh attempts; each replay is written to the audit trail."""
        replayed: list[int] = []
        skipped: dict[int, str] = {}
        with self.store.transaction() as conn:
            rows = {
                row.id: Job.from_row(row)
                for row in conn.execute(select(jobs).where(jobs.c.id.in_(job_ids)))
            }
            self.store.lock_lanes(conn, (job.lane_key for job in rows.values()))
            for job_id in job_ids:
                job = rows.get(job_id)
                if job is None:
                    skipped[job_id] = "no such job"
                    continue
                if job.status != "dead":
                    skipped[job_id] = f"job is {job.status}, not dead"
                    continue
                busy = job.lane_key is not None and bool(self._busy_lanes(conn, {job.lane_key}))
                conn.execute(
                    update(jobs)
                    .where(jobs.c.id == job_id)
                    .values(
                        status="waiting" if busy else "queued",
                        attempts=0,
                        endpoint_failures=0,
                        run_at=now,
                        finished_at=None,
                        worker_id=None,
                    )
                )
                audit.append(
                    conn,
                    at=now,
                    actor=actor,
                    action="dlq.replay",
                    target=f"job:{job_id}",
                    details={
                        "job_type": job.job_type,
                        "partner": job.partner,
                        "last_error": job.last_error,
                        "attempts_before": job.attempts,
                    },
                )
                replayed.append(job_id)
        return ReplayResult(replayed=replayed, skipped=skipped)

    # -- housekeeping and introspection ---------------------------------------------------

    def purge_finished(self, older_than: datetime, batch_size: int = 10_000) -> int:
        """Delete done jobs finished before `older_than`, in batches that keep locks short."""
        total = 0
        while True:
            with self.store.transaction() as conn:
                batch = (
                    select(jobs.c.id)
                    .where(jobs.c.status == "done", jobs.c.finished_at < older_than)
                    .limit(batch_size)
                    .scalar_subquery()
                )
                deleted = conn.execute(delete(jobs).where(jobs.c.id.in_(batch))).rowcount
            total += deleted
            if deleted < batch_size:
                return total

    def counts(self) -> dict[tuple[str, str], int]:
        """Jobs by (job type, status)."""
        query = select(jobs.c.job_type, jobs.c.status, func.count()).group_by(
            jobs.c.job_type, jobs.c.status
        )
        with self.store.engine.connect() as conn:
            return {(row[0], row[1]): row[2] for row in conn.execute(query)}

    def list_jobs(
        self, *, status: str | None = None, job_type: str | None = None, limit: int = 50
    ) -> list[Job]:
        query = select(jobs).order_by(jobs.c.id.desc()).limit(limit)
        conditions = []
        if status:
            conditions.append(jobs.c.status == status)
        if job_type:
            conditions.append(jobs.c.job_type == job_type)
        if conditions:
            query = query.where(and_(*conditions))
        with self.store.engine.connect() as conn:
            return [Job.from_row(row) for row in conn.execute(query)]

    def open_count(self) -> int:
        query = select(func.count()).where(jobs.c.status.in_(OPEN_JOB_STATES))
        with self.store.engine.connect() as conn:
            return int(conn.execute(query).scalar() or 0)
