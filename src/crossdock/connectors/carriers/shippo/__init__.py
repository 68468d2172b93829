"""Shippo: multi-carrier tracking webhooks (`track_updated`) → shipment milestones."""

from __future__ import annotations

from crossdock.connectors.base import ConnectorKind
from crossdock.connectors.carriers.shippo.mapping import translate
from crossdock.connectors.carriers.shippo.signature import make_verifier

CONNECTOR = ConnectorKind(
    kind="shippo",
    description="Shippo tracking webhooks (track_updated), authenticated by URL token and HMAC",
    capabilities=frozenset({"receive_webhooks"}),
    make_verifier=make_verifier,
    translate=translate,
)
