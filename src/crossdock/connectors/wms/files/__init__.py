"""The `wms_files` connector kind: a legacy WMS exchanging CSV or fixed-width files.

Releases and cancellations go out as files through the gateway the outbound flow calls
(`gateway.py`, the only I/O); the WMS's acknowledgements, picks, packing and shipments come
back as files picked up by the file transport (`connectors/files`: settle-then-claim, stored
before archived), keyed by their content so a repeated file is one message, and translated
(`mapping.py`, pure) to the `crossdock.fulfillment.*` events the REST WMS produces. A file
that does not fit the layout is kept in the inbox, marked with its file, line and column,
and archived under a `.rejected` name, apart from the processed ones.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

import orjson

from crossdock.config import PartnerConfig
from crossdock.connectors.base import ConnectorKind, ConnectorServices, InboundMessage, NoWebhooks
from crossdock.connectors.files.channel import archived_name
from crossdock.connectors.files.jobs import (
    ArchiveAs,
    FileIntake,
    content_keyed,
    no_follow_ups,
    register_intake,
    startup_poll,
)
from crossdock.connectors.files.settings import FolderTransport, SftpTransport
from crossdock.connectors.wms import codes
from crossdock.connectors.wms.events import PRODUCES
from crossdock.connectors.wms.files.codec import decode
from crossdock.connectors.wms.files.gateway import FileWmsGateway
from crossdock.connectors.wms.files.mapping import CODES_HEADER, FILE_HEADER, translate
from crossdock.connectors.wms.files.settings import KIND, FileWmsSettings
from crossdock.errors import MappingError
from crossdock.store.engine import Store
from crossdock.store.jobs import JobSpec

SEED_JOB = "wms_files.seed_codes"
REJECTED_SUFFIX = ".rejected"
# The store each partner's enrichment reads codes from, set when a runtime registers it.
_STORES: dict[str, Store] = {}


def _verifier(secrets: Sequence[str], settings: Mapping[str, Any]) -> NoWebhooks:
    return NoWebhooks()


def transport_of(partner: PartnerConfig) -> FolderTransport | SftpTransport:
    return FileWmsSettings.model_validate(partner.settings).transport


message_for = content_keyed(FILE_HEADER, "text/plain")


def _archive_as(services: ConnectorServices) -> ArchiveAs:
    def archive_as(partner_id: str, name: str, body: bytes, now: datetime) -> str:
        """A file the layout cannot read is archived apart (its message says why)."""
        partner = services.partner_config(partner_id)
        stamped = archived_name(name, now)
        if partner is None:
            return stamped
        try:
            decode(body, FileWmsSettings.model_validate(partner.settings).layout, name)
        except MappingError:
            return stamped + REJECTED_SUFFIX
        return stamped

    return archive_as


def register(services: ConnectorServices) -> None:
    services.registry.register(SEED_JOB, codes.seed_codes)
    register_intake(
        services, KIND, FileIntake(transport_of, message_for, no_follow_ups, _archive_as(services))
    )
    for partner in services.partners:
        if partner.kind != KIND:
            continue
        settings = FileWmsSettings.model_validate(partner.settings)
        _STORES[partner.id] = services.inbox.store
        if services.warehouse_gateways is not None:
            services.warehouse_gateways.add(
                partner.id, FileWmsGateway(partner.id, settings, services.inbox.store)
            )


def startup_jobs(partner: PartnerConfig, now: datetime) -> list[JobSpec]:
    """The first poll of the partner's folder, and its codes seeded once per version."""
    settings = FileWmsSettings.model_validate(partner.settings)
    seed = codes.seed_job(SEED_JOB, partner.id, settings.codes)
    return [seed, startup_poll(partner.id, settings.transport, now)]


async def enrich(message: InboundMessage, settings: Mapping[str, Any]) -> InboundMessage:
    """The partner's code tables in a header, so translation needs no database."""
    store = _STORES.get(message.partner)
    if store is None:
        return message
    tables = await store.run(codes.read_from, store, message.partner)
    headers = {**message.headers, CODES_HEADER: orjson.dumps(tables.to_json()).decode()}
    return replace(message, headers=headers)


CONNECTOR = ConnectorKind(
    kind=KIND,
    description="A legacy warehouse system exchanging CSV or fixed-width files (folder or SFTP)",
    capabilities=frozenset({"exchange_files", "send_orders"}),
    make_verifier=_verifier,
    translate=translate,
    # The same execution events as the REST WMS: the outbound flow cannot tell them apart.
    produces=PRODUCES,
    settings_model=FileWmsSettings,
    secret_required=False,
    register=register,
    startup_jobs=startup_jobs,
    enrich=enrich,
)
