"""A CSV supplier's file → canonical events, the same ones its EDI counterparts produce.

Pure. The document a file holds is told by its name (the first of the acknowledgement,
ship notice and invoice `pattern`s it matches); a file matching none, or one whose rows do
not fit, fails its message with a `MappingError` naming the file, line and column, kept
and replayable. Every event goes to its purchase order's lane, `purchase_order:<number>`,
where the procurement flow applies one order's documents in order.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from crossdock.canonical.envelope import Envelope
from crossdock.canonical.event_types import (
    INVOICE_RECEIVED_V1,
    PURCHASE_ORDER_ACKNOWLEDGED_V1,
    SHIP_NOTICE_RECEIVED_V1,
)
from crossdock.canonical.registry import build_event
from crossdock.connectors.base import InboundMessage
from crossdock.connectors.csv_supplier import mapping
from crossdock.connectors.csv_supplier.codec import read_rows
from crossdock.connectors.csv_supplier.fields import INBOUND, DocumentKind
from crossdock.connectors.csv_supplier.settings import CsvSupplierSettings
from crossdock.errors import MappingError
from crossdock.ids import derived_id

FILE_HEADER = "x-crossdock-file"
PRODUCES = frozenset({PURCHASE_ORDER_ACKNOWLEDGED_V1, SHIP_NOTICE_RECEIVED_V1, INVOICE_RECEIVED_V1})


@dataclass(frozen=True)
class Mapped:
    event_type: str
    data: BaseModel
    po_number: str
    subject: str


def document_kind(name: str, settings: CsvSupplierSettings) -> DocumentKind:
    for kind in INBOUND:
        if fnmatch.fnmatchcase(name, getattr(settings.documents, kind).pattern):
            return kind
    patterns = ", ".join(
        f"{kind} {getattr(settings.documents, kind).pattern!r}" for kind in INBOUND
    )
    raise MappingError(f"the name matches no document pattern ({patterns})", name)


def read_file(
    name: str, body: bytes, settings: CsvSupplierSettings, message: InboundMessage
) -> list[Mapped]:
    kind = document_kind(name, settings)
    layout = getattr(settings.documents, kind)
    rows = read_rows(body, kind, layout, settings.csv, name)
    today, uom = message.received_at.date(), settings.default_uom
    if kind == "acknowledgement":
        return [
            Mapped(PURCHASE_ORDER_ACKNOWLEDGED_V1, ack, ack.po_number, ack.po_number)
            for ack in mapping.acknowledgements_from_rows(rows, settings.statuses, uom, name, today)
        ]
    if kind == "ship_notice":
        return [
            Mapped(
                SHIP_NOTICE_RECEIVED_V1,
                notice,
                notice.orders[0].purchase_order_reference,
                notice.asn_id,
            )
            for notice in mapping.ship_notices_from_rows(rows, uom, name, today)
        ]
    return [
        Mapped(INVOICE_RECEIVED_V1, invoice, invoice.origin or "", invoice.number)
        for invoice in mapping.invoices_from_rows(
            rows, settings.supplier, settings.currency, uom, name
        )
    ]


def translate(message: InboundMessage, raw_settings: Mapping[str, Any]) -> list[Envelope]:
    settings = CsvSupplierSettings.model_validate(raw_settings)
    name = message.headers.get(FILE_HEADER, "")
    return [
        build_event(
            item.event_type,
            item.data,
            source=f"/csv/{message.partner}",
            subject=item.subject,
            correlationid=message.correlation_id or f"purchase_order:{item.po_number}",
            partner=message.partner,
            lanekey=f"purchase_order:{item.po_number}",
            event_id=derived_id(message.id, str(index)),
            time=message.received_at,
        )
        for index, item in enumerate(read_file(name, message.body, settings, message))
    ]
