"""Odoo-shaped records for the pure mapping tests, and tests of the helpers that read them.

The builders return what `enrich` stores: rows exactly as Odoo's ``search_read`` answers
them (many2one ``[id, display_name]``, ``False`` for unset, naive UTC datetimes, floats),
with the field names of the version asked for: 16 (``detailed_type``, ``qty_done``,
``quantity_done``), 17-18 (``quantity`` + ``picked``, 18 ``is_storable``), 19 (order lines'
``product_uom_id``).
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from crossdock.canonical.common import WeightUnit
from crossdock.connectors.odoo.codes import MappingOptions, slug
from crossdock.connectors.odoo.mapping_record import (
    EnrichedRecord,
    decimal,
    m2o_id,
    m2o_name,
    odoo_date,
    odoo_datetime,
)
from crossdock.errors import ConfigError, MappingError

Row = dict[str, Any]
WRITE_DATE = "2025-03-04 09:15:00"

COUNTRIES: dict[int, Row] = {2: {"id": 2, "code": "NL"}, 4: {"id": 4, "code": "FR"}}
UOMS: dict[int, Row] = {1: {"id": 1, "name": "Units"}, 3: {"id": 3, "name": "kg"}}
PARTNERS: dict[int, Row] = {
    1: {
        "id": 1,
        "name": "Crossdock Demo Company",
        "parent_id": False,
        "is_company": True,
        "street": "Waalhaven Oostzijde 1",
        "street2": False,
        "zip": "3087 BM",
        "city": "Rotterdam",
        "country_id": [2, "Netherlands"],
        "email": "info@crossdock-demo.example",
        "phone": False,
        "write_date": WRITE_DATE,
    },
    15: {
        "id": 15,
        "name": "Lyon Outdoor SAS",
        "parent_id": False,
        "is_company": True,
        "street": "Rue de la République 10",
        "street2": False,
        "zip": "69002",
        "city": "Lyon",
        "country_id": [4, "France"],
        "email": "orders@lyon.example",
        "phone": "+33 4 72 00 00 00",
        "write_date": WRITE_DATE,
    },
    16: {
        "id": 16,
        "name": False,
        "parent_id": [15, "Lyon Outdoor SAS"],
        "is_company": False,
        "street": "Quai Perrache 2",
        "street2": "Dock 4",
        "zip": "69002",
        "city": "Lyon",
        "country_id": [4, "France"],
        "email": False,
        "phone": False,
        "write_date": WRITE_DATE,
    },
    30: {
        "id": 30,
        "name": "PackSource BV",
        "parent_id": False,
        "is_company": True,
        "street": "Industrieweg 5",
        "street2": False,
        "zip": "3044 AS",
        "city": "Rotterdam",
        "country_id": [2, "Netherlands"],
        "email": False,
        "phone": False,
        "write_date": WRITE_DATE,
    },
}


def product(
    version: int,
    pid: int,
    code: str | bool,
    name: str,
    *,
    kind: str = "storable",
    uom: tuple[int, str] = (1, "Units"),
    weight: float = 0.55,
) -> Row:
    """A product.product row; ``kind`` is storable, consumable or service."""
    if version <= 17:
        odoo_type = {"storable": "product", "consumable": "consu", "service": "service"}[kind]
        types: Row = {"type": odoo_type, "detailed_type": odoo_type}
    else:
        types = {
            "type": "service" if kind == "service" else "consu",
            "is_storable": kind == "storable",
        }
    return {
        "id": pid,
        "default_code": code,
        "barcode": False,
        "name": name,
        "uom_id": list(uom),
        "weight": weight,
        "active": True,
        "write_date": WRITE_DATE,
        **types,
    }


def products(version: int) -> dict[int, Row]:
    rows = [
        product(version, 7, "CD-0007", "Euro pallet S", weight=25.0),
        product(version, 8, "CD-0008", "Air cushion S", weight=0.2),
        product(version, 9, "CD-0009", "Kraft paper S", uom=(3, "kg"), weight=1.0),
        product(version, 90, False, "Shipping", kind="service", weight=0.0),
    ]
    return {row["id"]: row for row in rows}


def line_uom(version: int) -> str:
    return "product_uom_id" if version >= 19 else "product_uom"


def enriched(
    model: str, rid: int, version: int, record: Row, related: dict[str, dict[int, Row]]
) -> EnrichedRecord:
    base: dict[str, dict[int, Row]] = {
        "res.partner": PARTNERS,
        "res.country": COUNTRIES,
        "uom.uom": UOMS,
        "product.product": products(version),
    }
    return EnrichedRecord(model, rid, version, {"id": rid, **record}, {**base, **related})


# --- tests of the helpers ---------------------------------------------------------------


def test_floats_become_exact_short_decimals() -> None:
    assert str(decimal(0.1 + 0.2)) == "0.3"
    assert str(decimal(3.0)) == "3"
    assert str(decimal(12.50)) == "12.5"
    assert decimal(False) == Decimal(0)


def test_odoo_datetimes_are_utc() -> None:
    expected = datetime(2025, 3, 4, 9, 15, tzinfo=UTC)
    assert odoo_datetime("2025-03-04 09:15:00") == expected
    assert odoo_datetime("2025-03-04 09:15:00.000000") == expected  # webhook's str(datetime)
    assert odoo_datetime(False) is None
    assert odoo_date("2025-03-04") == expected.date()


@pytest.mark.parametrize(
    ("value", "rid", "name"),
    [
        (7, 7, None),
        ([7, "[CD-0007] Euro pallet S"], 7, "[CD-0007] Euro pallet S"),
        (False, None, None),
        (True, None, None),
    ],
)
def test_many2one_in_every_shape(value: Any, rid: int | None, name: str | None) -> None:
    assert m2o_id(value) == rid
    assert m2o_name(value) == name


def test_enrichment_round_trips_through_json() -> None:
    record = enriched("res.partner", 15, 18, PARTNERS[15], {})
    assert EnrichedRecord.from_json(record.to_json()) == record
    with pytest.raises(MappingError) as caught:
        EnrichedRecord.from_json({"model": "sale.order"})
    assert caught.value.place == "_enriched"


def test_settings_override_units_and_carriers() -> None:
    options = MappingOptions.from_settings(
        {
            "uom_codes": {"Pallet": "PX"},
            "carrier_codes": {"DHL Express": "dhl_express"},
            "weight_unit": "lb",
            "odoo": {"url": "ignored"},
        }
    )
    assert options.uom_code("pallet") == "PX"
    assert options.uom_code("Units") == "C62"
    assert options.uom_code("Bushels") is None
    assert options.carrier_code("DHL Express", "fixed") == "dhl_express"
    assert options.carrier_code("PostNL Standard", "fixed") == "postnl_standard"
    assert options.carrier_code("UPS Ground", "ups_rest") == "ups"
    assert options.weight_unit is WeightUnit.LB
    assert slug("DB Schenker / Freight!") == "db_schenker_freight"
    with pytest.raises(ConfigError):
        MappingOptions.from_settings({"uom_codes": ["Units"]})
