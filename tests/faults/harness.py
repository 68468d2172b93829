"""Fault scenarios against real processes: `crossdock serve` and `crossdock worker` as
subprocesses on PostgreSQL, partner endpoints from the sandbox, a burst of signed webhooks.

Shared by tests/faults (small bursts, assertions) and benchmarks/faults.py (full bursts,
figures). Every scenario ends by waiting for the queue to drain and then reads the final
state: what each partner applied, what the database holds, what was dead-lettered.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import subprocess
import time
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import orjson
from sqlalchemy import text

from crossdock.sandbox import generic_partner as sim
from crossdock.store import migrate
from crossdock.store.engine import Store
from tests.support.processes import (
    CROSSDOCK,
    free_port,
    kill_hard,
    start,
    stop,
    subprocess_env,
    wait_healthy,
    write_config,
)

PARTNER = "carrierhub"
ENDPOINTS = ("wms", "portal")  # the faulty partner and the healthy one
STEPS = 4  # milestones per parcel
START = datetime(2026, 12, 1, 6, 0, tzinfo=UTC)
IN_FLIGHT = 32


def _instant(stamp: str | None) -> str:
    """One spelling per instant (`Z` or `+00:00`, with or without fractions)."""
    return datetime.fromisoformat(stamp).astimezone(UTC).isoformat() if stamp else ""


@dataclass(frozen=True)
class Webhook:
    index: int
    body: bytes
    key: tuple[str, str] | None  # (subject, time) of its event; None for a poison message


def burst(total: int, poison_every: int = 0) -> list[Webhook]:
    """Milestones for `total / STEPS` parcels, step k of every parcel before step k+1 of any;
    every `poison_every`-th message is a milestone no mapping accepts."""
    parcels = max(1, total // STEPS)
    webhooks = []
    for index in range(total):
        step, parcel = divmod(index, parcels)
        at = START + timedelta(hours=step, seconds=parcel)
        event = sim.milestone(parcel, step, at)
        key: tuple[str, str] | None = (event["subject"], _instant(at.isoformat()))
        if poison_every and index % poison_every == poison_every - 1:
            event["data"]["milestone"] = "teleported"  # not in the milestone vocabulary
            event["subject"] = f"POISON-{index}"
            key = None
        webhooks.append(Webhook(index, sim.encode(event), key))
    return webhooks


@dataclass
class Endpoint:
    name: str
    url: str
    process: subprocess.Popen[bytes]

    async def mode(self, mode: str, **options: Any) -> None:
        async with httpx.AsyncClient(timeout=5) as http:
            answer = await http.post(f"{self.url}/sandbox/mode", json={"mode": mode, **options})
            answer.raise_for_status()

    def stats(self) -> dict[str, Any]:
        result: dict[str, Any] = httpx.get(f"{self.url}/sandbox/stats", timeout=10).json()
        return result

    def applied(self) -> list[tuple[str, str, str, float]]:
        rows = orjson.loads(httpx.get(f"{self.url}/sandbox/applied", timeout=30).content)
        return [(event_id, subject, _instant(stamp), at) for event_id, subject, stamp, at in rows]


@dataclass
class Rig:
    """The processes of one scenario and the paths they log to."""

    workdir: Path
    db_url: str
    port: int
    config: Path
    secret: str
    endpoints: dict[str, Endpoint]
    server: subprocess.Popen[bytes] | None = None
    workers: list[subprocess.Popen[bytes]] = field(default_factory=list)
    started_workers: int = 0

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start_worker(self) -> subprocess.Popen[bytes]:
        self.started_workers += 1
        log = self.workdir / f"worker{self.started_workers}.log"
        process = start(["worker", "--config", str(self.config)], log)
        self.workers.append(process)
        return process

    def store(self) -> Store:
        return Store.from_url(self.db_url)


def _start_endpoint(workdir: Path, name: str, secret_file: Path) -> Endpoint:
    port = free_port()
    with (workdir / f"endpoint-{name}.log").open("ab") as log:
        process = subprocess.Popen(
            [
                CROSSDOCK[0], "-m", "crossdock.sandbox.partner_endpoint",
                "--port", str(port), "--secret-file", str(secret_file),
            ],
            stdout=log, stderr=subprocess.STDOUT, env=subprocess_env(),
        )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{url}/sandbox/stats", timeout=1).status_code == 200:
                return Endpoint(name, url, process)
        time.sleep(0.1)
    raise TimeoutError(f"partner endpoint {name} did not start")


def rig_config(
    db_url: str,
    port: int,
    partner_ref: str,
    endpoints: dict[str, tuple[str, str]],
    resilience: dict[str, Any],
    notify: dict[str, Any],
) -> dict[str, Any]:
    return {
        "database": {"url": db_url, "pool_size": 10},
        "server": {"port": port},
        "workers": {"concurrency": 8, "lease": "PT4S", "reclaim_interval": "PT1S"},
        "logging": {"level": "warning"},
        "partners": [{"id": PARTNER, "kind": "generic", "secrets": [partner_ref]}],
        "notifications": {
            "subscriptions": [
                {
                    "name": name,
                    "url": url + "/hook",
                    "event_types": ["crossdock.shipment.milestone_recorded.v1"],
                    "secret": secret_ref,
                }
                for name, (url, secret_ref) in endpoints.items()
            ],
            "failure_streak_to_disable": 1_000_000,
            "max_attempts": 10,
            "base_delay": "PT0.2S",
            "max_delay": "PT2S",
            "connect_timeout": "PT1S",
            "timeout": "PT2S",
            "subscription_cache": "PT1S",
            **notify,
        },
        "resilience": {
            "defaults": {
                "breaker": {"consecutive_failures": 3, "cool_down": "PT1.5S", "min_calls": 20}
            },
            "resources": {"notify:*": {"concurrency": 3}},
            "defer": "PT0.2S",
            **resilience,
        },
    }


@contextlib.contextmanager
def rig(
    db_url: str,
    workdir: Path,
    *,
    workers: int = 2,
    resilience: dict[str, Any] | None = None,
    notify: dict[str, Any] | None = None,
    partners: list[dict[str, Any]] = (),  # type: ignore[assignment]
) -> Iterator[Rig]:
    """Endpoints, server and workers up; everything stopped on the way out."""
    store = Store.from_url(db_url)
    migrate.upgrade(store.engine)
    store.dispose()
    secret = sim.new_secret()
    (workdir / "partner.secret").write_text(secret + "\n", encoding="utf-8")
    port = free_port()
    the_rig = Rig(workdir, db_url, port, workdir / "crossdock.yaml", secret, {})
    try:
        refs: dict[str, tuple[str, str]] = {}
        for name in ENDPOINTS:
            secret_file = workdir / f"{name}.whsec"
            secret_file.write_text(sim.new_secret() + "\n", encoding="utf-8")
            the_rig.endpoints[name] = _start_endpoint(workdir, name, secret_file)
            refs[name] = (the_rig.endpoints[name].url, f"file:{secret_file}")
        document = rig_config(
            db_url, port, f"file:{workdir / 'partner.secret'}", refs,
            resilience or {}, notify or {},
        )  # fmt: skip
        document["partners"].extend(partners)
        write_config(the_rig.config, document)
        the_rig.server = start(
            ["serve", "--config", str(the_rig.config), "--no-workers"], workdir / "serve.log"
        )
        wait_healthy(port, the_rig.server)
        for _ in range(workers):
            the_rig.start_worker()
        yield the_rig
    finally:
        for process in the_rig.workers:
            stop(process)
        if the_rig.server is not None:
            stop(the_rig.server)
        for endpoint in the_rig.endpoints.values():
            stop(endpoint.process)


# -- sending -------------------------------------------------------------------------------


@dataclass
class Sending:
    accepted: dict[int, float] = field(default_factory=dict)  # index → wall time of the 202
    answers: Counter[int] = field(default_factory=Counter)  # every status seen, retries too


async def send(
    rig: Rig,
    webhooks: list[Webhook],
    *,
    rate: float | None = None,
    progress: Callable[[int], Awaitable[None]] | None = None,
    deadline: float = 240,
) -> Sending:
    """Send every webhook as a careful partner does: the same message id until it is 202,
    waiting as long as a 429/503's Retry-After says, and through connection failures."""
    result = Sending()
    limit = asyncio.Semaphore(IN_FLIGHT)
    give_up = time.monotonic() + deadline
    limits = httpx.Limits(max_connections=IN_FLIGHT, max_keepalive_connections=IN_FLIGHT)
    async with httpx.AsyncClient(base_url=rig.base, timeout=10, limits=limits) as http:

        async def post(webhook: Webhook) -> None:
            async with limit:
                while time.monotonic() < give_up:
                    headers = sim.signed_headers(rig.secret, webhook.body, f"m{webhook.index}")
                    try:
                        answer = await http.post(
                            f"/webhooks/{PARTNER}", content=webhook.body, headers=headers
                        )
                    except httpx.TransportError:
                        result.answers[0] += 1
                        await asyncio.sleep(0.2)
                        continue
                    result.answers[answer.status_code] += 1
                    if answer.status_code == 202:
                        result.accepted[webhook.index] = time.time()
                        if progress is not None:
                            await progress(len(result.accepted))
                        return
                    if answer.status_code < 500 and answer.status_code != 429:
                        raise AssertionError(f"webhook {webhook.index}: {answer.text}")
                    await asyncio.sleep(float(answer.headers.get("retry-after", "0.2")))
                raise AssertionError(f"webhook {webhook.index} was never accepted")

        started = time.monotonic()
        tasks = []
        for webhook in webhooks:
            if rate is not None:
                delay = started + webhook.index / rate - time.monotonic()
                if delay > 0:
                    await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(post(webhook)))
        await asyncio.gather(*tasks)
    return result


