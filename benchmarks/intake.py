"""Intake benchmark: durable accepted webhooks per second and latency versus a bare route."""

from __future__ import annotations

import sys

if not __package__:
    sys.exit("run it from the repository root as: .venv/bin/python -m benchmarks.intake")

import argparse
import asyncio
import contextlib
import itertools
import os
import random
import shutil
import subprocess
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from sqlalchemy import create_engine, func, select

from benchmarks._common import (
    PARTNER,
    Server,
    cpu_by_pid,
    cpu_snapshot,
    crossdock_server,
    free_port,
    fresh_database,
    machine_busy_seconds,
    machine_line,
    parse_backends,
    percentile,
    postgres_version,
    print_table,
    reproduce_line,
    wait_for_quiet,
    write_config,
)
from crossdock.sandbox.generic_partner import encode, sample_event, signed_headers
from crossdock.store.schema import messages

WEBHOOK_PATH = f"/webhooks/{PARTNER}"
HELLO_PATH = "/hello"
TARGET_RATE = 5_000.0
TARGET_P99_MS = 50.0
TARGET_RATIO = 0.5
MAX_DURATION = 120.0

# The wrk script. Each thread keeps the pre-signed webhooks whose line number falls to it,
# formats them once in init(), and hands them out in order; response() counts statuses and
# keeps the message id of every 2xx answer, so the run can be checked against the database.
WRK_SCRIPT = r"""
local threads = {}
local next_tid = 0

function setup(thread)
   thread:set("tid", next_tid)
   next_tid = next_tid + 1
   table.insert(threads, thread)
end

function init(args)
   mode = args[1]
   local nthreads = tonumber(args[2])
   result_path = args[4]
   reqs = {}
   if mode == "webhook" then
      local i = 0
      for line in io.lines(args[3]) do
         if i % nthreads == tid then
            local id, ts, sig, body = line:match("^([^\t]+)\t([^\t]+)\t([^\t]+)\t(.*)$")
            reqs[#reqs + 1] = wrk.format("POST", nil, {
               ["Content-Type"] = "application/json",
               ["webhook-id"] = id,
               ["webhook-timestamp"] = ts,
               ["webhook-signature"] = sig,
            }, body)
         end
         i = i + 1
      end
   else
      reqs[1] = wrk.format("GET", nil, {}, nil)
   end
   pool = #reqs
   index = 0
   wrapped = 0
   statuses = {}
   ids = {}
   accepted = 0
   duplicates = 0
end

function request()
   index = index + 1
   if index > pool then
      index = 1
      wrapped = wrapped + 1
   end
   return reqs[index]
end

function response(status, headers, body)
   statuses[status] = (statuses[status] or 0) + 1
   if mode == "webhook" and status >= 200 and status < 300 then
      if headers["crossdock-duplicate"] or headers["Crossdock-Duplicate"] then
         duplicates = duplicates + 1
      else
         accepted = accepted + 1
         ids[accepted] = body:match('"message_id":"([^"]+)"') or "?"
      end
   end
end

function done(summary, latency, requests)
   local out = io.open(threads[1]:get("result_path"), "w")
   out:write(string.format("requests %.0f\n", summary.requests))
   out:write(string.format("duration_us %.0f\n", summary.duration))
   out:write(string.format("p50_us %.0f\n", latency:percentile(50)))
   out:write(string.format("p99_us %.0f\n", latency:percentile(99)))
   out:write(string.format("max_us %.0f\n", latency.max))
   for name, n in pairs(summary.errors) do
      out:write(string.format("error_%s %.0f\n", name, n))
   end
   for _, thread in ipairs(threads) do
      for status, n in pairs(thread:get("statuses")) do
         out:write(string.format("status_%d %.0f\n", status, n))
      end
      out:write(string.format("duplicates %.0f\n", thread:get("duplicates")))
      out:write(string.format("wrapped %.0f\n", thread:get("wrapped")))
      local ids = thread:get("ids")
      for i = 1, #ids do
         out:write("id ", ids[i], "\n")
      end
   end
   out:close()
end
"""


