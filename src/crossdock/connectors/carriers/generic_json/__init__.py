"""Generic JSON carrier: any carrier's tracking webhook, read through a declarative mapping.

The partner's `settings` (see `settings.GenericCarrierSettings`) say where the events are
(JMESPath), how to read each field and what each carrier status code means. Webhooks are
signed with Standard Webhooks, verified exactly as for the generic partner. With an `api`
section, shipments whose webhooks do not come are polled and read by the same mapping.
"""

from __future__ import annotations

from crossdock.canonical.event_types import SHIPMENT_MILESTONE_RECORDED_V1
from crossdock.connectors.base import ConnectorKind
from crossdock.connectors.carriers import polling
from crossdock.connectors.carriers.generic_json.mapping import UNKNOWN_CODES, translate
from crossdock.connectors.carriers.generic_json.settings import GenericCarrierSettings
from crossdock.connectors.carriers.generic_json.tracking_api import fetch_tracking
from crossdock.connectors.generic.signature import make_verifier

__all__ = ["CONNECTOR", "UNKNOWN_CODES", "GenericCarrierSettings", "translate"]

KIND = "generic_carrier"
POLLER = polling.CarrierPoller(KIND, GenericCarrierSettings, fetch_tracking)

CONNECTOR = ConnectorKind(
    kind=KIND,
    description=(
        "Any carrier's JSON tracking webhook, mapped by JMESPath settings and a code table; "
        "signed with Standard Webhooks"
    ),
    capabilities=frozenset({"receive_webhooks", "poll"}),
    make_verifier=make_verifier,
    translate=translate,
    settings_model=GenericCarrierSettings,
    register=POLLER.register,
    startup_jobs=POLLER.startup_jobs,
    produces=frozenset({SHIPMENT_MILESTONE_RECORDED_V1}),
)
