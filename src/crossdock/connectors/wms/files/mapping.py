"""Outbound requests → file records, and received files → canonical events (pure).

Releases become an `order` record and its `order_line`s, cancellations a `cancel` record,
with SKUs, units, the warehouse and the carrier service in the WMS's codes. A received file
becomes the same `crossdock.fulfillment.*` events the REST WMS connector produces, one per
header record in file order, so the outbound flow cannot tell the two kinds apart.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, cast

import orjson
from pydantic import BaseModel, ValidationError

from crossdock.canonical.carrier import FulfillmentRequest
from crossdock.canonical.envelope import Envelope
from crossdock.canonical.errors import describe_validation_error
from crossdock.canonical.registry import build_event, data_model_for
from crossdock.connectors.base import InboundMessage
from crossdock.connectors.files.errors import FileFormatError
from crossdock.connectors.wms.codes import CodeTables
from crossdock.connectors.wms.events import EVENT_TYPES
from crossdock.connectors.wms.files.codec import Record, decode
from crossdock.connectors.wms.files.records import HEADERS, PARENTS
from crossdock.connectors.wms.files.settings import FileWmsSettings
from crossdock.errors import MappingError
from crossdock.flows.outbound.gateway import Label
from crossdock.ids import derived_id

FILE_HEADER = "x-crossdock-file"
CODES_HEADER = "x-crossdock-codes"
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")
_EVENT_OF = {"acknowledgement": "acknowledged", "pick": "picked", "packing": "packed"}

Records = list[tuple[str, dict[str, Any]]]


def file_name(pattern: str, fulfillment_id: str, now: datetime) -> str:
    """`WH/OUT/00042` → `ORD_WH_OUT_00042.txt`: the id made safe for a file name."""
    return pattern.format(fulfillment_id=_UNSAFE.sub("_", fulfillment_id), now=now)


def release_records(request: FulfillmentRequest, codes: CodeTables) -> Records:
    to = request.ship_to
    header: dict[str, Any] = {
        "fulfillment_id": request.fulfillment_id,
        "order_reference": request.order_reference,
        "warehouse": _out(codes, "location", request.warehouse.code or request.warehouse.name),
        "carrier": request.carrier_code,
        "service_level": _out(codes, "carrier_service", request.service_level),
        "ship_date": request.requested_ship_date,
        "ship_name": to.name,
        "ship_street": to.address.line1,
        "ship_street2": to.address.line2,
        "ship_postal_code": to.address.postal_code,
        "ship_city": to.address.city,
        "ship_country": to.address.country_code,
        "ship_phone": to.phone,
        "ship_email": to.email,
    }
    lines: Records = [
        (
            "order_line",
            {
                "fulfillment_id": request.fulfillment_id,
                "line_id": line.line_id,
                "sku": codes.out("sku", line.sku),
                "quantity": line.quantity.value,
                "uom": codes.out("uom", line.quantity.uom),
                "description": line.description,
            },
        )
        for line in request.lines
    ]
    return [("order", header), *lines]


def cancel_records(fulfillment_id: str, wms_order_id: str | None, now: datetime) -> Records:
    return [
        (
            "cancel",
            {"fulfillment_id": fulfillment_id, "wms_order_id": wms_order_id, "requested_at": now},
        )
    ]


def label_records(
    fulfillment_id: str, wms_order_id: str | None, labels: Sequence[Label]
) -> Records:
    return [
        (
            "label",
            {
                "fulfillment_id": fulfillment_id,
                "wms_order_id": wms_order_id,
                "tracking_number": label.tracking_number,
                "carrier": label.carrier_code,
                "service_level": label.service_level,
                "label_format": label.label_format,
                "content": label.content,
            },
        )
        for label in labels
    ]


def _out(codes: CodeTables, table: str, code: str | None) -> str | None:
    return codes.out(table, code) if code else None


# -- received files ----------------------------------------------------------------------------


def translate(message: InboundMessage, settings: Mapping[str, Any]) -> list[Envelope]:
    """A stored file → one canonical envelope per event it reports, on the order's lane."""
    wms = FileWmsSettings.model_validate(settings)
    file = message.headers.get(FILE_HEADER) or message.id
    codes = CodeTables.from_json(orjson.loads(message.headers.get(CODES_HEADER) or "{}"))
    records = decode(message.body, wms.layout, file)
    if not records:
        raise FileFormatError(file, 1, None, "the file holds no records")
    envelopes: list[Envelope] = []
    for index, (header, data) in enumerate(group(records, file, message.received_at, codes)):
        event_type = EVENT_TYPES[_EVENT_OF.get(header.kind, "shipped")]
        model = _validated(event_type, data, file, header.line)
        fulfillment_id = str(data["fulfillment_id"])
        envelopes.append(
            build_event(
                event_type,
                model,
                source=f"/wms/{message.partner}",
                subject=fulfillment_id,
                partner=message.partner,
                lanekey=f"picking:{fulfillment_id}",
                event_id=derived_id(message.id, str(index)),
                time=cast(datetime, model.occurred_at),  # type: ignore[attr-defined]
            )
        )
    return envelopes


