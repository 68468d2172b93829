"""The file WMS connector's only I/O: release and cancel files delivered through the file
transport (drop folder or SFTP), written under a temporary name and renamed when complete.

A file WMS answers nothing at delivery time: its acknowledgement, picks and shipments come
back as files. So a release answers the delivery order's own id as the WMS order id (the
acknowledgement file may name the WMS's number later), and a cancel answers `CANCELLED`
once the cancel file is delivered; a ship confirmation that arrives after it is the cancel
conflict the outbound flow raises. A release retried after a failed delivery writes the same
file name again (the name carries the fulfillment id), so the WMS sees one order.
"""

from __future__ import annotations

from crossdock.canonical.carrier import FulfillmentRequest
from crossdock.clock import Clock, SystemClock
from crossdock.connectors.files.open import open_channel
from crossdock.connectors.wms import codes
from crossdock.connectors.wms.files.codec import encode
from crossdock.connectors.wms.files.mapping import (
    cancel_records,
    file_name,
    label_records,
    release_records,
)
from crossdock.connectors.wms.files.settings import FileWmsSettings
from crossdock.errors import PermanentError
from crossdock.flows.outbound.gateway import CancelOutcome, Label
from crossdock.store.engine import Store


class FileWmsGateway:
    def __init__(
        self,
        partner: str,
        settings: FileWmsSettings,
        store: Store,
        clock: Clock | None = None,
    ) -> None:
        self.partner = partner
        self.settings = settings
        self.store = store
        self.clock = clock or SystemClock()
        self.books_carrier = settings.books_carrier
        self.delivered: dict[str, int] = {}

    async def release(self, request: FulfillmentRequest) -> str:
        tables = await self.store.run(self._codes)
        body = encode(release_records(request, tables), self.settings.layout)
        name = file_name(self.settings.files.release, request.fulfillment_id, self.clock.now())
        await self._deliver(name, body)
        return request.fulfillment_id

    async def cancel(self, fulfillment_id: str, wms_order_id: str | None) -> CancelOutcome:
        if "cancel" not in self.settings.layout.records:
            raise PermanentError(
                f"{self.partner} declares no cancel record: cancel {fulfillment_id} in the WMS"
            )
        now = self.clock.now()
        body = encode(cancel_records(fulfillment_id, wms_order_id, now), self.settings.layout)
        await self._deliver(file_name(self.settings.files.cancel, fulfillment_id, now), body)
        return CancelOutcome.CANCELLED

    async def send_labels(
        self, fulfillment_id: str, wms_order_id: str | None, labels: list[Label]
    ) -> None:
        """The labels Crossdock booked, one `label` record each, in one file for the order."""
        body = encode(label_records(fulfillment_id, wms_order_id, labels), self.settings.layout)
        now = self.clock.now()
        await self._deliver(file_name(self.settings.files.labels, fulfillment_id, now), body)

    async def _deliver(self, name: str, body: bytes) -> None:
        async with open_channel(self.settings.transport) as channel:
            await channel.deliver(name, body)
        self.delivered[name] = self.delivered.get(name, 0) + 1

    def _codes(self) -> codes.CodeTables:
        with self.store.engine.connect() as conn:
            return codes.read(conn, self.partner)
