"""Warehouse execution of a delivery order, as any WMS reports it, and what the flow raises.

A WMS (REST, file drop or anything else) reports its work on a released delivery order in
these shapes, so the outbound flow does not depend on how the WMS talks: acknowledgement,
pick confirmation, packing, ship confirmation. Lines point back at the delivery order's
lines (``line_id``, the Odoo move the release carried); SKUs, units and carrier services are
already translated to Crossdock's codes by the WMS connector. The flow itself raises
exceptions (holds, short picks, refused shipments) and ownership conflicts.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field, model_validator

from crossdock.canonical.common import Party, Quantity
from crossdock.canonical.primitives import CanonicalModel, Code, NonEmptyStr, Timestamp
from crossdock.canonical.shipment import Package


class LotQuantity(CanonicalModel):
    """How much of a line came from one lot or serial number."""

    lot: NonEmptyStr
    quantity: Quantity


class ExecutedLine(CanonicalModel):
    """One line of the delivery order as the warehouse picked or shipped it."""

    line_id: NonEmptyStr
    """The delivery order's line as the release sent it (the Odoo move id)."""
    sku: NonEmptyStr
    quantity: Quantity
    lots: list[LotQuantity] = Field(default_factory=list)
    short_reason: str | None = None
    """Why less than asked was picked (no stock, damaged), when the WMS says."""


class FulfillmentAcknowledgement(CanonicalModel):
    """The WMS took (or refused) the order; ``crossdock.fulfillment.acknowledged.v1``."""

    fulfillment_id: NonEmptyStr
    wms_order_id: str | None = None
    accepted: bool = True
    reason: str | None = None
    occurred_at: Timestamp


class FulfillmentPicked(CanonicalModel):
    """Pick confirmation; the payload of ``crossdock.fulfillment.picked.v1``."""

    fulfillment_id: NonEmptyStr
    lines: list[ExecutedLine] = Field(min_length=1)
    occurred_at: Timestamp


class FulfillmentPacked(CanonicalModel):
    """Packing done; the payload of ``crossdock.fulfillment.packed.v1``."""

    fulfillment_id: NonEmptyStr
    packages: list[Package] = Field(min_length=1)
    occurred_at: Timestamp


class FulfillmentShipped(CanonicalModel):
    """Ship confirmation; the payload of ``crossdock.fulfillment.shipped.v1``.

    ``confirmation_id`` is the WMS's own id of this shipment: the same confirmation sent
    twice (a resend, a retry with a new message id) has no second effect.
    """

    fulfillment_id: NonEmptyStr
    confirmation_id: NonEmptyStr
    lines: list[ExecutedLine] = Field(min_length=1)
    packages: list[Package] = Field(default_factory=list)
    carrier_code: Code | None = None
    service_level: str | None = None
    ship_to: Party | None = None
    """Where the WMS says it shipped to, when it reports it (checked against the owner's)."""
    occurred_at: Timestamp

    @model_validator(mode="after")
    def _distinct_lines(self) -> FulfillmentShipped:
        seen: set[str] = set()
        for line in self.lines:
            if line.line_id in seen:
                raise ValueError(f"line {line.line_id!r} appears twice in one confirmation")
            seen.add(line.line_id)
        return self


class ExceptionKind(StrEnum):
    HOLD = "hold"
    SHORT_PICK = "short_pick"
    OVER_SHIPMENT = "over_shipment"
    REFUSED = "refused"
    CANCEL_CONFLICT = "cancel_conflict"
    NO_WAREHOUSE_SYSTEM = "no_warehouse_system"
    CHANGED_AFTER_RELEASE = "changed_after_release"
    NO_RATE = "no_rate"


class FulfillmentException(CanonicalModel):
    """Something on a delivery order needs a person.

    The payload of ``crossdock.fulfillment.exception_raised.v1``.
    """

    fulfillment_id: NonEmptyStr
    order_reference: str | None = None
    kind: ExceptionKind
    detail: NonEmptyStr
    occurred_at: Timestamp


class OwnershipConflict(CanonicalModel):
    """A system reported a field it does not own; ``crossdock.ownership.conflict_raised.v1``.

    The owner's value stays; both values are kept so a person can decide.
    """

    entity: NonEmptyStr
    """The flow's key, e.g. ``picking:WH/OUT/00042``."""
    field: Code
    owner: Code
    reported_by: Code
    owner_value: str | None = None
    reported_value: str | None = None
    occurred_at: Timestamp
