"""product.product → Product (storable across versions) and delivery.carrier → CarrierService."""

from __future__ import annotations

from decimal import Decimal

import pytest

from crossdock.canonical import CarrierService, Product, ProductKind
from crossdock.connectors.odoo.mapping import events_for
from crossdock.errors import MappingError
from tests.connectors_odoo.test_odoo_mapping_shapes import WRITE_DATE, enriched, product


@pytest.mark.parametrize("version", [16, 17, 18, 19])
@pytest.mark.parametrize(
    ("kind", "storable", "canonical"),
    [
        ("storable", True, ProductKind.GOODS),
        ("consumable", False, ProductKind.GOODS),
        ("service", False, ProductKind.SERVICE),
    ],
)
def test_product_kinds_across_versions(
    version: int, kind: str, storable: bool, canonical: ProductKind
) -> None:
    row = product(version, 7, "CD-0007", "Euro pallet S", kind=kind, weight=25.0)
    [event] = events_for(
        enriched("product.product", 7, version, row | {"barcode": "5407000000075"}, {})
    )
    item = Product.model_validate(event.data)
    assert (event.type, event.subject, event.lanekey) == (
        "crossdock.product.updated.v1",
        "CD-0007",
        "product:CD-0007",
    )
    assert (item.kind, item.storable) == (canonical, storable)
    assert (item.uom, item.barcode) == ("C62", "5407000000075")
    assert item.weight is not None and item.weight.value == Decimal(25)


def test_a_product_needs_a_default_code() -> None:
    with pytest.raises(MappingError, match=r"product.product\(7\).default_code"):
        events_for(enriched("product.product", 7, 18, product(18, 7, False, "Pallet"), {}))


@pytest.mark.parametrize(
    ("name", "provider", "code"),
    [
        ("DB Schenker Freight", "base_on_rule", "db_schenker_freight"),
        ("DHL Express Worldwide", "dhl_rest", "dhl_express"),
    ],
)
def test_carrier_services(name: str, provider: str, code: str) -> None:
    row = {"name": name, "delivery_type": provider, "active": True, "write_date": WRITE_DATE}
    [event] = events_for(enriched("delivery.carrier", 3, 18, row, {}))
    service = CarrierService.model_validate(event.data)
    assert (service.carrier_code, service.name, service.provider) == (code, name, provider)
    assert (event.type, event.lanekey) == (
        "crossdock.carrier.service_updated.v1",
        f"carrier:{code}",
    )
