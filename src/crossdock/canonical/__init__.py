"""The canonical event model: the shared language between Odoo and logistics partners."""

from crossdock.canonical.carrier import (
    CarrierService,
    FulfillmentCancellation,
    FulfillmentLine,
    FulfillmentRequest,
    OrderCancellation,
)
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
    CARRIER_SERVICE_UPDATED_V1,
    FULFILLMENT_CANCELLED_V1,
    FULFILLMENT_REQUESTED_V1,
    INVENTORY_BALANCE_REPORTED_V1,
    INVOICE_POSTED_V1,
    ORDER_CANCELLED_V1,
    ORDER_CONFIRMED_V1,
    PRODUCT_UPDATED_V1,
    PURCHASE_ORDER_CONFIRMED_V1,
    RECEIPT_RECORDED_V1,
    SHIPMENT_CREATED_V1,
    SHIPMENT_MILESTONE_RECORDED_V1,
    EventType,
    event_type_name,
    parse_event_type,
)
from crossdock.canonical.inventory import InventoryBalance
from crossdock.canonical.invoice import Invoice, InvoiceDirection, InvoiceLine, InvoiceTotals
from crossdock.canonical.milestones import ExceptionReason, Milestone, TrackingMilestone
from crossdock.canonical.order import Order, OrderLine
from crossdock.canonical.product import Product, ProductKind
from crossdock.canonical.purchase import PurchaseOrder, PurchaseOrderLine, Receipt, ReceiptLine
from crossdock.canonical.registry import (
    EVENT_TYPES,
    build_event,
    data_model_for,
    registered_event_types,
    validate_event,
)
from crossdock.canonical.shipment import ContentLine, Package, Shipment

__all__ = [
    "CARRIER_SERVICE_UPDATED_V1",
    "EVENT_TYPES",
    "EXTENSION_ATTRIBUTES",
    "FULFILLMENT_CANCELLED_V1",
    "FULFILLMENT_REQUESTED_V1",
    "INVENTORY_BALANCE_REPORTED_V1",
    "INVOICE_POSTED_V1",
    "ORDER_CANCELLED_V1",
    "ORDER_CONFIRMED_V1",
    "PRODUCT_UPDATED_V1",
    "PURCHASE_ORDER_CONFIRMED_V1",
    "RECEIPT_RECORDED_V1",
    "SHIPMENT_CREATED_V1",
    "SHIPMENT_MILESTONE_RECORDED_V1",
    "Address",
    "CarrierService",
    "ContentLine",
    "Dimensions",
    "Envelope",
    "EventType",
    "ExceptionReason",
    "ExternalRef",
    "FulfillmentCancellation",
    "FulfillmentLine",
    "FulfillmentRequest",
    "InvalidEnvelope",
    "InvalidEventData",
    "InventoryBalance",
    "Invoice",
    "InvoiceDirection",
    "InvoiceLine",
    "InvoiceTotals",
    "LengthUnit",
    "LocationRef",
    "Milestone",
    "Order",
    "OrderCancellation",
    "OrderLine",
    "Package",
    "Party",
    "Product",
    "ProductKind",
    "PurchaseOrder",
    "PurchaseOrderLine",
    "Quantity",
    "Receipt",
    "ReceiptLine",
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
