"""Sample canonical payloads shared by the canonical model tests."""

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from pydantic import BaseModel

from crossdock.canonical import (
    INVENTORY_BALANCE_REPORTED_V1,
    ORDER_CONFIRMED_V1,
    SHIPMENT_CREATED_V1,
    SHIPMENT_MILESTONE_RECORDED_V1,
    Address,
    ContentLine,
    Dimensions,
    ExceptionReason,
    ExternalRef,
    InventoryBalance,
    LengthUnit,
    LocationRef,
    Milestone,
    Order,
    OrderLine,
    Package,
    Party,
    Quantity,
    Shipment,
    TrackingMilestone,
    Weight,
    WeightUnit,
)

AMSTERDAM = timezone(timedelta(hours=2))


def make_party(name: str = "Acme Retail") -> Party:
    return Party(
        name=name,
        company="Acme BV",
        email="ops@acme.example",
        phone="+31 20 123 4567",
        address=Address(
            line1="Keizersgracht 1",
            city="Amsterdam",
            postal_code="1015 CJ",
            country_code="NL",
        ),
    )


def make_shipment() -> Shipment:
    return Shipment(
        shipment_id="WH/OUT/00012",
        order_reference="S00042",
        carrier_code="dhl_express",
        service_level="express_worldwide",
        ship_from=make_party("Acme Warehouse"),
        ship_to=make_party("Jane Doe"),
        ship_date=date(2024, 5, 2),
        packages=[
            Package(
                package_ref="00012345670000000017",
                tracking_number="JD014600006281230704",
                weight=Weight(value=Decimal("2.350"), unit=WeightUnit.KG),
                dimensions=Dimensions(
                    length=Decimal("40"),
                    width=Decimal("30.5"),
                    height=Decimal("12"),
                    unit=LengthUnit.CM,
                ),
                contents=[
                    ContentLine(
                        sku="MUG-RED",
                        description="Red mug",
                        quantity=Quantity(value=Decimal("6"), uom="C62"),
                    )
                ],
            )
        ],
        references=[ExternalRef(system="odoo", value="stock.picking:812")],
    )


def make_milestone() -> TrackingMilestone:
    return TrackingMilestone(
        tracking_number="JD014600006281230704",
        carrier_code="dhl_express",
        milestone=Milestone.EXCEPTION,
        exception_reason=ExceptionReason.ADDRESS,
        occurred_at=datetime(2024, 5, 3, 14, 5, tzinfo=AMSTERDAM),
        location=LocationRef(name="Amsterdam Hub", city="Amsterdam", country_code="NL"),
        raw_code="NH",
        raw_text="Address information needed; contact DHL",
        shipment_id="WH/OUT/00012",
    )


def make_order() -> Order:
    return Order(
        order_number="S00042",
        partner_refs=[ExternalRef(system="acme_shop", value="PO-7781")],
        customer=make_party("Jane Doe"),
        ship_to=make_party("Jane Doe"),
        requested_ship_date=date(2024, 5, 2),
        currency="EUR",
        lines=[
            OrderLine(
                line_id="1",
                sku="MUG-RED",
                description="Red mug",
                quantity=Quantity(value=Decimal("6"), uom="C62"),
                unit_price=Decimal("4.50"),
            ),
            OrderLine(
                line_id="2",
                sku="COFFEE-1KG",
                quantity=Quantity(value=Decimal("1.5"), uom="KGM"),
                unit_price=Decimal("19.99"),
            ),
        ],
    )


def make_balance() -> InventoryBalance:
    return InventoryBalance(
        sku="MUG-RED",
        location=LocationRef(code="AMS1/A-01-02", name="Amsterdam DC"),
        uom="C62",
        on_hand=Decimal("120"),
        available=Decimal("100"),
        reserved=Decimal("20"),
        as_of=datetime(2024, 5, 3, 6, 0, tzinfo=UTC),
    )


SAMPLE_FACTORIES = {
    SHIPMENT_CREATED_V1: make_shipment,
    SHIPMENT_MILESTONE_RECORDED_V1: make_milestone,
    ORDER_CONFIRMED_V1: make_order,
    INVENTORY_BALANCE_REPORTED_V1: make_balance,
}


@pytest.fixture(params=sorted(SAMPLE_FACTORIES))
def event_type(request: pytest.FixtureRequest) -> str:
    """Every registered event type in turn."""
    return str(request.param)


@pytest.fixture
def sample_data(event_type: str) -> BaseModel:
    """A realistic payload for the event type under test."""
    factory: Callable[[], BaseModel] = SAMPLE_FACTORIES[event_type]
    return factory()


@pytest.fixture
def shipment() -> Shipment:
    return make_shipment()


@pytest.fixture
def milestone() -> TrackingMilestone:
    return make_milestone()


@pytest.fixture
def order() -> Order:
    return make_order()


@pytest.fixture
def balance() -> InventoryBalance:
    return make_balance()
