"""EasyPost: tracker webhooks (`X-Hmac-Signature`) → shipment milestone events."""

from __future__ import annotations

from crossdock.connectors.base import ConnectorKind
from crossdock.connectors.carriers.easypost.mapping import translate
from crossdock.connectors.carriers.easypost.signature import make_verifier

CONNECTOR = ConnectorKind(
    kind="easypost",
    description="EasyPost tracker webhooks, signed with X-Hmac-Signature (HMAC-SHA256)",
    capabilities=frozenset({"receive_webhooks"}),
    make_verifier=make_verifier,
    translate=translate,
)