# -- the end state ---------------------------------------------------------------------------


def scalar(store: Store, sql: str) -> int:
    with store.engine.connect() as conn:
        return int(conn.execute(text(sql)).scalar() or 0)


def scalar_in(rig: Rig, sql: str) -> int:
    store = rig.store()
    try:
        return scalar(store, sql)
    finally:
        store.dispose()


def open_jobs(store: Store) -> int:
    return scalar(store, "SELECT count(*) FROM jobs WHERE status IN ('queued','running','waiting')")


def wait_drained(rig: Rig, timeout: float) -> float:
    """Seconds until no job is open (stable for half a second)."""
    store = rig.store()
    started = time.monotonic()
    try:
        while time.monotonic() - started < timeout:
            with contextlib.suppress(Exception):  # the database may be restarting
                if open_jobs(store) == 0:
                    time.sleep(0.5)
                    if open_jobs(store) == 0:
                        return time.monotonic() - started
            time.sleep(0.2)
        raise AssertionError(f"jobs still open after {timeout} s: {open_jobs(store)}")
    finally:
        store.dispose()


@dataclass
class Outcome:
    """What one partner endpoint ended up with, against what was accepted for it."""

    name: str
    expected: int
    applied_once: int
    duplicates: int  # one event applied under two delivery ids: a second effect
    lost: int
    redelivered: int  # a delivery sent again after the partner applied it (same id, deduped)
    latencies: list[float]  # seconds from the 202 to the partner applying it


