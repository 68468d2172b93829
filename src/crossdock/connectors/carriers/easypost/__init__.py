"""EasyPost: tracker webhooks (`X-Hmac-Signature`) → shipment milestone events, and polling
of its Trackers API for shipments whose webhooks do not come."""

from __future__ import annotations

from crossdock.canonical.event_types import SHIPMENT_MILESTONE_RECORDED_V1
from crossdock.connectors.base import ConnectorKind
from crossdock.connectors.carriers import polling
from crossdock.connectors.carriers.easypost.mapping import translate
from crossdock.connectors.carriers.easypost.settings import EasyPostSettings
from crossdock.connectors.carriers.easypost.signature import make_verifier
from crossdock.connectors.carriers.easypost.tracking_api import fetch_tracking

KIND = "easypost"
POLLER = polling.CarrierPoller(KIND, EasyPostSettings, fetch_tracking)

CONNECTOR = ConnectorKind(
    kind=KIND,
    description="EasyPost tracker webhooks, signed with X-Hmac-Signature (HMAC-SHA256)",
    capabilities=frozenset({"receive_webhooks", "poll"}),
    make_verifier=make_verifier,
    translate=translate,
    settings_model=EasyPostSettings,
    register=POLLER.register,
    startup_jobs=POLLER.startup_jobs,
    produces=frozenset({SHIPMENT_MILESTONE_RECORDED_V1}),
)
