"""The fault scenarios, each a function from (database, folder, burst size) to a `Report`.

tests/faults asserts on the reports of small bursts; benchmarks/faults.py prints them for the
issue's full sizes. Times are wall-clock (the processes are real), read with time.time().
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.faults import harness
from tests.faults.harness import Outcome, Rig, Sending, Webhook


@dataclass
class Report:
    scenario: str
    sent: int
    accepted: int
    outcomes: dict[str, Outcome]
    drain_after_recovery: float  # seconds from the fault's end until no job is open
    healthy_p99: float  # seconds, the healthy partner's events accepted during the fault
    database: dict[str, Any]
    answers: dict[int, int]
    notes: dict[str, Any] = field(default_factory=dict)

    @property
    def applied_once(self) -> int:
        return sum(o.applied_once for o in self.outcomes.values())

    @property
    def expected(self) -> int:
        return sum(o.expected for o in self.outcomes.values())

    @property
    def duplicates(self) -> int:
        return sum(o.duplicates for o in self.outcomes.values())

    @property
    def lost(self) -> int:
        return sum(o.lost for o in self.outcomes.values())


def _report(
    name: str,
    rig: Rig,
    webhooks: list[Webhook],
    sending: Sending,
    drain: float,
    window: tuple[float, float],
    **notes: Any,
) -> Report:
    outcomes = {n: harness.outcome(rig, n, webhooks, sending) for n in harness.ENDPOINTS}
    applied_at = {
        (subject, stamp): at for _id, subject, stamp, at in rig.endpoints["portal"].applied()
    }
    # The healthy partner's events applied during the window: how long each took from its 202.
    during = [
        applied_at[webhook.key] - sending.accepted[webhook.index]
        for webhook in webhooks
        if webhook.key in applied_at
        and webhook.index in sending.accepted
        and window[0] <= applied_at[webhook.key] <= window[1]
    ]
    return Report(
        scenario=name,
        sent=len(webhooks),
        accepted=len(sending.accepted),
        outcomes=outcomes,
        drain_after_recovery=drain,
        healthy_p99=harness.p99(during),
        database=harness.database_counts(rig),
        answers=dict(sending.answers),
        notes=notes,
    )


def _at_fraction(total: int, fraction: float) -> int:
    return max(1, int(total * fraction))


def flaky_then_throttled(db_url: str, workdir: Path, total: int) -> Report:
    """The WMS answers 500 to every second call for the first half of the burst, then 429
    with Retry-After for the second half, then recovers."""
    webhooks = harness.burst(total)
    resilience = {
        "resources": {"notify:*": {"concurrency": 3, "rate": {"per_second": 150, "burst": 30}}}
    }
    with harness.rig(db_url, workdir, resilience=resilience) as rig:
        wms = rig.endpoints["wms"]
        marks: dict[str, float] = {}

        async def drive() -> Sending:
            # Phases follow what the WMS saw, not the clock: on a busy machine the pipeline
            # may lag the burst by seconds.
            await wms.mode("flaky")
            marks["fault"] = time.time()
            sending = asyncio.create_task(harness.send(rig, webhooks, rate=total / 8))
            await harness.until(lambda: wms.stats()["calls"] >= total // 4, "WMS calls")
            await wms.mode("throttle", retry_after=1)
            await harness.until(
                lambda: wms.stats()["by_status"].get("429", 0) >= 5, "WMS throttling"
            )
            await asyncio.sleep(1.5)
            await wms.mode("ok")
            marks["recovered"] = time.time()
            return await sending

        sending = asyncio.run(drive())
        harness.wait_drained(rig, 180)
        drain = time.time() - marks["recovered"]
        stats = wms.stats()
        applied = wms.applied()
        after = sorted(at for *_rest, at in applied if at >= marks["recovered"])
        drain_rate = (len(after) - 1) / (after[-1] - after[0]) if len(after) > 30 else None
        return _report(
            "WMS 500 every 2nd call, then 429",
            rig, webhooks, sending, drain, (marks["fault"], marks["recovered"]),
            wms_statuses=stats["by_status"], drain_rate=drain_rate, rate_limit=150,
        )  # fmt: skip


def hanging_partner(db_url: str, workdir: Path, total: int) -> Report:
    """The WMS stops answering for the middle third of the burst; the portal must keep its
    latency meanwhile (bulkhead, timeout, breaker)."""
    webhooks = harness.burst(total)
    with harness.rig(db_url, workdir) as rig:
        wms = rig.endpoints["wms"]
        marks: dict[str, float] = {}

        async def drive() -> Sending:
            sending = asyncio.create_task(harness.send(rig, webhooks, rate=total / 12))
            await harness.until(lambda: wms.stats()["calls"] >= total // 4, "WMS calls")
            marks["fault"] = time.time()
            await wms.mode("hang", hang_seconds=30)
            await harness.until(lambda: harness.times_opened(rig, "wms") >= 1, "the breaker")
            await asyncio.sleep(2)
            await wms.mode("ok")
            marks["recovered"] = time.time()
            return await sending

        sending = asyncio.run(drive())
        harness.wait_drained(rig, 180)
        drain = time.time() - marks["recovered"]
        baseline = _report("", rig, webhooks, sending, 0, (0, marks["fault"])).healthy_p99
        return _report(
            "WMS hangs (no answer)",
            rig, webhooks, sending, drain, (marks["fault"], marks["recovered"]),
            healthy_p99_before=baseline, wms_max_in_flight=wms.stats()["max_in_flight"],
            portal_applied_during=sum(
                1 for *_rest, at in rig.endpoints["portal"].applied()
                if marks["fault"] <= at <= marks["recovered"]
            ),
        )  # fmt: skip


def killed_workers(db_url: str, workdir: Path, total: int, every: float = 2.0) -> Report:
    """A worker process is SIGKILLed every `every` seconds during the burst, and replaced."""
    webhooks = harness.burst(total)
    with harness.rig(db_url, workdir) as rig:
        started = time.time()

        async def drive() -> Sending:
            async def kill() -> None:
                await asyncio.to_thread(harness.kill_a_worker, rig)

            async with harness.every(every, kill):
                return await harness.send(rig, webhooks, rate=total / 10)

        sending = asyncio.run(drive())
        ended = time.time()
        drain = harness.wait_drained(rig, 180)
        kills = rig.started_workers - 2
        return _report(
            "worker SIGKILL every few seconds",
            rig, webhooks, sending, drain, (started, ended), kills=kills,
        )  # fmt: skip


def poison_messages(db_url: str, workdir: Path, total: int, poison_every: int = 25) -> Report:
    """Every `poison_every`-th message maps to nothing: it dead-letters, all else completes."""
    webhooks = harness.burst(total, poison_every=poison_every)
    with harness.rig(db_url, workdir) as rig:
        started = time.time()
        sending = asyncio.run(harness.send(rig, webhooks))
        ended = time.time()
        drain = harness.wait_drained(rig, 180)
        poisons = sum(1 for w in webhooks if w.key is None)
        return _report(
            "poison messages in the burst",
            rig, webhooks, sending, drain, (started, ended), poisons=poisons,
        )  # fmt: skip


PG_RESTART = ["pg_ctlcluster", "--skip-systemctl-redirect", "15", "main", "restart"]
PG_RESTART_ENV = "CROSSDOCK_FAULTS_PG_RESTART"


def postgres_restarted(db_url: str, workdir: Path, total: int) -> Report:
    """PostgreSQL restarts in the middle of the burst: intake answers 503 meanwhile, workers
    reconnect by themselves. Restarts the shared server: gated by CROSSDOCK_FAULTS_PG_RESTART."""
    if os.environ.get(PG_RESTART_ENV) != "1":
        raise RuntimeError(f"set {PG_RESTART_ENV}=1 to restart the PostgreSQL server")
    webhooks = harness.burst(total)
    with harness.rig(db_url, workdir) as rig:
        marks: dict[str, float] = {}

        async def drive() -> Sending:
            async def progress(accepted: int) -> None:
                if accepted == _at_fraction(total, 1 / 3) and "fault" not in marks:
                    marks["fault"] = time.time()
                    await asyncio.to_thread(subprocess.run, PG_RESTART, check=True)
                    marks["recovered"] = time.time()

            return await harness.send(rig, webhooks, rate=total / 10, progress=progress)

        sending = asyncio.run(drive())
        harness.wait_drained(rig, 180)
        drain = time.time() - marks["recovered"]
        return _report(
            "PostgreSQL restarted",
            rig, webhooks, sending, drain, (marks["fault"], marks["recovered"]),
            restart_seconds=marks["recovered"] - marks["fault"],
        )  # fmt: skip
