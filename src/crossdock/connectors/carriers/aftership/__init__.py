"""AfterShip Tracking: signed webhooks whose checkpoints become shipment milestones."""

from __future__ import annotations

from crossdock.connectors.base import ConnectorKind
from crossdock.connectors.carriers.aftership.mapping import translate
from crossdock.connectors.carriers.aftership.signature import make_verifier

CONNECTOR = ConnectorKind(
    kind="aftership",
    description="AfterShip Tracking webhooks (aftership-hmac-sha256), one milestone per checkpoint",
    capabilities=frozenset({"receive_webhooks"}),
    make_verifier=make_verifier,
    translate=translate,
)
