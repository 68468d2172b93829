"""A done delivery order → ``crossdock.shipment.created.v1`` (Shipment).

One package per destination package (``result_package_id``); goods shipped loose form one
package without a reference. Package weight is the sum of product weight times quantity, since
the sandbox and many databases have no package scale weights. ``carrier_tracking_ref`` may
hold several numbers joined by commas (stock_delivery's ``send_to_shipper`` appends one per
call): with as many numbers as packages they are paired in order; with one number, it is the
shipment's master number and goes on every package; otherwise they stay on the shipment's
references. A delivery without a delivery method ships with ``default_carrier_code``.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from crossdock.canonical.common import ExternalRef, Quantity, Weight
from crossdock.canonical.shipment import ContentLine, Package, Shipment
from crossdock.connectors.odoo.codes import MappingOptions
from crossdock.connectors.odoo.mapping_parties import carrier_of, party
from crossdock.connectors.odoo.mapping_picking import (
    DoneLine,
    done_lines,
    order_reference,
    picking_name,
    references,
    warehouse_party,
    warehouse_row,
)
from crossdock.connectors.odoo.mapping_record import EnrichedRecord, decimal, odoo_date, text
from crossdock.errors import MappingError

# ContentLine has no lot field yet; once it gains an optional ``lot`` the lots flow through.
_CONTENT_HAS_LOT = "lot" in ContentLine.model_fields


def shipment(rec: EnrichedRecord, options: MappingOptions) -> Shipment:
    record = rec.record
    carrier = carrier_of(rec, record.get("carrier_id"), options)
    if carrier is None:
        if options.default_carrier_code is None:
            raise MappingError(
                "a done delivery without a delivery method cannot become a shipment "
                "(set default_carrier_code)",
                f"{rec.where}.carrier_id",
            )
        carrier = (options.default_carrier_code, options.default_carrier_code)
    packages = _packages(done_lines(rec, options), options)
    tracking = [t.strip() for t in str(text(record.get("carrier_tracking_ref")) or "").split(",")]
    tracking = [t for t in tracking if t]
    packages, extra = _with_tracking(packages, tracking)
    return Shipment(
        shipment_id=picking_name(rec),
        order_reference=order_reference(rec),
        carrier_code=carrier[0],
        service_level=carrier[1],
        ship_from=warehouse_party(rec, warehouse_row(rec)),
        ship_to=party(rec, record.get("partner_id"), f"{rec.where}.partner_id"),
        ship_date=odoo_date(record.get("date_done")),
        packages=packages,
        references=[*references(rec), *(ExternalRef(system=carrier[0], value=t) for t in extra)],
    )


def _packages(lines: Sequence[DoneLine], options: MappingOptions) -> list[Package]:
    groups: dict[int | None, list[DoneLine]] = {}
    for line in lines:
        groups.setdefault(line.package_id, []).append(line)
    packed = sorted(key for key in groups if key is not None)
    order = [*packed, None] if None in groups else packed
    return [_package(groups[key], options) for key in order]


def _package(lines: Sequence[DoneLine], options: MappingOptions) -> Package:
    contents: dict[tuple[str, str, str | None], tuple[DoneLine, Decimal]] = {}
    weight = Decimal(0)
    for line in lines:
        key = (line.sku, line.uom, line.lot)
        first, total = contents.get(key, (line, Decimal(0)))
        contents[key] = (first, total + line.quantity)
        weight += decimal(line.product.get("weight")) * line.quantity
    return Package(
        package_ref=lines[0].package_name,
        weight=Weight(value=weight, unit=options.weight_unit),
        contents=[_content(line, total) for line, total in contents.values()],
    )


def _content(line: DoneLine, total: Decimal) -> ContentLine:
    values: dict[str, Any] = {
        "sku": line.sku,
        "description": line.description,
        "quantity": Quantity(value=total, uom=line.uom),
    }
    if _CONTENT_HAS_LOT and line.lot:
        values["lot"] = line.lot
    return ContentLine(**values)


def _with_tracking(packages: list[Package], tracking: list[str]) -> tuple[list[Package], list[str]]:
    if len(tracking) == len(packages):
        pairs = zip(packages, tracking, strict=True)
        return [p.model_copy(update={"tracking_number": t}) for p, t in pairs], []
    if len(tracking) == 1:
        return [p.model_copy(update={"tracking_number": tracking[0]}) for p in packages], []
    return packages, tracking
