"""Audit chain cost: appends/s with 1, 4 and 8 concurrent writers (each append its own
transaction, as a status change's job would), against the same inserts without the chain,
and how fast `audit verify` walks the result.

    .venv/bin/python -m benchmarks.audit [--backends sqlite,postgresql] [--entries 2000]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Connection, Engine, insert

from benchmarks._common import (
    fresh_database,
    machine_line,
    parse_backends,
    postgres_version,
    print_table,
    reproduce_line,
)
from crossdock.security.audit_verify import verify
from crossdock.store import audit, migrate
from crossdock.store.engine import make_engine
from crossdock.store.schema import audit_log

AT = datetime(2026, 12, 4, tzinfo=UTC)
WRITERS = (1, 4, 8)


def chained(conn: Connection, n: int) -> None:
    audit.append(
        conn,
        at=AT,
        actor="flow:status_board",
        action="status.changed",
        target=f"shipment:{n}",
        details={"event_id": f"e-{n}", "partner": "bench"},
        before={"status": "in_transit"},
        after={"status": "delivered"},
    )


def unchained(conn: Connection, n: int) -> None:
    conn.execute(
        insert(audit_log).values(
            at=AT,
            actor="flow:status_board",
            action="status.changed",
            target=f"shipment:{n}",
            details={"event_id": f"e-{n}", "partner": "bench"},
        )
    )


def run(
    engine: Engine, writers: int, entries: int, write: Callable[[Connection, int], None]
) -> float:
    """Entries per second with `writers` threads sharing `entries` one-entry transactions."""
    per_writer = entries // writers

    def work(offset: int) -> None:
        for n in range(per_writer):
            with engine.begin() as conn:
                write(conn, offset + n)

    threads = [threading.Thread(target=work, args=(w * per_writer,)) for w in range(writers)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return per_writer * writers / (time.perf_counter() - start)


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--entries", type=int, default=2000, help="entries per measurement")
    args = parser.parse_args(argv)
    print(machine_line())
    print(f"PostgreSQL {postgres_version()}")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for backend in parse_backends(args.backends):
            for writers in WRITERS:
                figures = {}
                for label, write in (("plain", unchained), ("chained", chained)):
                    with fresh_database(backend, Path(tmp)) as url:
                        engine = make_engine(url, pool_size=max(writers, 2))
                        migrate.upgrade(engine)
                        figures[label] = run(engine, writers, args.entries, write)
                        if label == "chained":
                            start = time.perf_counter()
                            with engine.connect() as conn:
                                report = verify(conn)
                            assert report.ok, report.broken
                            figures["verify"] = report.entries / (time.perf_counter() - start)
                        engine.dispose()
                rows.append(
                    [
                        backend,
                        str(writers),
                        f"{figures['plain']:,.0f}",
                        f"{figures['chained']:,.0f}",
                        f"{figures['chained'] / figures['plain']:.2f}",
                        f"{figures['verify']:,.0f}",
                    ]
                )
    print_table(
        ["backend", "writers", "plain inserts/s", "chained appends/s", "ratio", "verify entries/s"],
        rows,
    )
    print(reproduce_line("benchmarks.audit", argv))


if __name__ == "__main__":
    main(sys.argv[1:])
