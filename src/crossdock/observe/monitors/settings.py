"""The `monitors:` config section: how often to evaluate, and each monitor's threshold."""

from __future__ import annotations

from datetime import timedelta

from pydantic import BaseModel, ConfigDict, Field


class MonitorsConfig(BaseModel):
    """A threshold of null turns that monitor off; docs/operations.md says what each reads."""

    model_config = ConfigDict(extra="forbid")

    # Off until asked for: thresholds only mean something once the flows they watch run.
    enabled: bool = False
    interval: timedelta = Field(default=timedelta(minutes=1), gt=timedelta(0))
    # Entities named in an alert (the rest are counted).
    sample_size: int = Field(default=10, ge=1, le=100)
    order_not_released: timedelta | None = timedelta(minutes=30)
    released_not_shipped: timedelta | None = timedelta(hours=8)
    shipment_without_tracking: timedelta | None = timedelta(hours=2)
    delivered_not_invoiced: timedelta | None = timedelta(hours=24)
    carrier_exception_open: timedelta | None = timedelta(hours=4)
    # Sent to a supplier, no 997 / CONTRL back (beside each supplier's own ack deadline).
    edi_unacknowledged: timedelta | None = timedelta(hours=24)
    # Partner id → longest silence (no message received) before it is an alert.
    partner_silence: dict[str, timedelta] = Field(default_factory=dict)
