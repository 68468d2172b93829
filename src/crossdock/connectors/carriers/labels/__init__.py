"""The `carrier_labels` connector kind: a carrier's label API that Crossdock books shipments
with, for warehouses that do not book the carrier themselves. Out only: it takes no webhooks
(tracking comes through the carrier tracking connectors)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from crossdock.connectors.base import (
    ConnectorKind,
    ConnectorServices,
    InboundMessage,
    NoWebhooks,
    WebhookVerifier,
)
from crossdock.connectors.carriers.labels.client import LabelApiGateway
from crossdock.connectors.carriers.labels.settings import LabelApiSettings
from crossdock.errors import MappingError

KIND = "carrier_labels"


def make_verifier(secrets: Sequence[str], settings: Mapping[str, Any]) -> WebhookVerifier:
    return NoWebhooks("a carrier label API sends no webhooks to Crossdock")


def translate(message: InboundMessage, settings: Mapping[str, Any]) -> list[Any]:
    raise MappingError("a carrier label API sends no messages to translate")


def register(services: ConnectorServices) -> None:
    if services.warehouse_gateways is None:
        return
    for partner in services.partners:
        if partner.kind == KIND:
            settings = LabelApiSettings.model_validate(partner.settings)
            services.warehouse_gateways.add_labels(
                partner.id, LabelApiGateway(partner.id, settings)
            )


CONNECTOR = ConnectorKind(
    kind=KIND,
    description="A carrier label API: shipments booked, labels and tracking numbers back",
    capabilities=frozenset({"book_labels"}),
    make_verifier=make_verifier,
    translate=translate,
    # A label API answers calls; it sends nothing to translate.
    produces=frozenset(),
    settings_model=LabelApiSettings,
    secret_required=False,
    register=register,
)
