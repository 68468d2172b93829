"""The `wms_rest` connector kind: a WMS reached over REST, declared in YAML (settings.py).

Releases and cancellations go out through the gateway the outbound flow calls; the WMS's
execution comes back as signed webhooks, translated to `crossdock.fulfillment.*` events.
The partner's code tables are seeded into the cross-reference table when workers start,
and each webhook is enriched with them before translation, which stays pure.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime
from typing import Any

import orjson

from crossdock.config import PartnerConfig
from crossdock.connectors.base import ConnectorKind, ConnectorServices, InboundMessage
from crossdock.connectors.wms import codes
from crossdock.connectors.wms.events import PRODUCES
from crossdock.connectors.wms.rest.gateway import RestWmsGateway
from crossdock.connectors.wms.rest.mapping import CODES_KEY, translate
from crossdock.connectors.wms.rest.settings import RestWmsSettings
from crossdock.connectors.wms.rest.signature import make_verifier
from crossdock.errors import MappingError
from crossdock.store.engine import Store
from crossdock.store.jobs import JobSpec

KIND = "wms_rest"
SEED_JOB = "wms_rest.seed_codes"
# The store each partner's enrichment reads codes from, set when a runtime registers it.
_STORES: dict[str, Store] = {}


def register(services: ConnectorServices) -> None:
    services.registry.register(SEED_JOB, codes.seed_codes)
    for partner in services.partners:
        if partner.kind != KIND:
            continue
        settings = RestWmsSettings.model_validate(partner.settings)
        _STORES[partner.id] = services.inbox.store
        if services.warehouse_gateways is not None:
            services.warehouse_gateways.add(
                partner.id, RestWmsGateway(partner.id, settings, services.inbox.store)
            )


def startup_jobs(partner: PartnerConfig, now: datetime) -> list[JobSpec]:
    """Seed the declared codes once per version of them."""
    settings = RestWmsSettings.model_validate(partner.settings)
    return [codes.seed_job(SEED_JOB, partner.id, settings.codes)]


async def enrich(message: InboundMessage, settings: Mapping[str, Any]) -> InboundMessage:
    """Embed the partner's code tables in the body, so translation needs no database."""
    store = _STORES.get(message.partner)
    if store is None:
        return message
    try:
        body = orjson.loads(message.body)
    except orjson.JSONDecodeError as exc:
        raise MappingError(f"body is not valid JSON: {exc}") from None
    if not isinstance(body, dict):
        return message
    tables = await store.run(codes.read_from, store, message.partner)
    body[CODES_KEY] = tables.to_json()
    return replace(message, body=orjson.dumps(body))


CONNECTOR = ConnectorKind(
    kind=KIND,
    description="A warehouse system over REST: releases and cancels out, execution webhooks in",
    capabilities=frozenset({"receive_webhooks", "send_orders"}),
    make_verifier=make_verifier,
    translate=translate,
    produces=PRODUCES,
    settings_model=RestWmsSettings,
    register=register,
    startup_jobs=startup_jobs,
    enrich=enrich,
)