def group(
    records: Sequence[Record], file: str, received_at: datetime, codes: CodeTables
) -> list[tuple[Record, dict[str, Any]]]:
    """Each header record with the canonical data of its event (children folded in)."""
    events: list[tuple[Record, dict[str, Any]]] = []
    current: dict[str, dict[str, Any]] = {}
    for record in records:
        if record.kind in HEADERS:
            data = _header(record, received_at, codes)
            events.append((record, data))
            current = {record.kind: data}
            continue
        parents = PARENTS.get(record.kind)
        parent = next((current[p] for p in sorted(parents or ()) if p in current), None)
        if parent is None:
            expected = " or ".join(sorted(parents)) if parents else "a received file"
            raise FileFormatError(
                file, record.line, 1, f"a {record.kind} record must follow {expected}"
            )
        child = _child(record, codes)
        if record.kind == "lot" and "uom" not in record.values:
            child["quantity"]["uom"] = parent["quantity"]["uom"]  # a lot is in its line's unit
        parent.setdefault(_LIST_OF[record.kind], []).append(child)
        if record.kind in ("pick_line", "ship_line"):
            current = {k: v for k, v in current.items() if k in HEADERS}
            current[record.kind] = child
    return events


_LIST_OF = {"pick_line": "lines", "ship_line": "lines", "package": "packages", "lot": "lots"}


def _header(record: Record, received_at: datetime, codes: CodeTables) -> dict[str, Any]:
    v = record.values
    data: dict[str, Any] = {
        "fulfillment_id": v["fulfillment_id"],
        "occurred_at": (v.get("occurred_at") or received_at).isoformat(),
    }
    if record.kind == "acknowledgement":
        data.update(
            wms_order_id=v.get("wms_order_id"),
            accepted=v.get("accepted", True),
            reason=v.get("reason"),
        )
    elif record.kind == "shipment":
        service = v.get("service_level")
        data.update(
            confirmation_id=v["confirmation_id"],
            carrier_code=v.get("carrier"),
            service_level=codes.back("carrier_service", service) if service else None,
        )
    return data


def _child(record: Record, codes: CodeTables) -> dict[str, Any]:
    v = record.values
    if record.kind == "package":
        package: dict[str, Any] = {
            "package_ref": v.get("package_ref"),
            "tracking_number": v.get("tracking_number"),
            "weight": {"value": str(v["weight"]), "unit": v.get("weight_unit", "kg")},
        }
        if all(v.get(side) is not None for side in ("length", "width", "height")):
            package["dimensions"] = {
                "length": str(v["length"]),
                "width": str(v["width"]),
                "height": str(v["height"]),
                "unit": v.get("dimension_unit", "cm"),
            }
        return package
    quantity = {"value": str(v["quantity"]), "uom": codes.back("uom", v.get("uom", "C62"))}
    if record.kind == "lot":
        return {"lot": v["lot"], "quantity": quantity}
    return {
        "line_id": v["line_id"],
        "sku": codes.back("sku", v["sku"]),
        "quantity": quantity,
        "short_reason": v.get("short_reason"),
    }


def _validated(event_type: str, data: dict[str, Any], file: str, line: int) -> BaseModel:
    try:
        return data_model_for(event_type).model_validate(data)
    except ValidationError as exc:
        raise MappingError(describe_validation_error(exc), f"{file} line {line}") from None
