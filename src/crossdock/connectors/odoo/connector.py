"""The `odoo` connector kind: automation webhooks and polling in, canonical events out."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

import orjson

from crossdock.canonical.event_types import (
    CARRIER_SERVICE_UPDATED_V1,
    FULFILLMENT_CANCELLED_V1,
    FULFILLMENT_REQUESTED_V1,
    INVENTORY_BALANCE_REPORTED_V1,
    INVOICE_POSTED_V1,
    ORDER_CANCELLED_V1,
    ORDER_CONFIRMED_V1,
    PRODUCT_UPDATED_V1,
    PURCHASE_ORDER_CONFIRMED_V1,
    RECEIPT_RECORDED_V1,
    SHIPMENT_CREATED_V1,
)
from crossdock.connectors.base import ConnectorKind, ConnectorServices, InboundMessage
from crossdock.connectors.odoo import milestones
from crossdock.connectors.odoo.enrich import enrich_many, with_enrichment
from crossdock.connectors.odoo.mapping import ENRICHED_KEY, translate
from crossdock.connectors.odoo.partner import OdooPartnerSettings
from crossdock.connectors.odoo.poll_job import POLL_JOB, make_poll_handler, startup_jobs
from crossdock.connectors.odoo.pool import CLIENTS
from crossdock.connectors.odoo.procurement import backend_for
from crossdock.connectors.odoo.webhook import make_verifier
from crossdock.errors import MappingError


async def enrich_message(message: InboundMessage, settings: Mapping[str, Any]) -> InboundMessage:
    """Add what an automation webhook does not carry (lines, addresses, products); polled
    messages were enriched when they were read and pass through untouched."""
    try:
        change = orjson.loads(message.body)
    except orjson.JSONDecodeError as exc:
        raise MappingError(f"body is not valid JSON: {exc}") from None
    if not isinstance(change, dict) or ENRICHED_KEY in change:
        return message
    odoo = OdooPartnerSettings.model_validate(settings).odoo
    client = CLIENTS.get(message.partner, odoo)
    [enriched] = await enrich_many(client, [change])
    return replace(message, body=orjson.dumps(with_enrichment(change, enriched)))


def register(services: ConnectorServices) -> None:
    milestones.register(services, CLIENTS)
    services.registry.register(
        POLL_JOB,
        make_poll_handler(services.inbox, services.partner_config, services.translate_job, CLIENTS),
    )


# The canonical events Odoo's records map to (codes.py, mapping_*.py).
ODOO_EVENT_TYPES = frozenset(
    {
        ORDER_CONFIRMED_V1,
        ORDER_CANCELLED_V1,
        FULFILLMENT_REQUESTED_V1,
        FULFILLMENT_CANCELLED_V1,
        SHIPMENT_CREATED_V1,
        RECEIPT_RECORDED_V1,
        PURCHASE_ORDER_CONFIRMED_V1,
        INVOICE_POSTED_V1,
        INVENTORY_BALANCE_REPORTED_V1,
        PRODUCT_UPDATED_V1,
        CARRIER_SERVICE_UPDATED_V1,
    }
)

CONNECTOR = ConnectorKind(
    kind="odoo",
    description="Odoo through its external API: automation webhooks and polling in",
    capabilities=frozenset({"receive_webhooks", "poll"}),
    make_verifier=make_verifier,
    translate=translate,
    settings_model=OdooPartnerSettings,
    register=register,
    startup_jobs=startup_jobs,
    enrich=enrich_message,
    produces=ODOO_EVENT_TYPES,
    procurement_backend=backend_for,
)
