"""The warehouse execution events every WMS connector produces, by the WMS's own word for
each step: whether a warehouse speaks REST or drops files, the outbound flow sees the same."""

from __future__ import annotations

from collections.abc import Mapping

from crossdock.canonical.event_types import (
    FULFILLMENT_ACKNOWLEDGED_V1,
    FULFILLMENT_PACKED_V1,
    FULFILLMENT_PICKED_V1,
    FULFILLMENT_SHIPPED_V1,
)

EVENT_TYPES: Mapping[str, str] = {
    "acknowledged": FULFILLMENT_ACKNOWLEDGED_V1,
    "picked": FULFILLMENT_PICKED_V1,
    "packed": FULFILLMENT_PACKED_V1,
    "shipped": FULFILLMENT_SHIPPED_V1,
}
PRODUCES = frozenset(EVENT_TYPES.values())