@dataclass(frozen=True)
class SignedWebhook:
    msg_id: str
    timestamp: str
    signature: str
    body: bytes


@dataclass
class LoadResult:
    """What one load run saw from the client side."""

    route: str
    generator: str
    duration_s: float
    responses: int
    statuses: Counter[int] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)
    duplicates: int = 0
    wrapped: int = 0
    p50_ms: float = float("nan")
    p99_ms: float = float("nan")
    max_ms: float = float("nan")
    answered_ids: list[str] = field(default_factory=list)
    client_cpu_s: float = 0.0

    @property
    def ok(self) -> int:
        """2xx answers; for webhooks only first deliveries (duplicates are not new messages)."""
        total = sum(n for status, n in self.statuses.items() if 200 <= status < 300)
        return total - self.duplicates

    @property
    def rate(self) -> float:
        return self.ok / self.duration_s if self.duration_s > 0 else 0.0


@dataclass
class Row:
    backend: str
    http_processes: int
    result: LoadResult
    bare_rate: float
    stored_new: int | None = None
    answered_stored: int | None = None
    server_cpu: float = 0.0
    postgres_cpu: float = 0.0
    # CPU share of each process of the server's group that did real work, busiest first.
    server_split: list[float] = field(default_factory=list)
    other_cpu: float = 0.0


# -- request pool --------------------------------------------------------------------------


def sign_pool(secret: str, count: int, seed: int) -> list[SignedWebhook]:
    """`count` distinct webhooks (unique webhook-id), signed now with the partner's secret."""
    rng = random.Random(seed)
    tag = uuid.uuid4().hex[:10]
    now = int(time.time())
    pool: list[SignedWebhook] = []
    for index in range(count):
        body = encode(sample_event(index, rng))
        msg_id = f"msg_{tag}_{index:08d}"
        headers = signed_headers(secret, body, msg_id, timestamp=now)
        pool.append(
            SignedWebhook(msg_id, headers["webhook-timestamp"], headers["webhook-signature"], body)
        )
    return pool


def write_pool(pool: Sequence[SignedWebhook], path: Path) -> None:
    with path.open("wb") as out:
        for hook in pool:
            if b"\n" in hook.body or b"\t" in hook.body:
                raise ValueError("a pooled body must be one line without tabs")
            out.write(f"{hook.msg_id}\t{hook.timestamp}\t{hook.signature}\t".encode())
            out.write(hook.body)
            out.write(b"\n")


# -- load generators -----------------------------------------------------------------------


def find_wrk(install: bool) -> str | None:
    found = shutil.which("wrk")
    if found or not install:
        return found
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        return None
    print("wrk is missing: installing it with apt-get (Debian package `wrk`) ...", flush=True)
    for command in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "wrk"]):
        with contextlib.suppress(subprocess.SubprocessError, OSError):
            subprocess.run(command, check=True, timeout=300, capture_output=True)
    return shutil.which("wrk")


def run_wrk(
    wrk: str,
    base: str,
    route: str,
    pool: Sequence[SignedWebhook],
    connections: int,
    threads: int,
    duration: float,
    workdir: Path,
) -> LoadResult:
    script = workdir / "intake.lua"
    script.write_text(WRK_SCRIPT, encoding="utf-8")
    pool_path = workdir / "pool.tsv"
    result_path = workdir / "wrk-result.txt"
    result_path.unlink(missing_ok=True)
    mode = "webhook" if route == WEBHOOK_PATH else "hello"
    if mode == "webhook":
        write_pool(pool, pool_path)
    command = [
        wrk,
        f"-t{threads}",
        f"-c{connections}",
        f"-d{max(1, round(duration))}s",
        "--timeout",
        "10s",
        "-s",
        str(script),
        base + route,
        "--",
        mode,
        str(threads),
        str(pool_path),
        str(result_path),
    ]
    log_path = workdir / "wrk.log"
    with log_path.open("wb") as log:
        proc = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + duration + 60
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                proc.returncode = os.waitstatus_to_exitcode(status)
                break
            if time.monotonic() > deadline:
                proc.kill()
                raise RuntimeError("wrk did not finish in time")
            time.sleep(0.05)
    if proc.returncode != 0 or not result_path.exists():
        raise RuntimeError(f"wrk failed ({proc.returncode}): {log_path.read_text()[-2000:]}")
    result = LoadResult(route=route, generator="wrk", duration_s=0.0, responses=0)
    result.client_cpu_s = usage.ru_utime + usage.ru_stime
    for line in result_path.read_text(encoding="utf-8").splitlines():
        key, _, value = line.partition(" ")
        if key == "id":
            result.answered_ids.append(value)
        elif key == "requests":
            result.responses = int(value)
        elif key == "duration_us":
            result.duration_s = int(value) / 1e6
        elif key in ("p50_us", "p99_us", "max_us"):
            setattr(result, key.replace("_us", "_ms"), int(value) / 1000)
        elif key.startswith("error_"):
            if int(value):
                result.errors[key.removeprefix("error_")] += int(value)
        elif key.startswith("status_"):
            result.statuses[int(key.removeprefix("status_"))] += int(value)
        elif key == "duplicates":
            result.duplicates += int(value)
        elif key == "wrapped":
            result.wrapped += int(value)
    return result


