"""Process-local event metrics: what happened in this process (requests, job runs, retries).

These are counters and histograms, so several processes must add up. With the environment
variable ``PROMETHEUS_MULTIPROC_DIR`` set (the same directory for `crossdock serve` and every
`crossdock worker` on the machine, emptied before they start), prometheus-client writes each
process's values to memory-mapped files there and `/metrics` sums them. Figures that can be
read from the store (queue depth, dead letters, monitors) are not kept here at all: they are
computed from the database at scrape time (`store_metrics`), correct whatever the number of
processes and machines.

Resilience metrics (breaker state, rate buckets, bulkheads per partner endpoint) are read
from the shared state at scrape time too, by `resilience.metrics.ResilienceCollector`.
"""

from __future__ import annotations

from typing import Any

from prometheus_client import Counter, Histogram

from crossdock.store.jobs import Job

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)
# Queue wait spans retries with backoff and lanes held behind a slow partner.
WAIT_BUCKETS = (0.01, 0.05, 0.1, 0.5, 1.0, 5.0, 15.0, 60.0, 300.0, 900.0, 3600.0, 14400.0)
ATTEMPT_BUCKETS = (1, 2, 3, 4, 5, 6, 8, 10, 15, 20)

INTAKE_REQUESTS = Counter(
    "crossdock_intake_requests_total",
    "Webhook requests received, by partner and outcome (accepted, duplicate, bad_signature, …).",
    ("partner", "outcome"),
)
JOB_RUN_SECONDS = Histogram(
    "crossdock_job_run_seconds",
    "Time one job attempt took in its handler and commit, by job type and outcome.",
    ("job_type", "outcome"),
    buckets=LATENCY_BUCKETS,
)
JOB_WAIT_SECONDS = Histogram(
    "crossdock_job_wait_seconds",
    "Time from a job's creation to the start of the attempt, by job type.",
    ("job_type",),
    buckets=WAIT_BUCKETS,
)
JOB_ATTEMPTS = Histogram(
    "crossdock_job_attempts",
    "Attempts a job took, observed when it ends (done or dead-lettered), by job type.",
    ("job_type", "outcome"),
    buckets=ATTEMPT_BUCKETS,
)
JOB_RETRIES = Counter(
    "crossdock_job_retries_total",
    "Failed job attempts that were scheduled to run again, by job type.",
    ("job_type",),
)
JOB_DEAD_LETTERS = Counter(
    "crossdock_job_dead_letters_total",
    "Jobs given up on (dead-lettered) by workers, by job type.",
    ("job_type",),
)

UNKNOWN_PARTNER = "(unknown)"

# Labelled children by label values: `labels()` validates and locks on every call, a cost
# the worker would pay several times per job.
_children: dict[tuple[object, ...], Any] = {}


def _child(metric: Any, *values: str) -> Any:
    key = (metric, *values)
    child = _children.get(key)
    if child is None:
        child = _children[key] = metric.labels(*values)
    return child


def intake_request(partner: str, outcome: str, *, known: bool = True) -> None:
    """Count one webhook request; a partner id not in the config is not a label value (anyone
    can put anything in the URL, and each value would become a series)."""
    _child(INTAKE_REQUESTS, partner if known else UNKNOWN_PARTNER, outcome).inc()


def job_started(job: Job) -> None:
    started = job.started_at or job.run_at
    wait = max((started - job.created_at).total_seconds(), 0.0)
    _child(JOB_WAIT_SECONDS, job.job_type).observe(wait)


def job_finished(job: Job, outcome: str, seconds: float) -> None:
    """Record one attempt's end: outcome is done, retry, dead, lease_lost, waiting (the
    endpoint is down: the job waits for it without using up a retry) or unrecorded (the
    failure could not be written; the lease expiry brings the job back)."""
    _child(JOB_RUN_SECONDS, job.job_type, outcome).observe(seconds)
    if outcome == "retry":
        _child(JOB_RETRIES, job.job_type).inc()
    elif outcome in {"done", "dead"}:
        _child(JOB_ATTEMPTS, job.job_type, outcome).observe(job.attempts)
        if outcome == "dead":
            _child(JOB_DEAD_LETTERS, job.job_type).inc()
