"""Orders per minute from confirmation in Odoo to invoice, and Odoo RPCs per order.

The whole outbound scenario on the sandboxes (Odoo, WMS, tracking), in one process over
real HTTP: `crossdock.sandbox.wms.stack.run_orders`. Crossdock's clock is driven (polls
are due at once), so the figure is what the pipeline does, not how long it waits.
Run from the repository root: `.venv/bin/python -m benchmarks.fulfillment --orders 1000`.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from pathlib import Path

from benchmarks._common import fresh_database, machine_line, print_table, reproduce_line
from crossdock.observe.logging import configure_logging
from crossdock.sandbox.wms.stack import run_orders
from crossdock.sandbox.wms.warehouse import Behaviour


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--orders", type=int, default=1000)
    parser.add_argument("--short-every", type=int, default=10, help="a short pick every n orders")
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument(
        "--sqlite-synchronous", choices=["FULL", "NORMAL"], default="FULL",
        help="NORMAL survives process crashes, FULL also power loss",
    )  # fmt: skip
    args = parser.parse_args(argv)
    configure_logging("error", "console")
    with tempfile.TemporaryDirectory() as work, fresh_database(args.db, Path(work)) as url:
        summary = asyncio.run(
            run_orders(
                args.orders,
                url,
                Path(work),
                behaviour=Behaviour(short_every=args.short_every),
                sqlite_synchronous=args.sqlite_synchronous,
            )
        )
    print(machine_line())
    print_table(
        ["orders", "deliveries released", "shipped", "partial", "delivered", "invoiced",
         "orders invoiced", "exceptions", "dead", "seconds", "orders/min", "Odoo RPCs/order"],
        [[str(summary.orders), str(summary.released), str(summary.shipped),
          str(summary.partially_shipped), str(summary.delivered), str(summary.invoiced),
          str(summary.orders_invoiced),
          str(summary.exceptions), str(summary.dead_letters), f"{summary.seconds:.1f}",
          f"{summary.orders_per_minute:.0f}", f"{summary.rpcs_per_order:.1f}"]],
    )  # fmt: skip
    print("reproduce:", reproduce_line("benchmarks.fulfillment", sys.argv[1:]))


if __name__ == "__main__":
    main()
