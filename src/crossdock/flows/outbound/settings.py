"""The `outbound` section of the config: warehouses, holds, policies, ownership, sync modes.

Kept free of imports from the rest of Crossdock so `crossdock.config` can embed it.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Literal

from croniter import croniter
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

BackorderPolicy = Literal["create", "cancel"]
InvoicePolicy = Literal["on_ship", "on_delivery", "on_proof_of_delivery", "never"]
System = Literal["odoo", "wms", "carrier"]
Workflow = Literal["release", "invoice"]
ServiceLevel = Literal["express", "standard", "economy"]

# Who owns what unless the config says otherwise: Odoo the commercial truth, the warehouse
# what it picked and shipped, the carrier the transport milestones.
DEFAULT_OWNERSHIP: dict[str, System] = {
    "order_lines": "odoo",
    "ship_to": "odoo",
    "carrier_service": "odoo",
    "shipped_quantities": "wms",
    "lots": "wms",
    "packages": "wms",
    "tracking_number": "wms",
    "delivered": "carrier",
}


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class HoldRules(_Section):
    """What stops a delivery order before it reaches the warehouse (a visible exception)."""

    # Address validation: countries whose addresses need a postal code to be deliverable.
    postal_code_required: list[str] = Field(
        default_factory=lambda: ["BE", "NL", "DE", "FR", "LU", "GB", "US"]
    )
    # Credit hold: customers (as named on the delivery address) not to ship to for now.
    credit_hold: list[str] = Field(default_factory=list)
    # Policy hold: countries not shipped to, and a largest quantity per order.
    blocked_countries: list[str] = Field(default_factory=list)
    max_units_per_order: int | None = Field(default=None, ge=1)


class SyncMode(_Section):
    """How a workflow runs: at once, gathered into micro-batches, or on a cron schedule."""

    mode: Literal["realtime", "micro_batch", "scheduled"] = "realtime"
    interval: timedelta = timedelta(minutes=5)
    max_batch: int = Field(default=100, ge=1, le=100_000)
    cron: str | None = None

    @field_validator("cron")
    @classmethod
    def _valid_cron(cls, value: str | None) -> str | None:
        if value is not None and not croniter.is_valid(value):
            raise ValueError(f"{value!r} is not a cron expression (e.g. '0 2 * * *')")
        return value

    @model_validator(mode="after")
    def _mode_has_its_settings(self) -> SyncMode:
        if self.mode == "scheduled" and self.cron is None:
            raise ValueError("mode 'scheduled' needs cron")
        if self.mode == "micro_batch" and self.interval <= timedelta(0):
            raise ValueError("mode 'micro_batch' needs a positive interval")
        return self


class RateShopping(_Section):
    """Labels booked at the cheapest rate that meets the order's service level, across the
    label partners (docs/outbound.md "Rate shopping")."""

    # Odoo delivery method (the order's service) → the service level it promises.
    service_levels: dict[str, ServiceLevel] = Field(default_factory=dict)
    # The level of an order shipped without a delivery method.
    default_level: ServiceLevel = "standard"
    # Prices are compared in this currency only; a quote in another one is set aside.
    currency: str = Field(default="EUR", pattern=r"^[A-Z]{3}$")


class OutboundConfig(_Section):
    """Outbound fulfillment (docs/outbound.md). Off until a warehouse is mapped to a WMS."""

    # Odoo warehouse code (stock.warehouse `code`) → partner id of its warehouse system.
    warehouses: dict[str, str] = Field(default_factory=dict)
    # The Odoo partner written back to; defaults to the partner the order came from.
    odoo_partner: str | None = None
    holds: HoldRules = Field(default_factory=HoldRules)
    # The `carrier_labels` partner that books labels for warehouses not booking the carrier;
    # a list of them to shop rates across (needs `rate_shopping`).
    label_carrier: str | list[str] | None = None
    rate_shopping: RateShopping | None = None
    backorder: BackorderPolicy = "create"
    # Per customer (the delivery address's name): what happens to what was not shipped.
    backorder_by_customer: dict[str, BackorderPolicy] = Field(default_factory=dict)
    invoicing: InvoicePolicy = "on_delivery"
    invoicing_by_customer: dict[str, InvoicePolicy] = Field(default_factory=dict)
    post_invoices: bool = False
    ownership: dict[str, System] = Field(default_factory=dict)
    sync: dict[Workflow, SyncMode] = Field(default_factory=dict)

    @property
    def enabled(self) -> bool:
        return bool(self.warehouses)

    @property
    def label_carriers(self) -> list[str]:
        """The label partners, one or several, in the order configured."""
        if self.label_carrier is None:
            return []
        if isinstance(self.label_carrier, str):
            return [self.label_carrier]
        return list(self.label_carrier)

    @model_validator(mode="after")
    def _shopping_for_several_carriers(self) -> OutboundConfig:
        if isinstance(self.label_carrier, list):
            if not self.label_carrier:
                raise ValueError("label_carrier: name at least one label partner, or null")
            if len(self.label_carrier) > 1 and self.rate_shopping is None:
                raise ValueError(
                    "label_carrier names several label partners: configure rate_shopping to "
                    "choose between them"
                )
        return self

    def owner(self, field: str) -> System:
        return self.ownership.get(field) or DEFAULT_OWNERSHIP[field]

    def sync_mode(self, workflow: Workflow) -> SyncMode:
        return self.sync.get(workflow) or SyncMode()

    def backorder_for(self, customer: str | None) -> BackorderPolicy:
        return self.backorder_by_customer.get(customer or "", self.backorder)

    def invoicing_for(self, customer: str | None) -> InvoicePolicy:
        return self.invoicing_by_customer.get(customer or "", self.invoicing)

    @field_validator("ownership")
    @classmethod
    def _known_fields(cls, value: dict[str, System]) -> dict[str, System]:
        unknown = sorted(set(value) - set(DEFAULT_OWNERSHIP))
        if unknown:
            known = ", ".join(sorted(DEFAULT_OWNERSHIP))
            raise ValueError(f"unknown field(s) {', '.join(unknown)} (known: {known})")
        return value
