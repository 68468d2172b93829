"""Pure mapping between the canonical model and one REST WMS's JSON, as its settings declare.

Outbound, `release_document` writes the canonical FulfillmentRequest in the WMS's codes and
`render` fills the partner's template from it. Inbound, `translate` reads a stored webhook:
the event's kind from `events.kind` looked up in `events.kinds`, its canonical data from
`events.data[<kind>]`, the WMS's codes turned back into Crossdock's (with the tables the
enrichment step embedded under `_codes`), then validated against the canonical model.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, Protocol, cast

import jmespath
import orjson
from pydantic import BaseModel, ValidationError

from crossdock.canonical.carrier import FulfillmentRequest
from crossdock.canonical.envelope import Envelope
from crossdock.canonical.errors import describe_validation_error
from crossdock.canonical.registry import build_event, data_model_for
from crossdock.connectors.base import InboundMessage
from crossdock.connectors.wms.codes import CodeTables
from crossdock.connectors.wms.events import EVENT_TYPES
from crossdock.connectors.wms.rest.settings import RestWmsSettings
from crossdock.errors import MappingError
from crossdock.ids import derived_id

CODES_KEY = "_codes"


class _Executed(Protocol):
    """What every warehouse execution event carries."""

    fulfillment_id: str
    occurred_at: datetime


def release_document(request: FulfillmentRequest, codes: CodeTables) -> dict[str, Any]:
    """The request as JSON, with SKUs, units, warehouse and carrier service in the WMS's codes."""
    doc = request.model_dump(mode="json")
    if request.warehouse.code:
        doc["warehouse"]["code"] = codes.out("location", request.warehouse.code)
    if request.service_level:
        doc["service_level"] = codes.out("carrier_service", request.service_level)
    for line in doc["lines"]:
        line["sku"] = codes.out("sku", line["sku"])
        line["quantity"]["uom"] = codes.out("uom", line["quantity"]["uom"])
    return doc


def render(template: Mapping[str, Any], document: Mapping[str, Any]) -> dict[str, Any]:
    """Fill a template: each leaf is a JMESPath expression evaluated on `document`."""
    body: dict[str, Any] = {}
    for key, spec in template.items():
        body[key] = (
            render(spec, document) if isinstance(spec, Mapping) else jmespath.search(spec, document)
        )
    return body


def translate(message: InboundMessage, settings: Mapping[str, Any]) -> list[Envelope]:
    """A stored WMS webhook → one canonical envelope on the delivery order's lane."""
    wms = RestWmsSettings.model_validate(settings)
    try:
        body = orjson.loads(message.body)
    except orjson.JSONDecodeError as exc:
        raise MappingError(f"body is not valid JSON: {exc}") from None
    if not isinstance(body, dict):
        raise MappingError("a WMS event must be a JSON object", "(body)")
    codes = CodeTables.from_json(body.pop(CODES_KEY, None))
    raw_kind = jmespath.search(wms.events.kind, body)
    kind = wms.events.kinds.get(str(raw_kind)) if raw_kind is not None else None
    if kind is None:
        known = ", ".join(sorted(wms.events.kinds))
        raise MappingError(f"event {raw_kind!r} is not one of {known}", wms.events.kind)
    expression = wms.events.data.get(kind)
    if expression is None:
        raise MappingError(f"settings.events.data has no expression for {kind!r}", "(settings)")
    data = jmespath.search(expression, body)
    if not isinstance(data, dict):
        raise MappingError(f"events.data.{kind} found no object in the event", expression)
    event_type = EVENT_TYPES[kind]
    model = cast(_Executed, _validated(event_type, _codes_back(data, codes)))
    fulfillment_id = str(model.fulfillment_id)
    return [
        build_event(
            event_type,
            cast(BaseModel, model),
            source=f"/wms/{message.partner}",
            subject=fulfillment_id,
            partner=message.partner,
            lanekey=f"picking:{fulfillment_id}",
            event_id=derived_id(message.id, "0"),
            time=model.occurred_at,
        )
    ]


def _validated(event_type: str, data: dict[str, Any]) -> BaseModel:
    try:
        return data_model_for(event_type).model_validate(data)
    except ValidationError as exc:
        raise MappingError(describe_validation_error(exc), "data") from None


def _codes_back(data: dict[str, Any], codes: CodeTables) -> dict[str, Any]:
    """The WMS's SKUs, units and carrier services as Crossdock's codes."""
    for line in _dicts(data.get("lines")):
        _swap(line, "sku", codes, "sku")
        _unit(line.get("quantity"), codes)
        for lot in _dicts(line.get("lots")):
            _unit(lot.get("quantity"), codes)
    for package in _dicts(data.get("packages")):
        for content in _dicts(package.get("contents")):
            _swap(content, "sku", codes, "sku")
            _unit(content.get("quantity"), codes)
    _swap(data, "service_level", codes, "carrier_service")
    return data


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _swap(item: dict[str, Any], key: str, codes: CodeTables, table: str) -> None:
    if isinstance(item.get(key), str):
        item[key] = codes.back(table, item[key])


def _unit(quantity: Any, codes: CodeTables) -> None:
    if isinstance(quantity, dict):
        _swap(quantity, "uom", codes, "uom")
