"""Fault injection, measured: per scenario, what was sent, accepted, applied once, applied
twice and lost, how long the backlog took to drain after the fault, and the healthy partners'
p99 latency (202 → applied at the partner) during the fault.

The same scenarios as tests/faults (tests/faults/scenarios.py), at the issue's size: a burst
of 3,000 webhooks per scenario, `crossdock serve` and two `crossdock worker` processes on
PostgreSQL, the partner endpoints and the Odoo sandbox as processes of their own. Every
accepted event is expected at each partner: two notification endpoints (the faulty "wms"
and the healthy "portal") and, in the Odoo scenario, the pickings' chatter.

The PostgreSQL restart restarts the machine's server: it runs only with
CROSSDOCK_FAULTS_PG_RESTART=1 and `--scenarios pg-restart`.

Run from the repository root: `.venv/bin/python -m benchmarks.faults` (all but pg-restart),
or e.g. `.venv/bin/python -m benchmarks.faults --events 600 --scenarios flaky,hang`.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from benchmarks._common import fresh_database, machine_line, print_table, reproduce_line
from tests.faults import odoo_down, scenarios
from tests.faults.scenarios import Report

SCENARIOS: dict[str, Callable[[str, Path, int], Report]] = {
    "odoo-down": odoo_down.odoo_down_mid_burst,
    "flaky": scenarios.flaky_then_throttled,
    "hang": scenarios.hanging_partner,
    "sigkill": scenarios.killed_workers,
    "poison": scenarios.poison_messages,
    "pg-restart": scenarios.postgres_restarted,
}
DEFAULT = [name for name in SCENARIOS if name != "pg-restart"]


def row(name: str, report: Report, seconds: float) -> list[str]:
    return [
        name,
        str(report.sent),
        str(report.accepted),
        f"{report.applied_once}/{report.expected}",
        str(report.duplicates),
        str(report.lost),
        str(sum(o.redelivered for o in report.outcomes.values())),
        f"{report.drain_after_recovery:.1f}",
        f"{report.healthy_p99:.2f}",
        f"{seconds:.0f}",
    ]


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=3000, help="webhooks per scenario")
    parser.add_argument("--scenarios", default=",".join(DEFAULT), help=",".join(SCENARIOS))
    parser.add_argument("--workdir", type=Path, help="keep logs and configs here")
    args = parser.parse_args(argv)
    chosen = [name.strip() for name in args.scenarios.split(",") if name.strip()]
    unknown = [name for name in chosen if name not in SCENARIOS]
    if unknown:
        raise SystemExit(f"unknown scenarios {unknown}; choose from {list(SCENARIOS)}")
    print(machine_line())
    print(reproduce_line("benchmarks.faults", argv))
    rows = []
    ok = True
    for name in chosen:
        with tempfile.TemporaryDirectory(prefix=f"crossdock-faults-{name}-") as tmp:
            workdir = args.workdir / name if args.workdir else Path(tmp)
            workdir.mkdir(parents=True, exist_ok=True)
            with fresh_database("postgresql", workdir) as url:
                started = time.monotonic()
                report = SCENARIOS[name](url, workdir, args.events)
                rows.append(row(name, report, time.monotonic() - started))
        ok = ok and report.duplicates == 0 and report.lost == 0
        print(f"  {name}: {report.scenario}; notes {report.notes}", flush=True)
    print_table(
        [
            "scenario", "sent", "accepted", "applied once", "duplicates", "lost",
            "redelivered", "drain s", "healthy p99 s", "run s",
        ],
        rows,
    )  # fmt: skip
    print(
        "  applied once: events applied exactly once, over all partners (events x partners);"
        " redelivered: sent again after the partner had it, deduplicated by webhook-id"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
