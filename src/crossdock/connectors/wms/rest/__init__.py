"""The `wms_rest` connector kind: a WMS reached over REST, declared in YAML (settings.py).

Releases and cancellations go out through the gateway the outbound flow calls; the WMS's
execution comes back as signed webhooks, translated to `crossdock.fulfillment.*` events.
The partner's code tables are seeded into the cross-reference table when workers start,
and each webhook is enriched with them before translation, which stays pure.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import Connection

from crossdock.config import PartnerConfig
from crossdock.connectors.base import ConnectorKind, ConnectorServices, InboundMessage
from crossdock.connectors.wms.rest import codes
from crossdock.connectors.wms.rest.gateway import RestWmsGateway
from crossdock.connectors.wms.rest.mapping import CODES_KEY, EVENT_TYPES, translate
from crossdock.connectors.wms.rest.settings import Codes, RestWmsSettings
from crossdock.connectors.wms.rest.signature import make_verifier
from crossdock.errors import MappingError
from crossdock.pipeline.registry import JobContext
from crossdock.store.engine import Store
from crossdock.store.jobs import JobSpec

KIND = "wms_rest"
SEED_JOB = "wms_rest.seed_codes"
# The store each partner's enrichment reads codes from, set when a runtime registers it.
_STORES: dict[str, Store] = {}


async def seed_codes(ctx: JobContext) -> None:
    partner = str(ctx.payload["partner"])
    table = Codes.model_validate(ctx.payload["codes"])
    now = ctx.clock.now()

    def store(conn: Connection) -> None:
        codes.seed(conn, partner, table, now)

    ctx.write(store)


def register(services: ConnectorServices) -> None:
    services.registry.register(SEED_JOB, seed_codes)
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
    """Seed the declared codes once per version of them (the key is their digest)."""
    table = RestWmsSettings.model_validate(partner.settings).codes.model_dump(mode="json")
    digest = hashlib.sha256(orjson.dumps(table, option=orjson.OPT_SORT_KEYS)).hexdigest()[:16]
    return [
        JobSpec(
            job_type=SEED_JOB,
            idempotency_key=f"{SEED_JOB}:{partner.id}:{digest}",
            payload={"partner": partner.id, "codes": table},
            lane_key=f"codes:{partner.id}",
            partner=partner.id,
        )
    ]


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
    tables = await store.run(_read_codes, store, message.partner)
    body[CODES_KEY] = tables.to_json()
    return replace(message, body=orjson.dumps(body))


def _read_codes(store: Store, partner: str) -> codes.CodeTables:
    with store.engine.connect() as conn:
        return codes.read(conn, partner)


CONNECTOR = ConnectorKind(
    kind=KIND,
    description="A warehouse system over REST: releases and cancels out, execution webhooks in",
    capabilities=frozenset({"receive_webhooks", "send_orders"}),
    make_verifier=make_verifier,
    translate=translate,
    produces=frozenset(EVENT_TYPES.values()),
    settings_model=RestWmsSettings,
    register=register,
    startup_jobs=startup_jobs,
    enrich=enrich,
)
