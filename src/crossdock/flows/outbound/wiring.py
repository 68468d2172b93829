"""Adding the outbound flow to a runtime: its job types and the events it listens to."""

from __future__ import annotations

from collections.abc import Callable

from crossdock.canonical.event_types import ORDER_CANCELLED_V1, SHIPMENT_STATUS_CHANGED_V1
from crossdock.config import PartnerConfig
from crossdock.flows.outbound.flow import (
    JOB_TYPE,
    RELAY_JOB,
    STEP_JOB,
    SUBSCRIPTIONS,
    SWEEP_JOB,
    OutboundFlow,
)
from crossdock.flows.outbound.gateway import WarehouseGateways
from crossdock.flows.outbound.odoo_side import OdooSide
from crossdock.flows.outbound.settings import OutboundConfig
from crossdock.pipeline.registry import JobRegistry
from crossdock.pipeline.route import Router


def register(
    registry: JobRegistry,
    router: Router,
    config: OutboundConfig,
    gateways: WarehouseGateways,
    partner_config: Callable[[str], PartnerConfig | None],
) -> OutboundFlow | None:
    """Only when a warehouse is mapped to a WMS: otherwise no event pays for the flow."""
    if not config.enabled:
        return None
    flow = OutboundFlow(config, router, gateways, OdooSide(partner_config))
    registry.register(JOB_TYPE, flow.handle)
    registry.register(STEP_JOB, flow.step)
    registry.register(SWEEP_JOB, flow.sweep)
    registry.register(RELAY_JOB, flow.relay)
    router.subscribe(JOB_TYPE, SUBSCRIPTIONS)
    router.subscribe(RELAY_JOB, [ORDER_CANCELLED_V1, SHIPMENT_STATUS_CHANGED_V1])
    return flow
