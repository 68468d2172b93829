"""Shippo: multi-carrier tracking webhooks (`track_updated`) → shipment milestones, and
polling of its Tracking API for shipments whose webhooks do not come."""

from __future__ import annotations

from crossdock.canonical.event_types import SHIPMENT_MILESTONE_RECORDED_V1
from crossdock.connectors.base import ConnectorKind
from crossdock.connectors.carriers import polling
from crossdock.connectors.carriers.shippo.mapping import translate
from crossdock.connectors.carriers.shippo.settings import ShippoSettings
from crossdock.connectors.carriers.shippo.signature import make_verifier
from crossdock.connectors.carriers.shippo.tracking_api import fetch_tracking

KIND = "shippo"
POLLER = polling.CarrierPoller(KIND, ShippoSettings, fetch_tracking)

CONNECTOR = ConnectorKind(
    kind=KIND,
    description="Shippo tracking webhooks (track_updated), authenticated by URL token and HMAC",
    capabilities=frozenset({"receive_webhooks", "poll"}),
    make_verifier=make_verifier,
    translate=translate,
    settings_model=ShippoSettings,
    register=POLLER.register,
    startup_jobs=POLLER.startup_jobs,
    produces=frozenset({SHIPMENT_MILESTONE_RECORDED_V1}),
)
