"""A supplier's interchange → canonical events, one per accepted transaction set.

Pure, like every connector's `translate`: the 997s and CONTRLs it reads are the
acknowledgement job's business (`jobs.py`), syntax-rejected sets are answered in the 997 or
CONTRL and produce no event, and a set that fails its mapping fails the whole message
(`MappingError` naming the set and segment), kept and replayable. Every event goes to the
purchase order's lane, `purchase_order:<number>`, the lane the Odoo connector puts the
order's confirmation on, so the procurement flow sees one order's documents in order.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from crossdock.canonical.envelope import Envelope
from crossdock.canonical.event_types import (
    INVOICE_RECEIVED_V1,
    PURCHASE_ORDER_ACKNOWLEDGED_V1,
    RECEIPT_ADVISED_V1,
    SHIP_NOTICE_RECEIVED_V1,
)
from crossdock.canonical.registry import build_event
from crossdock.connectors.base import InboundMessage
from crossdock.connectors.edi import edifact, x12
from crossdock.connectors.edi.partner.settings import EdiPartnerSettings
from crossdock.errors import MappingError
from crossdock.ids import derived_id

ACK_SETS = frozenset({"997", "CONTRL"})


@dataclass(frozen=True)
class Mapped:
    event_type: str
    data: BaseModel
    po_number: str
    subject: str


X12Mapper = Callable[[x12.TransactionSet, EdiPartnerSettings], Mapped]
EdifactMapper = Callable[[edifact.Message, EdiPartnerSettings], Mapped]


def _x12_defaults(settings: EdiPartnerSettings) -> x12.PartnerDefaults:
    return x12.PartnerDefaults(
        country_code=settings.mapping.country_code, currency=settings.mapping.currency
    )


def _x12_855(ts: x12.TransactionSet, settings: EdiPartnerSettings) -> Mapped:
    ack = x12.acknowledgement_from_855(ts)
    return Mapped(PURCHASE_ORDER_ACKNOWLEDGED_V1, ack, ack.po_number, ack.po_number)


def _x12_856(ts: x12.TransactionSet, settings: EdiPartnerSettings) -> Mapped:
    notice = x12.ship_notice_from_856(ts)
    return Mapped(
        SHIP_NOTICE_RECEIVED_V1,
        notice,
        notice.orders[0].purchase_order_reference,
        notice.asn_id,
    )


def _x12_810(ts: x12.TransactionSet, settings: EdiPartnerSettings) -> Mapped:
    invoice = x12.invoice_from_810(ts, _x12_defaults(settings))
    if not invoice.origin:
        raise MappingError(
            f"invoice {invoice.number} names no purchase order (BIG04)",
            f"interchange {ts.interchange.control_number}, set {ts.control_number}, BIG04",
        )
    return Mapped(INVOICE_RECEIVED_V1, invoice, invoice.origin, invoice.number)


def _x12_944(ts: x12.TransactionSet, settings: EdiPartnerSettings) -> Mapped:
    advice = x12.receipt_advice_from_944(ts)
    if not advice.purchase_order_reference:
        raise MappingError(
            f"receipt {advice.receipt_id} names no purchase order (W17 or N9*PO)",
            f"interchange {ts.interchange.control_number}, set {ts.control_number}, W17",
        )
    return Mapped(RECEIPT_ADVISED_V1, advice, advice.purchase_order_reference, advice.receipt_id)


def _edifact_desadv(message: edifact.Message, settings: EdiPartnerSettings) -> Mapped:
    notice = edifact.ship_notice_from_desadv(message)
    return Mapped(
        SHIP_NOTICE_RECEIVED_V1,
        notice,
        notice.orders[0].purchase_order_reference,
        notice.asn_id,
    )


def _edifact_ordrsp(message: edifact.Message, settings: EdiPartnerSettings) -> Mapped:
    ack = edifact.acknowledgement_from_ordrsp(message)
    return Mapped(PURCHASE_ORDER_ACKNOWLEDGED_V1, ack, ack.po_number, ack.po_number)


def _edifact_recadv(message: edifact.Message, settings: EdiPartnerSettings) -> Mapped:
    advice = edifact.receipt_advice_from_recadv(message)
    if not advice.purchase_order_reference:
        raise MappingError(
            f"receipt {advice.receipt_id} names no purchase order (RFF ON)",
            f"interchange {message.interchange.reference}, message {message.reference}",
        )
    return Mapped(RECEIPT_ADVISED_V1, advice, advice.purchase_order_reference, advice.receipt_id)


def _edifact_invoic(message: edifact.Message, settings: EdiPartnerSettings) -> Mapped:
    defaults = edifact.PartnerDefaults(currency=settings.mapping.currency)
    invoice = edifact.invoice_from_invoic(message, defaults)
    if not invoice.origin:
        raise MappingError(
            f"invoice {invoice.number} names no purchase order (RFF ON)",
            f"interchange {message.interchange.reference}, message {message.reference}",
        )
    return Mapped(INVOICE_RECEIVED_V1, invoice, invoice.origin, invoice.number)


X12_MAPPERS: dict[str, X12Mapper] = {
    "855": _x12_855,
    "856": _x12_856,
    "810": _x12_810,
    "944": _x12_944,
}
EDIFACT_MAPPERS: dict[str, EdifactMapper] = {
    "ORDRSP": _edifact_ordrsp,
    "DESADV": _edifact_desadv,
    "RECADV": _edifact_recadv,
    "INVOIC": _edifact_invoic,
}


# What a supplier's documents translate to (docs/procurement.md); acknowledgements and
# interchange alerts are bookkeeping jobs' own events, not translations.
PRODUCES = frozenset(
    {
        PURCHASE_ORDER_ACKNOWLEDGED_V1,
        SHIP_NOTICE_RECEIVED_V1,
        INVOICE_RECEIVED_V1,
        RECEIPT_ADVISED_V1,
    }
)


def translate(message: InboundMessage, raw_settings: Mapping[str, Any]) -> list[Envelope]:
    settings = EdiPartnerSettings.model_validate(raw_settings)
    if settings.standard == "x12":
        mapped = _read_x12(message.body, settings)
    else:
        mapped = _read_edifact(message.body, settings)
    return [
        build_event(
            item.event_type,
            item.data,
            source=f"/edi/{message.partner}",
            subject=item.subject,
            correlationid=message.correlation_id or f"purchase_order:{item.po_number}",
            partner=message.partner,
            lanekey=f"purchase_order:{item.po_number}",
            event_id=derived_id(message.id, str(index)),
            time=message.received_at,
        )
        for index, item in enumerate(mapped)
    ]


def _not_expected(set_id: str, settings: EdiPartnerSettings, where: str) -> MappingError:
    return MappingError(
        f"set {set_id} is not one this supplier exchanges (settings.sets: "
        f"{', '.join(settings.sets)}) or has no mapping",
        where,
    )


def _read_x12(body: bytes, settings: EdiPartnerSettings) -> list[Mapped]:
    mapped: list[Mapped] = []
    for item in x12.read_x12(body):
        if not isinstance(item, x12.TransactionSet) or item.set_id in ACK_SETS:
            continue
        mapper = X12_MAPPERS.get(item.set_id)
        where = f"interchange {item.interchange.control_number}, set {item.control_number}"
        if mapper is None or item.set_id not in settings.sets:
            raise _not_expected(item.set_id, settings, where)
        mapped.append(mapper(item, settings))
    return mapped


def _read_edifact(body: bytes, settings: EdiPartnerSettings) -> list[Mapped]:
    mapped: list[Mapped] = []
    for interchange in edifact.read_edifact(body):
        for message in interchange.accepted:
            kind = message.identifier.type
            if kind in ACK_SETS:
                continue
            mapper = EDIFACT_MAPPERS.get(kind)
            where = f"interchange {interchange.header.reference}, message {message.reference}"
            if mapper is None or kind not in settings.sets:
                raise _not_expected(kind, settings, where)
            mapped.append(mapper(message, settings))
    return mapped
