"""The procurement flow's backend on Odoo: the flow's canonical decisions as Odoo actions.

Order lines are named by their Odoo ids: the Odoo mapping gives each canonical line the
`purchase.order.line` id as `line_id` (`mapping_purchase.py`), so no lookup table is needed.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Literal

from crossdock.config import PartnerConfig
from crossdock.connectors.odoo.actions import schedule_exception_activity
from crossdock.connectors.odoo.actions_purchase import (
    BillLine,
    LineUpdate,
    ReceivedLine,
    create_draft_vendor_bill,
    note_ship_notice,
    read_purchase_order,
    receive_purchase_order,
    update_purchase_lines,
)
from crossdock.connectors.odoo.client import OdooClient
from crossdock.connectors.odoo.partner import OdooPartnerSettings
from crossdock.connectors.odoo.pool import CLIENTS
from crossdock.flows.procurement.backend import (
    BillOutcome,
    DraftBill,
    ProcurementBackend,
    ReceiptOutcome,
)
from crossdock.flows.procurement.matching import Counted, Expected, Promise

__all__ = ["OdooProcurement", "backend_for"]


def _line(line_id: str) -> int:
    return int(line_id)


class OdooProcurement:
    def __init__(self, client: OdooClient) -> None:
        self.client = client

    async def apply_promises(self, po_number: str, promises: Sequence[Promise]) -> int:
        if not promises:
            return 0
        order = await read_purchase_order(self.client, po_number)
        updates = {
            _line(p.line_id): LineUpdate(
                product_qty=float(p.quantity) if p.quantity is not None else None,
                date_planned=p.promised_date,
            )
            for p in promises
        }
        return await update_purchase_lines(self.client, order, updates)

    async def expect_receipt(
        self, po_number: str, notice_id: str, expected_on: date | None, lines: dict[str, Expected]
    ) -> None:
        order = await read_purchase_order(self.client, po_number)
        parts = []
        for line_id, coming in sorted(lines.items()):
            name = order.lines[_line(line_id)].name if _line(line_id) in order.lines else line_id
            text = f"{coming.quantity} x {name}"
            if coming.lots:
                text += " (lots " + ", ".join(sorted(coming.lots)) + ")"
            if coming.packages:
                text += " in " + ", ".join(coming.packages)
            parts.append(text)
        await note_ship_notice(
            self.client,
            order,
            notice_id=notice_id,
            expected_on=expected_on,
            text="; ".join(parts) or "no items of this order",
        )

    async def receive(
        self,
        po_number: str,
        counted: Sequence[Counted],
        backorder: Literal["create", "cancel"],
        document: str,
    ) -> ReceiptOutcome:
        order = await read_purchase_order(self.client, po_number)
        received = {
            _line(line.line_id): ReceivedLine(
                float(line.quantity), {name: float(qty) for name, qty in line.lots.items()}
            )
            for line in counted
        }
        result = await receive_purchase_order(
            self.client, order, received, backorder=backorder, document=document
        )
        backorder_name = None
        if result.backorder_id is not None:
            [row] = await self.client.read("stock.picking", [result.backorder_id], ["name"])
            backorder_name = str(row["name"])
        return ReceiptOutcome(result.name, backorder_name, result.already_done)

    async def received_quantities(self, po_number: str) -> dict[str, Decimal]:
        order = await read_purchase_order(self.client, po_number)
        return {str(line.id): Decimal(str(line.qty_received)) for line in order.lines.values()}

    async def create_draft_bill(self, po_number: str, bill: DraftBill) -> BillOutcome:
        order = await read_purchase_order(self.client, po_number)
        result = await create_draft_vendor_bill(
            self.client,
            order,
            reference=bill.reference,
            invoice_date=bill.invoice_date,
            due_date=bill.due_date,
            lines=[
                BillLine(
                    _line(line.line_id), float(line.quantity), float(line.unit_price), line.label
                )
                for line in bill.lines
            ],
        )
        return BillOutcome(str(result.move_id), result.created)

    async def flag(self, po_number: str, summary: str, note: str, deadline: date) -> None:
        order = await read_purchase_order(self.client, po_number)
        await schedule_exception_activity(
            self.client, "purchase.order", order.id, summary=summary, note=note, deadline=deadline
        )


def backend_for(partner: PartnerConfig) -> ProcurementBackend:
    """Called inside a job (the client belongs to the running event loop)."""
    settings = OdooPartnerSettings.model_validate(partner.settings)
    return OdooProcurement(CLIENTS.get(partner.id, settings.odoo))
