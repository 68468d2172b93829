"""Naming scheme for canonical event types: ``crossdock.<domain>.<event>.v<major>``."""

from __future__ import annotations

import re
from typing import NamedTuple

EVENT_TYPE_PREFIX = "crossdock"
_SNAKE = r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*"
EVENT_TYPE_PATTERN = rf"^{EVENT_TYPE_PREFIX}\.{_SNAKE}\.{_SNAKE}\.v[1-9][0-9]*$"

_SNAKE_RE = re.compile(_SNAKE)
_MAJOR_RE = re.compile(r"v([1-9][0-9]*)")

SHIPMENT_CREATED_V1 = "crossdock.shipment.created.v1"
SHIPMENT_MILESTONE_RECORDED_V1 = "crossdock.shipment.milestone_recorded.v1"
SHIPMENT_STATUS_CHANGED_V1 = "crossdock.shipment.status_changed.v1"
ORDER_CONFIRMED_V1 = "crossdock.order.confirmed.v1"
INVENTORY_BALANCE_REPORTED_V1 = "crossdock.inventory.balance_reported.v1"
ORDER_CANCELLED_V1 = "crossdock.order.cancelled.v1"
FULFILLMENT_REQUESTED_V1 = "crossdock.fulfillment.requested.v1"
FULFILLMENT_CANCELLED_V1 = "crossdock.fulfillment.cancelled.v1"
RECEIPT_RECORDED_V1 = "crossdock.receipt.recorded.v1"
PURCHASE_ORDER_CONFIRMED_V1 = "crossdock.purchase_order.confirmed.v1"
INVOICE_POSTED_V1 = "crossdock.invoice.posted.v1"
PRODUCT_UPDATED_V1 = "crossdock.product.updated.v1"
CARRIER_SERVICE_UPDATED_V1 = "crossdock.carrier.service_updated.v1"
ALERT_RAISED_V1 = "crossdock.alert.raised.v1"
ALERT_RESOLVED_V1 = "crossdock.alert.resolved.v1"
FULFILLMENT_ACKNOWLEDGED_V1 = "crossdock.fulfillment.acknowledged.v1"
FULFILLMENT_PICKED_V1 = "crossdock.fulfillment.picked.v1"
FULFILLMENT_PACKED_V1 = "crossdock.fulfillment.packed.v1"
FULFILLMENT_SHIPPED_V1 = "crossdock.fulfillment.shipped.v1"
FULFILLMENT_EXCEPTION_RAISED_V1 = "crossdock.fulfillment.exception_raised.v1"
OWNERSHIP_CONFLICT_RAISED_V1 = "crossdock.ownership.conflict_raised.v1"
PURCHASE_ORDER_ACKNOWLEDGED_V1 = "crossdock.purchase_order.acknowledged.v1"
PURCHASE_ORDER_EXCEPTION_RAISED_V1 = "crossdock.purchase_order.exception_raised.v1"
SHIP_NOTICE_RECEIVED_V1 = "crossdock.ship_notice.received.v1"
INVOICE_RECEIVED_V1 = "crossdock.invoice.received.v1"
INTERCHANGE_ACKNOWLEDGEMENT_OVERDUE_V1 = "crossdock.interchange.acknowledgement_overdue.v1"
INTERCHANGE_REJECTED_V1 = "crossdock.interchange.rejected.v1"
RECEIPT_ADVISED_V1 = "crossdock.receipt.advised.v1"


class EventType(NamedTuple):
    """The parts of an event type name, so routing can key on domain and major version."""

    domain: str
    event: str
    major: int

    def __str__(self) -> str:
        return event_type_name(self.domain, self.event, self.major)


def parse_event_type(name: str) -> EventType:
    """Split an event type name into (domain, event, major), or raise ValueError saying why."""
    expected = "expected 'crossdock.<domain>.<event>.v<major>', e.g. 'crossdock.order.confirmed.v1'"
    if not isinstance(name, str):
        raise TypeError(f"event type must be a string, got {type(name).__name__}")
    if name != name.lower():
        raise ValueError(f"invalid event type {name!r}: must be lowercase; {expected}")
    parts = name.split(".")
    if len(parts) != 4:
        raise ValueError(
            f"invalid event type {name!r}: has {len(parts)} dot-separated parts, not 4; {expected}"
        )
    prefix, domain, event, version = parts
    if prefix != EVENT_TYPE_PREFIX:
        raise ValueError(
            f"invalid event type {name!r}: must start with '{EVENT_TYPE_PREFIX}.'; {expected}"
        )
    for label, value in (("domain", domain), ("event", event)):
        if not _SNAKE_RE.fullmatch(value):
            raise ValueError(
                f"invalid event type {name!r}: {label} {value!r} must be snake_case "
                f"(a-z, 0-9 and single underscores, starting with a letter); {expected}"
            )
    match = _MAJOR_RE.fullmatch(version)
    if match is None:
        raise ValueError(
            f"invalid event type {name!r}: version {version!r} must be 'v' followed by a "
            f"major number of 1 or more without leading zeros; {expected}"
        )
    return EventType(domain=domain, event=event, major=int(match.group(1)))


def event_type_name(domain: str, event: str, major: int) -> str:
    """Build an event type name from its parts, validating the result."""
    name = f"{EVENT_TYPE_PREFIX}.{domain}.{event}.v{major}"
    parse_event_type(name)
    return name