def outcome(rig: Rig, name: str, webhooks: list[Webhook], sending: Sending) -> Outcome:
    endpoint = rig.endpoints[name]
    applied = endpoint.applied()
    by_key = Counter((subject, stamp) for _id, subject, stamp, _at in applied)
    first_at = {(subject, stamp): at for _id, subject, stamp, at in applied}
    expected = {
        w.key: w.index for w in webhooks if w.key is not None and w.index in sending.accepted
    }
    present = [key for key in expected if key in by_key]
    latencies = sorted(first_at[key] - sending.accepted[index] for key, index in expected.items()
                       if key in first_at)  # fmt: skip
    return Outcome(
        name=name,
        expected=len(expected),
        applied_once=sum(1 for key in present if by_key[key] == 1),
        duplicates=sum(count - 1 for count in by_key.values() if count > 1),
        lost=len(expected) - len(present),
        redelivered=int(endpoint.stats()["redelivered"]),
        latencies=latencies,
    )


def p99(values: list[float]) -> float:
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(0.99 * len(ordered)) - 1)]


def database_counts(rig: Rig) -> dict[str, Any]:
    store = rig.store()
    try:
        with store.engine.connect() as conn:
            jobs = dict(
                conn.execute(text("SELECT status, count(*) FROM jobs GROUP BY status")).all()
            )
            messages = dict(
                conn.execute(text("SELECT status, count(*) FROM messages GROUP BY status")).all()
            )
            dead_types = dict(
                conn.execute(
                    text("SELECT job_type, count(*) FROM jobs WHERE status = 'dead' GROUP BY 1")
                ).all()
            )
            stored = conn.execute(
                text("SELECT count(*), count(DISTINCT dedup_key) FROM messages")
            ).one()
            breakers = dict(
                conn.execute(text("SELECT resource, times_opened FROM resource_states")).all()
            )
    finally:
        store.dispose()
    return {
        "jobs": jobs,
        "messages": messages,
        "dead_types": dead_types,
        "stored": tuple(stored),
        "breakers": breakers,
    }


@contextlib.asynccontextmanager
async def every(seconds: float, action: Callable[[], Awaitable[None]]) -> AsyncIterator[None]:
    """Run `action` every `seconds` while the block runs."""

    async def loop() -> None:
        while True:
            await asyncio.sleep(seconds)
            await action()

    task = asyncio.create_task(loop())
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


def times_opened(rig: Rig, endpoint: str) -> int:
    """How often the breaker of the subscription `endpoint` has opened so far."""
    store = rig.store()
    try:
        with store.engine.connect() as conn:
            found = conn.execute(
                text(
                    "SELECT r.times_opened FROM resource_states r JOIN subscriptions s"
                    " ON r.resource = 'notify:' || s.id WHERE s.name = :name"
                ),
                {"name": endpoint},
            ).scalar()
    finally:
        store.dispose()
    return int(found or 0)


async def until(
    condition: Callable[[], bool], what: str, timeout: float = 240, every: float = 0.2
) -> None:
    """Poll `condition` (a blocking read, run in a thread) until it holds."""
    deadline = time.monotonic() + timeout
    while not await asyncio.to_thread(condition):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        await asyncio.sleep(every)


def kill_a_worker(rig: Rig) -> None:
    """SIGKILL the oldest live worker and start a fresh one in its place."""
    live = [process for process in rig.workers if process.poll() is None]
    if live:
        kill_hard(live[0])
    rig.start_worker()