async def _httpx_load(
    base: str, route: str, pool: Sequence[SignedWebhook], connections: int, duration: float
) -> LoadResult:
    result = LoadResult(route=route, generator="httpx (asyncio)", duration_s=0.0, responses=0)
    latencies: list[float] = []
    counter = itertools.count()
    # One client (one keep-alive connection) per sender: a single client's pool shared by
    # 64 tasks spends its time managing waiters and falls to a few hundred requests/s.
    clients = [
        httpx.AsyncClient(
            base_url=base,
            limits=httpx.Limits(max_connections=1, max_keepalive_connections=1),
            timeout=10.0,
        )
        for _ in range(connections)
    ]
    start = time.perf_counter()
    stop_at = start + duration

    async def sender(client: httpx.AsyncClient) -> None:
        while time.perf_counter() < stop_at:
            index = next(counter)
            if route == WEBHOOK_PATH and index >= len(pool):
                return
            sent = time.perf_counter()
            try:
                if route == WEBHOOK_PATH:
                    hook = pool[index]
                    response = await client.post(
                        route,
                        content=hook.body,
                        headers={
                            "content-type": "application/json",
                            "webhook-id": hook.msg_id,
                            "webhook-timestamp": hook.timestamp,
                            "webhook-signature": hook.signature,
                        },
                    )
                else:
                    response = await client.get(route)
            except httpx.HTTPError as exc:
                result.errors[type(exc).__name__] += 1
                continue
            latencies.append(time.perf_counter() - sent)
            result.statuses[response.status_code] += 1
            if route == WEBHOOK_PATH and response.is_success:
                if response.headers.get("crossdock-duplicate"):
                    result.duplicates += 1
                else:
                    result.answered_ids.append(str(response.json()["message_id"]))

    try:
        await asyncio.gather(*(sender(client) for client in clients))
        result.duration_s = time.perf_counter() - start
    finally:
        for client in clients:
            await client.aclose()
    latencies.sort()
    result.responses = len(latencies)
    result.p50_ms = percentile(latencies, 50) * 1000
    result.p99_ms = percentile(latencies, 99) * 1000
    result.max_ms = (latencies[-1] if latencies else float("nan")) * 1000
    return result


def run_httpx(
    base: str, route: str, pool: Sequence[SignedWebhook], connections: int, duration: float
) -> LoadResult:
    before = time.process_time()
    try:
        import uvloop  # noqa: PLC0415  (uvicorn[standard] brings it; optional here)

        loop_factory: Callable[[], asyncio.AbstractEventLoop] | None = uvloop.new_event_loop
    except ImportError:
        loop_factory = None
    with asyncio.Runner(loop_factory=loop_factory) as runner:
        result = runner.run(_httpx_load(base, route, pool, connections, duration))
    result.client_cpu_s = time.process_time() - before
    return result


# -- the benchmark -------------------------------------------------------------------------


@dataclass(frozen=True)
class Settings:
    duration: float
    warmup: float
    connections: int
    wrk: str | None
    wrk_threads: int
    pool_rate: int
    wait_quiet: float
    max_batch: int | None


