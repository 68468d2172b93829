"""Checking a ship confirmation against the delivery order: pure quantities, no I/O.

Quantities are compared in the order's units per line (the Odoo move the release carried):
more than the demand (counting earlier confirmations) is an over-shipment and the whole
confirmation is refused before Odoo is touched; less is a partial shipment, whose rest goes
to a backorder or is cancelled by the customer's policy.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from crossdock.canonical.carrier import FulfillmentRequest
from crossdock.canonical.fulfillment import ExecutedLine


@dataclass(frozen=True)
class LineShipment:
    move_id: int
    quantity: Decimal
    lots: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class ShipmentCheck:
    lines: list[LineShipment]
    over: list[str]
    short: list[str]

    @property
    def refused(self) -> bool:
        return bool(self.over)

    @property
    def nothing(self) -> bool:
        """Nothing at all left the warehouse: not a shipment Odoo can validate."""
        return not self.over and not self.lines


def demand(request: FulfillmentRequest) -> dict[str, Decimal]:
    return {line.line_id: line.quantity.value for line in request.lines}


def check_shipment(
    request: FulfillmentRequest, already: dict[str, str], lines: list[ExecutedLine]
) -> ShipmentCheck:
    wanted = demand(request)
    over: list[str] = []
    planned: list[LineShipment] = []
    for line in lines:
        before = Decimal(already.get(line.line_id, "0"))
        asked = wanted.get(line.line_id)
        if asked is None:
            over.append(f"line {line.line_id} ({line.sku}) is not on the delivery order")
            continue
        if before + line.quantity.value > asked:
            over.append(
                f"line {line.line_id} ({line.sku}): {before + line.quantity.value} shipped "
                f"of {asked} ordered"
            )
            continue
        if not line.line_id.isdigit():
            over.append(f"line {line.line_id} does not name an Odoo move")
            continue
        if line.quantity.value <= 0:
            continue  # reported, but nothing of it left: the rest goes by policy
        lots = {lot.lot: float(lot.quantity.value) for lot in line.lots}
        planned.append(LineShipment(int(line.line_id), line.quantity.value, lots))
    reported = {line.line_id: line.quantity.value for line in lines}
    short = [
        f"line {line_id}: {reported.get(line_id, Decimal(0)) + Decimal(already.get(line_id, '0'))}"
        f" of {asked}"
        for line_id, asked in wanted.items()
        if reported.get(line_id, Decimal(0)) + Decimal(already.get(line_id, "0")) < asked
    ]
    return ShipmentCheck(planned, over, short)


def short_picks(request: FulfillmentRequest, lines: list[ExecutedLine]) -> list[str]:
    """Lines picked short, as `line <id> (<sku>): <picked> of <ordered>[: reason]`."""
    wanted = demand(request)
    picked = {line.line_id: line for line in lines}
    found: list[str] = []
    for line_id, asked in wanted.items():
        line = picked.get(line_id)
        quantity = line.quantity.value if line else Decimal(0)
        if quantity < asked:
            reason = f": {line.short_reason}" if line and line.short_reason else ""
            found.append(f"line {line_id}: {quantity} of {asked} picked{reason}")
    return found
