"""The CSV supplier's jobs: each confirmed purchase order goes out as a CSV file.

* `csv_supplier.send_order` (routed purchase order confirmations): finds the supplier by
  vendor name and enqueues `csv_supplier.send` for it, keyed by the order's number, so the
  order Odoo reports again after Crossdock writes promised dates is not sent twice.
* `csv_supplier.send`: writes the order file and delivers it to the supplier's `outbound`
  folder (written under a temporary name and renamed, see `files.channel`).

A CSV file has no envelope to acknowledge: nothing waits for a 997 here.
"""

from __future__ import annotations

from collections.abc import Sequence

from crossdock.canonical.envelope import Envelope
from crossdock.canonical.event_types import PURCHASE_ORDER_CONFIRMED_V1
from crossdock.canonical.purchase import PurchaseOrder
from crossdock.config import PartnerConfig
from crossdock.connectors.base import ConnectorServices
from crossdock.connectors.csv_supplier.codec import write_rows
from crossdock.connectors.csv_supplier.mapping import order_rows
from crossdock.connectors.csv_supplier.settings import KIND, CsvSupplierSettings
from crossdock.connectors.files.channel import check_name
from crossdock.connectors.files.open import open_channel
from crossdock.errors import PermanentError
from crossdock.pipeline.registry import Handler, JobContext
from crossdock.pipeline.retry import RetryPolicy
from crossdock.store.jobs import JobSpec

SEND_ORDER_JOB = "csv_supplier.send_order"
SEND_JOB = "csv_supplier.send"
OUTBOUND_POLICY = RetryPolicy(max_attempts=8)


def supplier_for(partners: Sequence[PartnerConfig], order: PurchaseOrder) -> PartnerConfig | None:
    """The CSV supplier whose `vendor_names` include the order's vendor."""
    names = [order.vendor.name, order.vendor.company or ""]
    for partner in partners:
        if partner.kind != KIND:
            continue
        settings = CsvSupplierSettings.model_validate(partner.settings)
        if any(name and settings.supplies(name) for name in names):
            return partner
    return None


def order_file(settings: CsvSupplierSettings, order: PurchaseOrder) -> tuple[str, bytes]:
    """The name and bytes of the order's file, as the supplier's order layout declares."""
    layout = settings.documents.order
    name = check_name(settings.file_prefix + layout.file.replace("{po_number}", order.po_number))
    return name, write_rows(order_rows(order), layout, settings.csv)


def make_send_order_handler(services: ConnectorServices) -> Handler:
    async def send_order(ctx: JobContext) -> None:
        envelope = Envelope.from_cloudevent(ctx.payload["event"])
        order = PurchaseOrder.model_validate(envelope.data)
        supplier = supplier_for(services.partners, order)
        if supplier is None:
            ctx.log.debug("no CSV supplier for this vendor", vendor=order.vendor.name)
            return
        ctx.enqueue(
            JobSpec(
                job_type=SEND_JOB,
                idempotency_key=f"{SEND_JOB}:{supplier.id}:{order.po_number}",
                payload={"order": envelope.data},
                lane_key=f"csv-out:{supplier.id}",
                partner=supplier.id,
                correlation_id=envelope.correlationid,
            )
        )

    return send_order


def make_send_handler(services: ConnectorServices) -> Handler:
    async def send(ctx: JobContext) -> None:
        partner_id = ctx.job.partner or ""
        partner = services.partner_config(partner_id)
        if partner is None or partner.kind != KIND:
            raise PermanentError(f"partner {partner_id!r} is no longer a CSV supplier")
        settings = CsvSupplierSettings.model_validate(partner.settings)
        order = PurchaseOrder.model_validate(ctx.payload["order"])
        name, body = order_file(settings, order)
        async with open_channel(settings.transport) as channel:
            await channel.deliver(name, body)
        ctx.log.info("order sent", po_number=order.po_number, file=name)

    return send


def register_jobs(services: ConnectorServices) -> None:
    services.registry.register(SEND_ORDER_JOB, make_send_order_handler(services))
    services.registry.register(SEND_JOB, make_send_handler(services), OUTBOUND_POLICY)
    services.router.subscribe(SEND_ORDER_JOB, [PURCHASE_ORDER_CONFIRMED_V1])
