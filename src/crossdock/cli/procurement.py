"""`crossdock procurement`: the interchanges exchanged with suppliers and the orders' states."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from crossdock.cli.common import ConfigOption, console, fail, open_runtime
from crossdock.connectors.edi.partner import bookkeeping
from crossdock.flows.procurement import state as states

app = typer.Typer(help="Suppliers' interchanges and purchase orders.", no_args_is_help=True)


@app.command()
def interchanges(
    config: ConfigOption = None,
    partner: Annotated[str, typer.Option(help="Supplier partner id.")] = "",
    status: Annotated[
        str | None, typer.Option(help="pending, accepted, rejected, overdue or none.")
    ] = None,
) -> None:
    """List interchanges received from and sent to a supplier, with their acknowledgement."""
    if not partner:
        raise fail("--partner is required")
    runtime = open_runtime(config)
    with runtime.store.engine.connect() as conn:
        rows = bookkeeping.for_partner(conn, partner)
    table = Table("dir", "control", "document", "file", "created", "ack", "due", "detail")
    shown = [row for row in rows if status is None or row.ack_status == status]
    for row in shown:
        table.add_row(
            row.direction,
            row.control_number,
            row.document or "",
            row.file_name or row.reply_file or "",
            row.created_at.isoformat(timespec="seconds"),
            row.ack_status,
            row.ack_due_at.isoformat(timespec="seconds") if row.ack_due_at else "",
            "; ".join((row.ack_detail or {}).get("details", [])),
        )
    console.print(table)
    console.print(f"{len(shown)} interchange(s)")


@app.command()
def order(po_number: str, config: ConfigOption = None) -> None:
    """Show a purchase order's procurement state and the exceptions raised on the way."""
    runtime = open_runtime(config)
    with runtime.store.engine.connect() as conn:
        found = states.get(conn, po_number)
    if found is None:
        raise fail(f"no purchase order {po_number} in the procurement flow")
    console.print(f"[bold]{found.po_number}[/]  {found.state}  supplier {found.supplier or '-'}")
    for exception in found.exceptions:
        console.print(f"{exception['step']} {exception['document']}:", markup=False)
        for issue in exception["issues"]:
            console.print(f"  {issue['kind']}: {issue['detail']}", markup=False)
