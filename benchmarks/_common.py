"""Shared helpers for the benchmarks: temp configs, fresh databases, server and worker processes."""

from __future__ import annotations

import contextlib
import math
import os
import platform
import shlex
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import yaml
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from crossdock.sandbox.generic_partner import new_secret

REPO = Path(__file__).resolve().parent.parent
VENV_BIN = REPO / ".venv" / "bin"
CROSSDOCK = VENV_BIN / "crossdock"
PG_ADMIN_URL = os.environ.get(
    "CROSSDOCK_BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
LOOPBACK = "127.0.0.1"
PARTNER = "bench"
BACKENDS = ("sqlite", "postgresql")


def free_port() -> int:
    """A TCP port on the loopback that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOOPBACK, 0))
        return int(sock.getsockname()[1])


def parse_backends(value: str) -> list[str]:
    chosen = [part.strip() for part in value.split(",") if part.strip()]
    unknown = [name for name in chosen if name not in BACKENDS]
    if unknown or not chosen:
        raise SystemExit(f"--backends takes a comma list of {', '.join(BACKENDS)}, not {value!r}")
    return chosen


def machine_line() -> str:
    """Cores, memory and Python version, for the printed report."""
    try:
        pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        memory = f"{pages / 2**30:.0f} GiB"
    except (ValueError, OSError):
        memory = "? GiB"
    return (
        f"{os.cpu_count()} cores, {memory}, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}"
    )


def reproduce_line(module: str, argv: Sequence[str]) -> str:
    command = [str(Path(".venv/bin/python")), "-m", module, *argv]
    return "cd " + shlex.quote(str(REPO)) + " && " + shlex.join(command)


# -- databases ---------------------------------------------------------------------------


@contextlib.contextmanager
def fresh_database(backend: str, workdir: Path) -> Iterator[str]:
    """Yield the URL of an empty database: a new SQLite file, or a PostgreSQL database made
    with CREATE DATABASE and dropped (WITH FORCE) afterwards."""
    if backend == "sqlite":
        yield f"sqlite:///{workdir / f'bench-{uuid.uuid4().hex[:8]}.db'}"
        return
    name = f"crossdock_bench_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        url = make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def postgres_version() -> str:
    admin = create_engine(PG_ADMIN_URL)
    try:
        with admin.connect() as conn:
            return str(conn.execute(text("SHOW server_version")).scalar())
    finally:
        admin.dispose()


# -- config ------------------------------------------------------------------------------


@dataclass(frozen=True)
class BenchConfig:
    path: Path
    secret: str
    database_url: str


def write_config(
    workdir: Path,
    database_url: str,
    *,
    plugins: Sequence[str] = (),
    workers: dict[str, Any] | None = None,
    intake: dict[str, Any] | None = None,
    pool_size: int | None = None,
) -> BenchConfig:
    """Write a crossdock.yaml with one generic partner whose secret is a `file:` reference."""
    secret = new_secret()
    secret_file = workdir / f"{PARTNER}.secret"
    secret_file.write_text(secret + "\n", encoding="utf-8")
    secret_file.chmod(0o600)
    database: dict[str, Any] = {"url": database_url}
    if pool_size is not None:
        database["pool_size"] = pool_size
    data: dict[str, Any] = {
        "database": database,
        "partners": [{"id": PARTNER, "kind": "generic", "secrets": [f"file:{secret_file}"]}],
        "logging": {"level": "warning", "format": "json"},
        "plugins": list(plugins),
    }
    if workers:
        data["workers"] = workers
    if intake:
        data["intake"] = intake
    path = workdir / "crossdock.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return BenchConfig(path=path, secret=secret, database_url=database_url)


# -- processes ---------------------------------------------------------------------------


def subprocess_env() -> dict[str, str]:
    """The environment for crossdock subprocesses: the repo root on PYTHONPATH, so a plugin
    named `benchmarks.noop_plugin:register` imports (benchmarks/ itself must not be on the
    path: its queue.py would shadow the standard library's `queue`)."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        part for part in (str(REPO), env.get("PYTHONPATH", "")) if part
    )
    env.pop("CROSSDOCK_CONFIG", None)
    return env


def stop_process(proc: subprocess.Popen[bytes], timeout: float = 15.0) -> None:
    """SIGTERM the process group we started, then SIGKILL it if it lingers."""
    if proc.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=5)


def tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


@dataclass(frozen=True)
class Server:
    base: str
    pid: int  # leads its own process group, which holds every HTTP process


