"""Pure mapping: an enriched Odoo change → canonical events. No I/O happens here.

Contract with the change-capture jobs (poll and webhook): a message body is the change in
the shape of Odoo's "Send Webhook Notification" action (``{"_model", "_id", "_action"?,
<fields as read() returns them>}``) plus an ``"_enriched"`` object that
`crossdock.connectors.odoo.enrich.enrich_many` produced *before* the message was stored.
Translation reads only that object, so it is pure, deterministic and safe to replay after a
mapping fix; a body without it is refused with a MappingError, never guessed at.

Envelopes: ``id`` derived from the message id and the event's index, ``source``
``/odoo/<partner>``, ``subject`` the record's name (``SO042``, ``WH/OUT/00042``), ``lanekey``
``<entity>:<name>`` (``sale_order:SO042``, ``picking:WH/OUT/00042``), ``correlationid`` the
sale or purchase order's name when known, ``time`` the record's ``write_date`` in UTC.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import orjson
from pydantic import ValidationError

from crossdock.canonical.envelope import Envelope
from crossdock.canonical.errors import describe_validation_error
from crossdock.canonical.registry import build_event
from crossdock.connectors.base import InboundMessage
from crossdock.connectors.odoo.codes import MappingOptions
from crossdock.connectors.odoo.mapping_account import map_invoice
from crossdock.connectors.odoo.mapping_inventory import map_quant
from crossdock.connectors.odoo.mapping_parties import map_carrier, map_product
from crossdock.connectors.odoo.mapping_purchase import map_purchase_order
from crossdock.connectors.odoo.mapping_record import EnrichedRecord, Mapped
from crossdock.connectors.odoo.mapping_sale import map_sale_order
from crossdock.connectors.odoo.mapping_stock import map_picking
from crossdock.errors import MappingError
from crossdock.ids import derived_id

ENRICHED_KEY = "_enriched"
Mapper = Callable[[EnrichedRecord, MappingOptions], list[Mapped]]

MAPPERS: Mapping[str, Mapper] = {
    "sale.order": map_sale_order,
    "stock.picking": map_picking,
    "purchase.order": map_purchase_order,
    "stock.quant": map_quant,
    "account.move": map_invoice,
    "product.product": map_product,
    "delivery.carrier": map_carrier,
}
"""Models that raise events; any other model (res.partner...) maps to no event."""


def translate(message: InboundMessage, settings: Mapping[str, Any]) -> list[Envelope]:
    """The connector kind's translator: the stored, enriched change → its envelopes."""
    try:
        document = orjson.loads(message.body)
    except orjson.JSONDecodeError as exc:
        raise MappingError(f"body is not valid JSON: {exc}") from None
    if not isinstance(document, dict):
        raise MappingError("an Odoo change must be a JSON object", "(body)")
    if ENRICHED_KEY not in document:
        raise MappingError(
            "the change was not enriched: the poll or webhook job must run enrich() "
            "before storing it",
            ENRICHED_KEY,
        )
    enriched = EnrichedRecord.from_json(document[ENRICHED_KEY])
    if (document.get("_model"), document.get("_id")) != (enriched.model, enriched.id):
        raise MappingError(
            f"describes {enriched.where}, not the change's "
            f"{document.get('_model')}({document.get('_id')})",
            ENRICHED_KEY,
        )
    return events_for(
        enriched,
        partner=message.partner,
        message_id=message.id,
        correlation_id=message.correlation_id,
        options=MappingOptions.from_settings(settings),
    )


def events_for(
    enriched: EnrichedRecord,
    *,
    partner: str = "odoo",
    message_id: str | None = None,
    correlation_id: str | None = None,
    options: MappingOptions | None = None,
) -> list[Envelope]:
    """The envelopes an enriched change raises: none for a state without an event.

    Without `message_id`, ids derive from the record and its ``write_date``, so the same
    change always yields the same event ids.
    """
    mapper = MAPPERS.get(enriched.model)
    if mapper is None:
        return []
    if enriched.missing and enriched.model != "stock.quant":
        raise MappingError("the record no longer exists in Odoo", enriched.where)
    try:
        mapped = mapper(enriched, options or MappingOptions())
    except ValidationError as exc:
        raise MappingError(describe_validation_error(exc), enriched.where) from None
    base = message_id or derived_id(
        "odoo", enriched.model, str(enriched.id), str(enriched.record.get("write_date"))
    )
    return [
        build_event(
            item.event_type,
            item.data,
            source=f"/odoo/{partner}",
            subject=item.subject,
            correlationid=item.correlationid or correlation_id,
            partner=partner,
            lanekey=item.lanekey,
            event_id=derived_id(base, str(index)),
            time=item.time,
        )
        for index, item in enumerate(mapped)
    ]
