"""What the procurement flow needs from the system of record (Odoo), in canonical terms.

The flow decides; the backend carries out. The Odoo connector implements this protocol
(`connectors/odoo/procurement.py`) and declares it on its connector kind, so nothing
Odoo-specific leaks into the flow. Every method must be safe to call again with the same
arguments (the job that calls it may be retried after a crash).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal, Protocol

from crossdock.flows.procurement.matching import BillLine, Counted, Expected, Promise


@dataclass(frozen=True)
class ReceiptOutcome:
    receipt: str
    """The receipt's name in the system of record."""
    backorder: str | None
    already_done: bool = False


@dataclass(frozen=True)
class BillOutcome:
    bill_id: str
    created: bool


@dataclass(frozen=True)
class DraftBill:
    reference: str
    """The supplier's invoice number."""
    invoice_date: date
    due_date: date | None
    lines: Sequence[BillLine]


class ProcurementBackend(Protocol):
    async def apply_promises(self, po_number: str, promises: Sequence[Promise]) -> int:
        """Write promised quantities and dates on the order's lines; returns lines changed."""
        ...

    async def expect_receipt(
        self, po_number: str, notice_id: str, expected_on: date | None, lines: dict[str, Expected]
    ) -> None:
        """Tell the order's receipt what is coming (dates, packages, lots)."""
        ...

    async def receive(
        self,
        po_number: str,
        counted: Sequence[Counted],
        backorder: Literal["create", "cancel"],
        document: str,
    ) -> ReceiptOutcome:
        """Validate the order's open receipt with the counted quantities, once per
        `document` (the warehouse's receipt number), however often it is called."""
        ...

    async def received_quantities(self, po_number: str) -> dict[str, Decimal]:
        """What the system of record says was received, per order line."""
        ...

    async def create_draft_bill(self, po_number: str, bill: DraftBill) -> BillOutcome: ...

    async def flag(self, po_number: str, summary: str, note: str, deadline: date) -> None:
        """Ask a buyer to look at the order (a to-do on it)."""
        ...
