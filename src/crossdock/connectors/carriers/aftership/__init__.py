"""AfterShip Tracking: signed webhooks whose checkpoints become shipment milestones, and
polling of its Tracking API for shipments whose webhooks do not come."""

from __future__ import annotations

from crossdock.canonical.event_types import SHIPMENT_MILESTONE_RECORDED_V1
from crossdock.connectors.base import ConnectorKind
from crossdock.connectors.carriers import polling
from crossdock.connectors.carriers.aftership.mapping import translate
from crossdock.connectors.carriers.aftership.settings import AfterShipSettings
from crossdock.connectors.carriers.aftership.signature import make_verifier
from crossdock.connectors.carriers.aftership.tracking_api import fetch_tracking

KIND = "aftership"
POLLER = polling.CarrierPoller(KIND, AfterShipSettings, fetch_tracking)

CONNECTOR = ConnectorKind(
    kind=KIND,
    description="AfterShip Tracking webhooks (aftership-hmac-sha256), one milestone per checkpoint",
    capabilities=frozenset({"receive_webhooks", "poll"}),
    make_verifier=make_verifier,
    translate=translate,
    settings_model=AfterShipSettings,
    register=POLLER.register,
    startup_jobs=POLLER.startup_jobs,
    produces=frozenset({SHIPMENT_MILESTONE_RECORDED_V1}),
)
