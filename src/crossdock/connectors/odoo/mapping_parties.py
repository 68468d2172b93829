"""Parties, products and carriers: the pieces every Odoo document refers to.

res.partner follows odoo/addons/base/models/res_partner.py (street, street2, zip, city,
country_id; a delivery address may be nameless and then goes by its parent company);
product.product follows addons/product and stock's product.py (see `mapping_fields`);
delivery.carrier follows addons/delivery (16) / stock_delivery (17+) ``delivery_type``.
"""

from __future__ import annotations

from typing import Any

from crossdock.canonical.carrier import CarrierService
from crossdock.canonical.common import Address, ExternalRef, Party, Weight
from crossdock.canonical.event_types import CARRIER_SERVICE_UPDATED_V1, PRODUCT_UPDATED_V1
from crossdock.canonical.product import Product, ProductKind
from crossdock.connectors.odoo.codes import MappingOptions
from crossdock.connectors.odoo.mapping_record import (
    EnrichedRecord,
    Mapped,
    Row,
    decimal,
    m2o_name,
    required_time,
    text,
)
from crossdock.errors import MappingError


def odoo_ref(model: str, rid: int) -> ExternalRef:
    """The record's identity in Odoo, for the cross-reference table."""
    return ExternalRef(system="odoo", value=f"{model}:{rid}")


def party(rec: EnrichedRecord, value: Any, place: str) -> Party:
    """The Party a res.partner many2one points at; MappingError names what is missing."""
    row = rec.row("res.partner", value)
    if row is None:
        raise MappingError("no partner is set (or it could not be read)", place)
    name = text(row.get("name")) or m2o_name(row.get("parent_id"))
    label = f"partner {row['id']} ({name or 'no name'})"
    country = rec.row("res.country", row.get("country_id"))
    country_code = text(country.get("code")) if country else None
    for what, present in (("street", row.get("street")), ("city", row.get("city"))):
        if not text(present):
            raise MappingError(f"{label} has no {what}", place)
    if not name or not country_code:
        raise MappingError(f"{label} has no {'name' if not name else 'country'}", place)
    company = m2o_name(row.get("parent_id")) or (name if row.get("is_company") else None)
    return Party(
        name=name,
        company=company,
        email=text(row.get("email")),
        phone=text(row.get("phone")),
        address=Address(
            line1=str(text(row.get("street"))),
            line2=text(row.get("street2")),
            city=str(text(row.get("city"))),
            postal_code=text(row.get("zip")),
            country_code=country_code.upper(),
        ),
    )


def product_row(rec: EnrichedRecord, value: Any, place: str) -> Row:
    row = rec.row("product.product", value)
    if row is None:
        raise MappingError("no product is set (or it could not be read)", place)
    return row


def sku(row: Row, place: str) -> str:
    code = text(row.get("default_code"))
    if code is None:
        raise MappingError("product has no default_code", place)
    return code


def uom_code(rec: EnrichedRecord, value: Any, place: str, options: MappingOptions) -> str:
    """The UN/ECE code of a uom.uom many2one, by its English name (see `codes.UOM_CODES`)."""
    row = rec.row("uom.uom", value)
    name = text(row.get("name")) if row else m2o_name(value)
    if name is None:
        raise MappingError("no unit of measure is set", place)
    code = options.uom_code(name)
    if code is None:
        raise MappingError(f"unit {name!r} has no UN/ECE code; add it to uom_codes", place)
    return code


def product_kind(row: Row) -> ProductKind:
    kind = row.get("type")
    if kind in ("service", "combo"):
        return ProductKind(kind)
    return ProductKind.GOODS


def is_storable(row: Row, version: int) -> bool:
    """16/17: ``detailed_type == 'product'``; 18+: ``type == 'consu'`` and ``is_storable``."""
    if version <= 17:
        return row.get("detailed_type") == "product" or row.get("type") == "product"
    return row.get("type") == "consu" and bool(row.get("is_storable"))


def item_weight(row: Row, options: MappingOptions) -> Weight | None:
    value = decimal(row.get("weight"))
    return Weight(value=value, unit=options.weight_unit) if value > 0 else None


def carrier_of(rec: EnrichedRecord, value: Any, options: MappingOptions) -> tuple[str, str] | None:
    """(carrier code, service level = the delivery method's name) of a delivery.carrier."""
    row = rec.row("delivery.carrier", value)
    name = (text(row.get("name")) if row else None) or m2o_name(value)
    if name is None:
        return None
    provider = str(row.get("delivery_type") or "fixed") if row else "fixed"
    return options.carrier_code(name, provider), name


def map_product(rec: EnrichedRecord, options: MappingOptions) -> list[Mapped]:
    record = rec.record
    code = sku(record, f"{rec.where}.default_code")
    product = Product(
        sku=code,
        name=text(record.get("name")) or code,
        barcode=text(record.get("barcode")),
        uom=uom_code(rec, record.get("uom_id"), f"{rec.where}.uom_id", options),
        kind=product_kind(record),
        storable=is_storable(record, rec.version),
        weight=item_weight(record, options),
        active=bool(record.get("active", True)),
        references=[odoo_ref("product.product", rec.id)],
    )
    return [Mapped(PRODUCT_UPDATED_V1, product, code, f"product:{code}", required_time(rec))]


def map_carrier(rec: EnrichedRecord, options: MappingOptions) -> list[Mapped]:
    name = text(rec.record.get("name"))
    if name is None:
        raise MappingError("delivery method has no name", f"{rec.where}.name")
    provider = str(rec.record.get("delivery_type") or "fixed")
    code = options.carrier_code(name, provider)
    service = CarrierService(
        carrier_code=code,
        name=name,
        provider=provider,
        active=bool(rec.record.get("active", True)),
        references=[odoo_ref("delivery.carrier", rec.id)],
    )
    time = required_time(rec)
    return [Mapped(CARRIER_SERVICE_UPDATED_V1, service, name, f"carrier:{code}", time)]