def load(
    settings: Settings,
    base: str,
    route: str,
    pool: Sequence[SignedWebhook],
    duration: float,
    workdir: Path,
) -> LoadResult:
    if settings.wrk:
        return run_wrk(
            settings.wrk,
            base,
            route,
            pool,
            settings.connections,
            settings.wrk_threads,
            duration,
            workdir,
        )
    return run_httpx(base, route, pool, settings.connections, duration)


def stored_ids(database_url: str) -> set[str]:
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            return {row[0] for row in conn.execute(select(messages.c.id))}
    finally:
        engine.dispose()


def stored_count(database_url: str) -> int:
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(messages)).scalar() or 0)
    finally:
        engine.dispose()


def measure(
    settings: Settings,
    backend: str,
    http_processes: int,
    server: Server,
    route: str,
    pool: Sequence[SignedWebhook],
    workdir: Path,
) -> Row:
    """One measured load run, with the CPU used meanwhile by the server and PostgreSQL."""
    before = cpu_snapshot([server.pid])
    busy_before, wall_before = machine_busy_seconds(), time.monotonic()
    result = load(settings, server.base, route, pool, settings.duration, workdir)
    busy, wall = machine_busy_seconds() - busy_before, time.monotonic() - wall_before
    after = cpu_snapshot([server.pid])
    seconds = result.duration_s or 1.0
    server_cpu = cpu_by_pid(before, after, "group")
    row = Row(
        backend,
        http_processes,
        result,
        bare_rate=0.0,
        server_cpu=sum(server_cpu.values()) / seconds,
        postgres_cpu=sum(cpu_by_pid(before, after, "postgres").values()) / seconds,
        server_split=sorted(
            (used / seconds for used in server_cpu.values() if used / seconds >= 0.01),
            reverse=True,
        ),
    )
    # Whatever else ran meanwhile (another test suite, ...) took CPU from the benchmark.
    ours = row.server_cpu + row.postgres_cpu + result.client_cpu_s / seconds
    row.other_cpu = max(0.0, busy / wall - ours)
    return row


def bench_stack(
    settings: Settings, backend: str, http_processes: int, workdir: Path
) -> tuple[Row, Row]:
    """Start one server; measure GET /hello, then POST /webhooks/bench; check the database."""
    run_dir = workdir / f"{backend}-{http_processes}"
    run_dir.mkdir()
    label = f"{backend}, {http_processes} HTTP process{'es' if http_processes > 1 else ''}"
    background = wait_for_quiet(settings.wait_quiet)
    if background >= 0.3:
        print(f"[{label}] measuring anyway: {background * 100:.0f}% of a core is taken by others")
    with fresh_database(backend, run_dir) as url:
        intake = {"group_commit_max_batch": settings.max_batch} if settings.max_batch else None
        config = write_config(run_dir, url, intake=intake)
        port = free_port()
        with crossdock_server(config.path, port, run_dir, http_processes) as server:
            base = server.base
            print(f"[{label}] server up at {base}; warming up ...", flush=True)
            warm_pool = sign_pool(config.secret, int(settings.warmup * settings.pool_rate), 7)
            load(settings, base, HELLO_PATH, [], settings.warmup, run_dir)
            load(settings, base, WEBHOOK_PATH, warm_pool, settings.warmup, run_dir)

            print(f"[{label}] GET {HELLO_PATH} for {settings.duration:.0f} s ...", flush=True)
            hello_row = measure(settings, backend, http_processes, server, HELLO_PATH, [], run_dir)
            hello_row.bare_rate = hello_row.result.rate

            count = int(settings.duration * settings.pool_rate)
            print(f"[{label}] signing {count} distinct webhooks ...", flush=True)
            pool = sign_pool(config.secret, count, 42)
            rows_before = stored_count(url)
            print(f"[{label}] POST {WEBHOOK_PATH} for {settings.duration:.0f} s ...", flush=True)
            hook_row = measure(
                settings, backend, http_processes, server, WEBHOOK_PATH, pool, run_dir
            )
            hook_row.bare_rate = hello_row.bare_rate
            hooks = hook_row.result
            # Requests still in flight when the generator stopped are committed within a
            # few milliseconds; give them a moment before counting.
            time.sleep(1.0)
        stored = stored_ids(url)
        hook_row.stored_new = len(stored) - rows_before
        hook_row.answered_stored = sum(1 for mid in hooks.answered_ids if mid in stored)
    return hello_row, hook_row


