"""The registry of connector kinds a partner entry in the config can name."""

from __future__ import annotations

from crossdock.connectors.base import ConnectorKind
from crossdock.connectors.carriers.aftership import CONNECTOR as AFTERSHIP
from crossdock.connectors.carriers.easypost import CONNECTOR as EASYPOST
from crossdock.connectors.carriers.generic_json import CONNECTOR as GENERIC_CARRIER
from crossdock.connectors.carriers.labels import CONNECTOR as CARRIER_LABELS
from crossdock.connectors.carriers.shippo import CONNECTOR as SHIPPO
from crossdock.connectors.csv_supplier import CONNECTOR as CSV_SUPPLIER
from crossdock.connectors.edi.partner import CONNECTOR as EDI_SUPPLIER
from crossdock.connectors.generic import CONNECTOR as GENERIC
from crossdock.connectors.odoo.connector import CONNECTOR as ODOO
from crossdock.connectors.wms.files import CONNECTOR as WMS_FILES
from crossdock.connectors.wms.rest import CONNECTOR as WMS_REST

CONNECTORS: dict[str, ConnectorKind] = {
    connector.kind: connector
    for connector in (GENERIC, ODOO, EASYPOST, AFTERSHIP, SHIPPO, GENERIC_CARRIER)
}
CONNECTORS[WMS_REST.kind] = WMS_REST
# Added after the literal so that merges adding kinds to the tuple above do not collide.
CONNECTORS[EDI_SUPPLIER.kind] = EDI_SUPPLIER
CONNECTORS[WMS_FILES.kind] = WMS_FILES
CONNECTORS[CARRIER_LABELS.kind] = CARRIER_LABELS
CONNECTORS[CSV_SUPPLIER.kind] = CSV_SUPPLIER


class UnknownConnectorKind(LookupError):
    pass


def connector_for(kind: str) -> ConnectorKind:
    try:
        return CONNECTORS[kind]
    except KeyError:
        known = ", ".join(sorted(CONNECTORS))
        raise UnknownConnectorKind(f"unknown connector kind {kind!r} (known: {known})") from None
