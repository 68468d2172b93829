"""The canonical event model: the shared language between Odoo and logistics partners."""

from crossdock.canonical.common import (
    Address,
    Dimensions,
    ExternalRef,
    LengthUnit,
    LocationRef,
    Party,
    Quantity,
    Weight,
    WeightUnit,
)
from crossdock.canonical.envelope import EXTENSION_ATTRIBUTES, Envelope
from crossdock.canonical.errors import InvalidEnvelope, InvalidEventData, UnknownEventType
from crossdock.canonical.event_types import (
    INVENTORY_BALANCE_REPORTED_V1,
    ORDER_CONFIRMED_V1,
    SHIPMENT_CREATED_V1,
    SHIPMENT_MILESTONE_RECORDED_V1,
    EventType,
    event_type_name,
    parse_event_type,
)
from crossdock.canonical.inventory import InventoryBalance
from crossdock.canonical.milestones import ExceptionReason, Milestone, TrackingMilestone
from crossdock.canonical.order import Order, OrderLine
from crossdock.canonical.registry import (
    EVENT_TYPES,
    build_event,
    data_model_for,
    registered_event_types,
    validate_event,
)
from crossdock.canonical.shipment import ContentLine, Package, Shipment

__all__ = [
    "EVENT_TYPES",
    "EXTENSION_ATTRIBUTES",
    "INVENTORY_BALANCE_REPORTED_V1",
    "ORDER_CONFIRMED_V1",
    "SHIPMENT_CREATED_V1",
    "SHIPMENT_MILESTONE_RECORDED_V1",
    "Address",
    "ContentLine",
    "Dimensions",
    "Envelope",
    "EventType",
    "ExceptionReason",
    "ExternalRef",
    "InvalidEnvelope",
    "InvalidEventData",
    "InventoryBalance",
    "LengthUnit",
    "LocationRef",
    "Milestone",
    "Order",
    "OrderLine",
    "Package",
    "Party",
    "Quantity",
    "Shipment",
    "TrackingMilestone",
    "UnknownEventType",
    "Weight",
    "WeightUnit",
    "build_event",
    "data_model_for",
    "event_type_name",
    "parse_event_type",
    "registered_event_types",
    "validate_event",
]
