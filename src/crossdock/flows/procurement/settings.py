"""The procurement flow's settings: which Odoo runs the purchases, policies and tolerances."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class Tolerances(BaseModel):
    """How far an invoice may differ from the order and the receipt and still be booked.

    A price is within tolerance when it differs from the ordered price by at most
    `price_percent` percent or `price_amount` (whichever is larger); a billed quantity when
    it differs from the received quantity by at most `quantity_percent` percent.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    price_percent: Decimal = Field(default=Decimal(0), ge=0, le=100)
    price_amount: Decimal = Field(default=Decimal(0), ge=0)
    quantity_percent: Decimal = Field(default=Decimal(0), ge=0, le=100)


class ProcurementConfig(BaseModel):
    """`procurement:` in crossdock.yaml. Off unless `odoo_partner` names the Odoo partner."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    odoo_partner: str | None = None
    backorder: Literal["create", "cancel"] = "create"
    """What happens to the rest of a short receipt: a backorder receipt, or nothing more."""
    tolerances: Tolerances = Field(default_factory=Tolerances)
    """Defaults for suppliers whose partner entry sets none."""

    @property
    def enabled(self) -> bool:
        return self.odoo_partner is not None
