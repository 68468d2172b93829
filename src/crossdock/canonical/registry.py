"""Registry of canonical event types and the data model each one carries."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from types import MappingProxyType

from pydantic import BaseModel, ValidationError

from crossdock.canonical.alert import Alert
from crossdock.canonical.asn import AdvanceShipNotice
from crossdock.canonical.carrier import (
    CarrierService,
    FulfillmentCancellation,
    FulfillmentRequest,
    OrderCancellation,
)
from crossdock.canonical.envelope import Envelope
from crossdock.canonical.errors import InvalidEventData, UnknownEventType
from crossdock.canonical.event_types import (
    ALERT_RAISED_V1,
    ALERT_RESOLVED_V1,
    CARRIER_SERVICE_UPDATED_V1,
    FULFILLMENT_ACKNOWLEDGED_V1,
    FULFILLMENT_CANCELLED_V1,
    FULFILLMENT_EXCEPTION_RAISED_V1,
    FULFILLMENT_PACKED_V1,
    FULFILLMENT_PICKED_V1,
    FULFILLMENT_REQUESTED_V1,
    FULFILLMENT_SHIPPED_V1,
    INTERCHANGE_ACKNOWLEDGEMENT_OVERDUE_V1,
    INTERCHANGE_REJECTED_V1,
    INVENTORY_BALANCE_REPORTED_V1,
    INVOICE_POSTED_V1,
    INVOICE_RECEIVED_V1,
    ORDER_CANCELLED_V1,
    ORDER_CONFIRMED_V1,
    OWNERSHIP_CONFLICT_RAISED_V1,
    PRODUCT_UPDATED_V1,
    PURCHASE_ORDER_ACKNOWLEDGED_V1,
    PURCHASE_ORDER_CONFIRMED_V1,
    PURCHASE_ORDER_EXCEPTION_RAISED_V1,
    RECEIPT_ADVISED_V1,
    RECEIPT_RECORDED_V1,
    SHIP_NOTICE_RECEIVED_V1,
    SHIPMENT_CREATED_V1,
    SHIPMENT_MILESTONE_RECORDED_V1,
    SHIPMENT_STATUS_CHANGED_V1,
    parse_event_type,
)
from crossdock.canonical.fulfillment import (
    FulfillmentAcknowledgement,
    FulfillmentException,
    FulfillmentPacked,
    FulfillmentPicked,
    FulfillmentShipped,
    OwnershipConflict,
)
from crossdock.canonical.interchange import InterchangeAlert
from crossdock.canonical.inventory import InventoryBalance
from crossdock.canonical.invoice import Invoice
from crossdock.canonical.milestones import ShipmentStatus, TrackingMilestone
from crossdock.canonical.order import Order
from crossdock.canonical.procurement import ProcurementException
from crossdock.canonical.product import Product
from crossdock.canonical.purchase import PurchaseOrder, Receipt
from crossdock.canonical.purchase_ack import PurchaseOrderAcknowledgement
from crossdock.canonical.receipt_advice import ReceiptAdvice
from crossdock.canonical.shipment import Shipment

# Read-only so nothing can re-point an event type at another model at run time; a new
# major version is added here next to the old one while consumers migrate.
EVENT_TYPES: Mapping[str, type[BaseModel]] = MappingProxyType(
    {
        SHIPMENT_CREATED_V1: Shipment,
        SHIPMENT_MILESTONE_RECORDED_V1: TrackingMilestone,
        SHIPMENT_STATUS_CHANGED_V1: ShipmentStatus,
        ORDER_CONFIRMED_V1: Order,
        INVENTORY_BALANCE_REPORTED_V1: InventoryBalance,
        ORDER_CANCELLED_V1: OrderCancellation,
        FULFILLMENT_REQUESTED_V1: FulfillmentRequest,
        FULFILLMENT_CANCELLED_V1: FulfillmentCancellation,
        RECEIPT_RECORDED_V1: Receipt,
        PURCHASE_ORDER_CONFIRMED_V1: PurchaseOrder,
        INVOICE_POSTED_V1: Invoice,
        PRODUCT_UPDATED_V1: Product,
        CARRIER_SERVICE_UPDATED_V1: CarrierService,
        ALERT_RAISED_V1: Alert,
        ALERT_RESOLVED_V1: Alert,
        FULFILLMENT_ACKNOWLEDGED_V1: FulfillmentAcknowledgement,
        FULFILLMENT_PICKED_V1: FulfillmentPicked,
        FULFILLMENT_PACKED_V1: FulfillmentPacked,
        FULFILLMENT_SHIPPED_V1: FulfillmentShipped,
        FULFILLMENT_EXCEPTION_RAISED_V1: FulfillmentException,
        OWNERSHIP_CONFLICT_RAISED_V1: OwnershipConflict,
        PURCHASE_ORDER_ACKNOWLEDGED_V1: PurchaseOrderAcknowledgement,
        PURCHASE_ORDER_EXCEPTION_RAISED_V1: ProcurementException,
        SHIP_NOTICE_RECEIVED_V1: AdvanceShipNotice,
        INVOICE_RECEIVED_V1: Invoice,
        INTERCHANGE_ACKNOWLEDGEMENT_OVERDUE_V1: InterchangeAlert,
        INTERCHANGE_REJECTED_V1: InterchangeAlert,
        RECEIPT_ADVISED_V1: ReceiptAdvice,
    }
)

for _name in EVENT_TYPES:
    parse_event_type(_name)


def registered_event_types() -> tuple[str, ...]:
    """All registered event type names, sorted."""
    return tuple(sorted(EVENT_TYPES))


def data_model_for(event_type: str) -> type[BaseModel]:
    """Return the data model registered for ``event_type``.

    Raises ValueError for a malformed name and UnknownEventType for a well-formed
    name that is not registered.
    """
    parse_event_type(event_type)
    try:
        return EVENT_TYPES[event_type]
    except KeyError:
        raise UnknownEventType(event_type, registered_event_types()) from None


def validate_event(envelope: Envelope) -> BaseModel:
    """Validate ``envelope.data`` against the model for its type and return the model."""
    model = data_model_for(envelope.type)
    try:
        return model.model_validate(envelope.data)
    except ValidationError as error:
        raise InvalidEventData(envelope.type, error) from error


def build_event(
    event_type: str,
    data: BaseModel,
    *,
    source: str,
    subject: str | None = None,
    correlationid: str | None = None,
    partner: str | None = None,
    lanekey: str | None = None,
    event_id: str | None = None,
    time: datetime | None = None,
) -> Envelope:
    """Wrap a canonical model in an envelope, checking it is the model the type expects.

    ``event_id`` defaults to a random UUID and ``time`` to now in UTC.
    """
    model = data_model_for(event_type)
    if type(data) is not model:
        raise TypeError(
            f"event type {event_type!r} carries {model.__name__}, not {type(data).__name__}"
        )
    return Envelope(
        id=event_id or str(uuid.uuid4()),
        source=source,
        type=event_type,
        subject=subject,
        time=time or datetime.now(UTC),
        data=data.model_dump(mode="json"),
        correlationid=correlationid,
        partner=partner,
        lanekey=lanekey,
        schemaversion=parse_event_type(event_type).major,
    )