@contextlib.contextmanager
def crossdock_server(
    config: Path, port: int, workdir: Path, http_processes: int = 1, startup_timeout: float = 60.0
) -> Iterator[Server]:
    """Run `crossdock serve --no-workers` as a subprocess; yield it once /healthz answers."""
    command = [
        str(CROSSDOCK),
        "serve",
        "--config",
        str(config),
        "--host",
        LOOPBACK,
        "--port",
        str(port),
        "--no-workers",
        "--http-processes",
        str(http_processes),
    ]
    log_path = workdir / f"serve-{port}.log"
    with log_path.open("wb") as log_file:
        proc = subprocess.Popen(
            command,
            cwd=workdir,
            env=subprocess_env(),
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://{LOOPBACK}:{port}"
    try:
        deadline = time.monotonic() + startup_timeout
        while True:
            if proc.poll() is not None:
                raise RuntimeError(
                    f"crossdock serve exited with {proc.returncode}:\n{tail(log_path)}"
                )
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{base}/healthz", timeout=1.0).status_code == 200:
                    break
            if time.monotonic() > deadline:
                raise RuntimeError(f"crossdock serve did not answer in time:\n{tail(log_path)}")
            time.sleep(0.1)
        yield Server(base=base, pid=proc.pid)
    finally:
        stop_process(proc)


def start_workers(
    config: Path, count: int, workdir: Path, concurrency: int | None = None
) -> list[subprocess.Popen[bytes]]:
    """Start `count` `crossdock worker` subprocesses, each in its own process group."""
    procs: list[subprocess.Popen[bytes]] = []
    for index in range(count):
        command = [str(CROSSDOCK), "worker", "--config", str(config)]
        if concurrency is not None:
            command += ["--concurrency", str(concurrency)]
        log_path = workdir / f"worker-{index}.log"
        with log_path.open("wb") as log_file:
            procs.append(
                subprocess.Popen(
                    command,
                    cwd=workdir,
                    env=subprocess_env(),
                    stdout=log_file,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            )
    return procs


# -- CPU accounting from /proc ---------------------------------------------------------------

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def _proc_stats() -> Iterator[tuple[int, str, int, float]]:
    """(pid, command, process group, CPU seconds) of every process we can read."""
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            raw = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        comm = raw[raw.index("(") + 1 : raw.rindex(")")]
        fields = raw[raw.rindex(")") + 2 :].split()
        # fields[0] is state (field 3); pgrp is field 5, utime 14, stime 15.
        yield int(entry), comm, int(fields[2]), (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def cpu_snapshot(groups: Collection[int]) -> dict[str, dict[int, float]]:
    """CPU seconds so far of each process in the given process groups ("group") and of
    each PostgreSQL process ("postgres")."""
    snapshot: dict[str, dict[int, float]] = {"group": {}, "postgres": {}}
    for pid, comm, pgrp, seconds in _proc_stats():
        if pgrp in groups:
            snapshot["group"][pid] = seconds
        elif comm == "postgres":
            snapshot["postgres"][pid] = seconds
    return snapshot


def machine_busy_seconds() -> float:
    """CPU seconds all cores have spent busy since boot (from the first line of /proc/stat)."""
    fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(f) for f in fields[:8])
    return (user + nice + system + irq + softirq + steal) / CLOCK_TICKS


def wait_for_quiet(limit: float, threshold: float = 0.3) -> float:
    """Wait (at most `limit` seconds) until other processes use less than `threshold` of a
    core; return the load last seen, so a noisy run can be flagged in the report."""
    deadline = time.monotonic() + limit
    announced = False
    quiet_samples = 0
    while True:
        before, started = machine_busy_seconds(), time.monotonic()
        time.sleep(1.0)
        load = (machine_busy_seconds() - before) / (time.monotonic() - started)
        quiet_samples = quiet_samples + 1 if load < threshold else 0
        if quiet_samples >= 2 or time.monotonic() >= deadline:
            return load
        if not announced:
            print(
                f"the machine is busy ({load * 100:.0f}% of a core used by other processes); "
                f"waiting up to {limit:.0f} s for it to calm down ...",
                flush=True,
            )
            announced = True


def cpu_by_pid(
    before: dict[str, dict[int, float]], after: dict[str, dict[int, float]], key: str
) -> dict[int, float]:
    return {pid: after[key][pid] - before[key].get(pid, 0.0) for pid in after[key]}


def percentile(sorted_values: Sequence[float], pct: float) -> float:
    """Nearest-rank percentile of an already sorted sequence."""
    if not sorted_values:
        return float("nan")
    rank = max(1, min(len(sorted_values), math.ceil(pct / 100 * len(sorted_values))))
    return sorted_values[rank - 1]


def print_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    widths = [len(h) for h in headers]
    for row in rows:
        widths = [max(w, len(cell)) for w, cell in zip(widths, row, strict=True)]
    line = "  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True))
    print(line)
    print("  ".join("-" * w for w in widths))
    for row in rows:
        print(
            "  ".join(
                cell.rjust(w) if i else cell.ljust(w)
                for i, (cell, w) in enumerate(zip(row, widths, strict=True))
            )
        )
    sys.stdout.flush()
