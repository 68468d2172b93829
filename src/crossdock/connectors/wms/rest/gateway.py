"""The outbound flow's gateway to one REST WMS: codes from the cross-reference table, the
partner's templates, and the client's calls."""

from __future__ import annotations

import asyncio
import weakref
from typing import Any

import httpx

from crossdock.canonical.carrier import FulfillmentRequest
from crossdock.connectors.wms import codes
from crossdock.connectors.wms.rest.client import WmsClient
from crossdock.connectors.wms.rest.mapping import release_document, render
from crossdock.connectors.wms.rest.settings import RestWmsSettings
from crossdock.flows.outbound.gateway import CancelOutcome, Label
from crossdock.store.engine import Store

_GATEWAYS: weakref.WeakSet[RestWmsGateway] = weakref.WeakSet()


async def aclose_all() -> None:
    """Close every gateway's connections opened on the running loop (tests, the demo)."""
    for gateway in list(_GATEWAYS):
        await gateway.aclose()


class RestWmsGateway:
    """One client per event loop (an `httpx.AsyncClient` belongs to the loop it started on)."""

    def __init__(self, partner: str, settings: RestWmsSettings, store: Store) -> None:
        self.partner = partner
        self.settings = settings
        self.store = store
        self._clients: dict[int, WmsClient] = {}
        self.books_carrier = settings.books_carrier
        _GATEWAYS.add(self)

    def client(self) -> WmsClient:
        loop = id(asyncio.get_running_loop())
        found = self._clients.get(loop)
        if found is None:
            found = WmsClient(self.partner, self.settings, httpx.AsyncClient())
            self._clients[loop] = found
        return found

    async def release(self, request: FulfillmentRequest) -> str:
        tables = await self.store.run(self._codes)
        body = render(self.settings.payloads.release, release_document(request, tables))
        return await self.client().release(body, request.fulfillment_id)

    async def cancel(self, fulfillment_id: str, wms_order_id: str | None) -> CancelOutcome:
        document: dict[str, Any] = {"fulfillment_id": fulfillment_id, "wms_order_id": wms_order_id}
        template = self.settings.payloads.cancel
        body = render(template, document) if template else document
        return await self.client().cancel(body, fulfillment_id, wms_order_id)

    async def send_labels(
        self, fulfillment_id: str, wms_order_id: str | None, labels: list[Label]
    ) -> None:
        document: dict[str, Any] = {
            "fulfillment_id": fulfillment_id,
            "wms_order_id": wms_order_id,
            "labels": [
                {
                    "tracking_number": label.tracking_number,
                    "carrier_code": label.carrier_code,
                    "service_level": label.service_level,
                    "label_format": label.label_format,
                    "content": label.content,
                }
                for label in labels
            ],
        }
        template = self.settings.payloads.labels
        body = render(template, document) if template else document
        await self.client().send_labels(body, fulfillment_id, wms_order_id)

    def _codes(self) -> codes.CodeTables:
        with self.store.engine.connect() as conn:
            return codes.read(conn, self.partner)

    async def aclose(self) -> None:
        loop = id(asyncio.get_running_loop())
        client = self._clients.pop(loop, None)
        if client is not None:
            await client.http.aclose()
