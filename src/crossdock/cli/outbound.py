"""`crossdock outbound`: where each delivery order stands, its exceptions and conflicts."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from crossdock.cli.common import ConfigOption, console, fail, open_runtime
from crossdock.flows.outbound import repository

app = typer.Typer(help="Outbound fulfillment: delivery orders from release to invoice.")

StateOption = Annotated[str | None, typer.Option(help="Only delivery orders in this state.")]


@app.command("list")
def list_fulfillments(config: ConfigOption = None, state: StateOption = None) -> None:
    """Every delivery order the flow knows, with its state, WMS order and tracking numbers."""
    runtime = open_runtime(config)
    rows = [r for r in repository.all_rows(runtime.store) if state is None or r.state == state]
    table = Table("delivery", "order", "state", "WMS", "WMS order", "tracking", "invoices")
    for row in rows:
        table.add_row(
            row.fulfillment_id,
            row.correlation_id or "",
            row.state + (f" ({row.hold_reason})" if row.hold_reason else ""),
            row.wms_partner or "",
            row.wms_order_id or "",
            ", ".join(row.tracking_numbers),
            ", ".join(str(i) for i in row.invoice_ids),
        )
    console.print(table)
    console.print(f"{len(rows)} delivery order(s)")


@app.command()
def show(
    fulfillment: Annotated[str, typer.Argument(help="The delivery order, e.g. WH/OUT/00042.")],
    config: ConfigOption = None,
) -> None:
    """One delivery order: its state, what shipped, its exceptions and conflicts."""
    runtime = open_runtime(config)
    row = repository.get(runtime.store, fulfillment)
    if row is None:
        raise fail(f"no delivery order {fulfillment!r} is known to the outbound flow")
    console.print(f"{row.fulfillment_id} ({row.correlation_id}): {row.state}")
    console.print(f"  shipped: {row.shipped or '-'}; confirmations: {row.confirmations or '-'}")
    for item in repository.exceptions(runtime.store, fulfillment):
        console.print(f"  exception {item['kind']}: {item['detail']}", highlight=False)
    for item in repository.conflicts(runtime.store, f"picking:{fulfillment}"):
        console.print(
            f"  conflict on {item['field']}: {item['owner']} owns {item['owner_value']!r}, "
            f"{item['reported_by']} reported {item['reported_value']!r}",
            highlight=False,
        )


@app.command()
def exceptions(config: ConfigOption = None) -> None:
    """Holds, short picks, refused shipments and cancellation conflicts, oldest first."""
    runtime = open_runtime(config)
    found = repository.exceptions(runtime.store)
    table = Table("at", "delivery", "kind", "detail")
    for item in found:
        table.add_row(
            item["created_at"].isoformat(timespec="seconds"),
            item["fulfillment_id"],
            item["kind"],
            item["detail"],
        )
    console.print(table)
    console.print(f"{len(found)} exception(s)")


@app.command()
def conflicts(config: ConfigOption = None) -> None:
    """Updates refused because their sender does not own the field, with both values."""
    runtime = open_runtime(config)
    found = repository.conflicts(runtime.store)
    table = Table("at", "entity", "field", "owner", "owner's value", "reported by", "reported")
    for item in found:
        table.add_row(
            item["created_at"].isoformat(timespec="seconds"),
            item["entity"],
            item["field"],
            item["owner"],
            item["owner_value"] or "",
            item["reported_by"],
            item["reported_value"] or "",
        )
    console.print(table)
    console.print(f"{len(found)} conflict(s)")
