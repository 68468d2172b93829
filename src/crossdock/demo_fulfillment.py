"""The second half of `crossdock demo`: orders from confirmation in Odoo to their invoice.

Sandbox Odoo, a sandbox WMS, a sandbox carrier's tracking webhooks and Crossdock on SQLite,
all over real HTTP on this machine (`sandbox.wms.stack.run_orders`): every order is
confirmed in Odoo, polled by Crossdock, released to the WMS, picked, packed and shipped
there (every tenth order one short, so backorders and their own releases show up),
validated in Odoo, delivered with proof of delivery and invoiced. A progress bar follows the
invoices; the summary table says where every delivery ended.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import uvicorn
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from crossdock.config import Config, DatabaseConfig, LoggingConfig
from crossdock.ids import new_id
from crossdock.runtime import Runtime
from crossdock.sandbox.wms.stack import ScenarioSummary, run_orders
from crossdock.sandbox.wms.warehouse import Behaviour
from crossdock.web.app import create_app
from crossdock.web.dashboard.settings import DashboardConfig, OperatorConfig

SHORT_EVERY = 10


async def run_fulfillment(workdir: Path, orders: int, console: Console) -> ScenarioSummary:
    database = f"sqlite:///{workdir / 'fulfillment.db'}"
    with Progress(
        TextColumn("orders invoiced"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    ) as progress:
        task = progress.add_task("invoiced", total=orders)
        return await run_orders(
            orders,
            database,
            workdir,
            behaviour=Behaviour(short_every=SHORT_EVERY),
            on_progress=lambda done, _total: progress.update(task, completed=done),
        )


def report(summary: ScenarioSummary, console: Console) -> bool:
    """Print the summary; whether every order reached its invoice with nothing lost."""
    table = Table("", "count", title=f"Outbound fulfillment: {summary.orders} orders")
    rows = [
        ("deliveries released to the WMS", summary.released),
        ("shipped", summary.shipped),
        ("partially shipped (backorder created)", summary.partially_shipped),
        ("delivered", summary.delivered),
        ("deliveries invoiced", summary.invoiced),
        ("orders invoiced in full", summary.orders_invoiced),
        ("exceptions (short picks raised for a person)", summary.exceptions),
        ("ownership conflicts", summary.conflicts),
        ("dead letters", summary.dead_letters),
        ("Odoo RPC calls", summary.odoo_rpcs),
    ]
    for label, number in rows:
        table.add_row(label, str(number))
    table.add_row("Odoo RPC calls per order", f"{summary.rpcs_per_order:.1f}")
    table.add_row("seconds (first poll to last invoice)", f"{summary.seconds:.1f}")
    table.add_row("orders per minute", f"{summary.orders_per_minute:.0f}")
    console.print(table)
    ok = (
        summary.orders_invoiced == summary.orders
        and summary.dead_letters == 0
        and summary.conflicts == 0
    )
    verdict = "[green]fulfillment ok[/]" if ok else "[red]fulfillment found a problem[/]"
    console.print(
        f"{verdict}: {summary.orders_invoiced} of {summary.orders} orders carried from "
        f"confirmation to invoice, {summary.partially_shipped} partial shipments with their "
        f"backorders, {summary.dead_letters} dead letters"
    )
    return ok


async def serve_dashboard(workdir: Path, port: int, console: Console) -> None:
    """Serve the control tower over the demo's store until interrupted (`--serve`)."""
    token_file = workdir / "operator.token"
    token_file.write_text(new_id() + "\n", encoding="utf-8")
    token_file.chmod(0o600)
    config = Config(
        database=DatabaseConfig(url=f"sqlite:///{workdir / 'fulfillment.db'}"),
        logging=LoggingConfig(level="warning"),
        dashboard=DashboardConfig(
            operators=[OperatorConfig(name="demo", token=f"file:{token_file}", role="admin")]
        ),
    )
    runtime = Runtime.build(config)
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(runtime, run_workers=False),
            host="127.0.0.1",
            port=port,
            log_level="warning",
        )
    )
    console.print(
        f"dashboard: http://127.0.0.1:{port}/ (log in with the token in {token_file}); "
        "Ctrl-C stops it"
    )
    try:
        await server.serve()
    except asyncio.CancelledError:
        server.should_exit = True
    finally:
        runtime.store.dispose()