def fmt_rate(value: float) -> str:
    return f"{value:,.0f}"


def verdict(row: Row) -> str:
    result = row.result
    ratio = result.rate / row.bare_rate if row.bare_rate else 0.0
    checks = [
        f"rate {'PASS' if result.rate >= TARGET_RATE else 'FAIL'}",
        f"p99 {'PASS' if result.p99_ms < TARGET_P99_MS else 'FAIL'}",
        f"ratio {'PASS' if ratio >= TARGET_RATIO else 'FAIL'}",
    ]
    scope = "" if row.backend == "postgresql" else " (info: targets are for PostgreSQL)"
    return ", ".join(checks) + scope


def report(rows: Sequence[Row], settings: Settings, argv: Sequence[str]) -> bool:
    generator = rows[0].result.generator if rows else "?"
    print()
    print("Crossdock intake benchmark")
    print(f"machine:   {machine_line()}")
    print(
        f"generator: {generator}, {settings.connections} concurrent connections, "
        f"{settings.duration:.0f} s per route after {settings.warmup:.0f} s warm-up"
        + (f", {settings.wrk_threads} wrk thread(s)" if settings.wrk else "")
    )
    print(
        "server:    `crossdock serve --no-workers` subprocess: intake alone, no job workers "
        "(translate jobs are enqueued, not run)"
        + (f"; intake.group_commit_max_batch={settings.max_batch}" if settings.max_batch else "")
    )
    print()
    table: list[list[str]] = []
    for row in rows:
        result = row.result
        is_hook = result.route == WEBHOOK_PATH
        ratio = result.rate / row.bare_rate if row.bare_rate else 0.0
        table.append(
            [
                row.backend,
                str(row.http_processes),
                ("POST " if is_hook else "GET ") + result.route,
                f"{result.ok:,}",
                fmt_rate(result.rate),
                f"{result.p50_ms:.1f}",
                f"{result.p99_ms:.1f}",
                f"{ratio:.2f}",
                f"{row.server_cpu * 100:.0f}%/{row.postgres_cpu * 100:.0f}%/"
                f"{result.client_cpu_s / (result.duration_s or 1.0) * 100:.0f}%/"
                f"{row.other_cpu * 100:.0f}%",
                verdict(row) if is_hook else "",
            ]
        )
    print_table(
        [
            "backend",
            "http procs",
            "route",
            "requests",
            "accepted/s",
            "p50 ms",
            "p99 ms",
            "ratio to bare",
            "cpu srv/pg/gen/other",
            "targets",
        ],
        table,
    )
    print()
    print(
        f"targets: >= {TARGET_RATE:,.0f} accepted/s on PostgreSQL with "
        f"p99 < {TARGET_P99_MS:.0f} ms, "
        f"and >= {TARGET_RATIO}x the bare route's throughput. cpu = share of one core used by the "
        "server processes / PostgreSQL backends / load generator / anything else "
        "during the run "
        f"({os.cpu_count()} cores in all)."
    )
    noisy = [row for row in rows if row.other_cpu >= 0.15]
    if noisy:
        worst = max(row.other_cpu for row in noisy)
        print(
            f"WARNING: other processes used up to {worst * 100:.0f}% of a core during "
            f"{len(noisy)} of the runs: those figures understate what the stack can do."
        )
    for row in rows:
        if row.http_processes > 1:
            split = ", ".join(f"{share * 100:.0f}%" for share in row.server_split)
            print(
                f"{row.backend}, {row.http_processes} HTTP processes, {row.result.route}: "
                f"CPU per server process (busiest first) {split}"
            )
    print()
    all_ok = True
    for row in rows:
        result = row.result
        if result.route != WEBHOOK_PATH:
            if result.errors or any(not 200 <= s < 300 for s in result.statuses):
                print(
                    f"{row.backend}/{row.http_processes}: /hello had errors "
                    f"{dict(result.errors)} {dict(result.statuses)}"
                )
            continue
        durable = row.answered_stored == result.ok
        all_ok &= durable
        unanswered = (row.stored_new or 0) - result.ok
        print(
            f"check {row.backend}, {row.http_processes} proc: 2xx answers {result.ok:,}; "
            f"stored rows carrying those message ids {row.answered_stored:,} "
            f"-> {'OK, every 2xx answer is durable' if durable else 'MISMATCH'}; "
            f"rows added during the run {row.stored_new:,} "
            f"({unanswered:+,} sent but unanswered when the generator stopped, "
            f"at most one per connection)"
        )
        other = {s: n for s, n in result.statuses.items() if not 200 <= s < 300}
        if other or result.errors or result.duplicates or result.wrapped:
            all_ok = False
            print(
                f"  problems: non-2xx {other}, socket errors {dict(result.errors)}, "
                f"duplicates {result.duplicates}, pool wrapped {result.wrapped}x "
                "(raise --pool-rate)"
            )
    print()
    print("reproduce: " + reproduce_line("benchmarks.intake", argv))
    return all_ok


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--duration", type=float, default=15.0, help="seconds per route")
    parser.add_argument("--warmup", type=float, default=2.0, help="seconds of warm-up per route")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument(
        "--http-processes",
        default="1,2",
        help="comma list of HTTP process counts to try on PostgreSQL (SQLite always uses 1)",
    )
    parser.add_argument("--generator", choices=("auto", "wrk", "httpx"), default="auto")
    parser.add_argument("--wrk-threads", type=int, default=1)
    parser.add_argument(
        "--pool-rate",
        type=int,
        default=12_000,
        help="pre-signed webhooks per second of --duration (the pool must outlast the run)",
    )
    parser.add_argument(
        "--max-batch",
        type=int,
        default=None,
        help="set intake.group_commit_max_batch in the server's config (default: its default)",
    )
    parser.add_argument(
        "--wait-quiet",
        type=float,
        default=120.0,
        help="seconds to wait at most, before each server, for other processes to go idle",
    )
    parser.add_argument(
        "--no-install", action="store_true", help="do not apt-get install wrk when it is missing"
    )
    args = parser.parse_args(argv)
    if not 1 <= args.duration <= MAX_DURATION or not 0 <= args.warmup <= 30:
        parser.error(f"--duration must be 1..{MAX_DURATION:.0f} s and --warmup 0..30 s")
    if not 1 <= args.connections <= 1024:
        parser.error("--connections must be 1..1024")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args = parse_args(argv)
    backends = parse_backends(args.backends)
    processes = sorted({int(part) for part in args.http_processes.split(",") if part.strip()})
    wrk = None
    if args.generator in ("auto", "wrk"):
        wrk = find_wrk(install=not args.no_install)
        if wrk is None and args.generator == "wrk":
            print("wrk is not installed: apt-get update && apt-get install -y wrk")
            return 2
    if wrk is None:
        reason = "as asked" if args.generator == "httpx" else "since wrk is unavailable"
        print(
            f"load generator: httpx (asyncio) fallback, {reason}; it is far slower than wrk "
            "and shares the CPU with the server, so it is likely the bottleneck"
        )
    settings = Settings(
        duration=args.duration,
        warmup=args.warmup,
        connections=args.connections,
        wrk=wrk,
        wrk_threads=max(1, min(args.wrk_threads, args.connections)),
        pool_rate=args.pool_rate,
        wait_quiet=args.wait_quiet,
        max_batch=args.max_batch,
    )
    if "postgresql" in backends:
        print(f"PostgreSQL {postgres_version()}")
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="crossdock-bench-") as tmp:
        workdir = Path(tmp)
        for backend in backends:
            for count in processes if backend == "postgresql" else [1]:
                rows.extend(bench_stack(settings, backend, count, workdir))
    return 0 if report(rows, settings, argv) else 1


if __name__ == "__main__":
    raise SystemExit(main())
