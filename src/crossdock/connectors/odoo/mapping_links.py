"""The links from a changed record to the related rows its mapping reads, and the pure graph
walks over them: which ids a batch references, in which order models can be read, and which
rows one record reaches (the slice stored with its message).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from crossdock.connectors.odoo.mapping_fields import line_uom_field
from crossdock.connectors.odoo.mapping_record import Row, m2o_id

Pool = dict[str, dict[int, Row]]
"""Rows read from Odoo, by model and id."""


@dataclass(frozen=True)
class Link:
    """``source.field`` holds ids of ``target`` rows (a many2one or an x2many)."""

    source: str
    field: str
    target: str
    only_states: frozenset[str] | None = None
    """Follow the link only from source rows in these states (e.g. move lines of done
    transfers), so a batch reads no more than its mappings use."""


def links(version: int) -> tuple[Link, ...]:
    """Every link a mapping follows; `enrich` reads each target model once per batch."""
    done = frozenset({"done"})
    line_uom = line_uom_field(version)
    return (
        Link("sale.order", "order_line", "sale.order.line"),
        Link("sale.order", "partner_id", "res.partner"),
        Link("sale.order", "partner_shipping_id", "res.partner"),
        Link("sale.order.line", "product_id", "product.product"),
        Link("sale.order.line", line_uom, "uom.uom"),
        Link("stock.picking", "move_ids", "stock.move"),
        Link("stock.picking", "move_line_ids", "stock.move.line", only_states=done),
        Link("stock.picking", "picking_type_id", "stock.picking.type"),
        Link("stock.picking", "partner_id", "res.partner"),
        Link("stock.picking", "carrier_id", "delivery.carrier"),
        Link("stock.picking.type", "warehouse_id", "stock.warehouse"),
        Link("stock.warehouse", "partner_id", "res.partner"),
        Link("stock.move", "product_id", "product.product"),
        Link("stock.move", "product_uom", "uom.uom"),
        Link("stock.move.line", "product_id", "product.product"),
        Link("stock.move.line", "product_uom_id", "uom.uom"),
        Link("purchase.order", "order_line", "purchase.order.line"),
        Link("purchase.order", "partner_id", "res.partner"),
        Link("purchase.order.line", "product_id", "product.product"),
        Link("purchase.order.line", line_uom, "uom.uom"),
        Link("stock.quant", "product_id", "product.product"),
        Link("stock.quant", "location_id", "stock.location"),
        Link("account.move", "invoice_line_ids", "account.move.line"),
        Link("account.move", "partner_id", "res.partner"),
        Link("account.move.line", "product_id", "product.product"),
        Link("product.product", "uom_id", "uom.uom"),
        Link("res.partner", "country_id", "res.country"),
    )


def referenced(link: Link, rows: Iterable[Row]) -> set[int]:
    ids: set[int] = set()
    for row in rows:
        if link.only_states is not None and row.get("state") not in link.only_states:
            continue
        value = row.get(link.field)
        if isinstance(value, list) and all(isinstance(v, int) for v in value):
            ids.update(value)  # an x2many id list
        elif (rid := m2o_id(value)) is not None:
            ids.add(rid)
    return ids


def reachable(models: set[str], plan: Sequence[Link]) -> set[str]:
    seen, todo = set(models), list(models)
    while todo:
        current = todo.pop()
        for link in plan:
            if link.source == current and link.target not in seen:
                seen.add(link.target)
                todo.append(link.target)
    return seen


def closure(model: str, record: Row, plan: Sequence[Link], pool: Pool) -> Pool:
    """Only the rows this record reaches, so each stored message stays small."""
    related: Pool = {}
    if model == "stock.quant":
        pair = (m2o_id(record.get("product_id")), m2o_id(record.get("location_id")))
        related["stock.quant"] = {
            rid: row
            for rid, row in pool.get("stock.quant", {}).items()
            if (m2o_id(row.get("product_id")), m2o_id(row.get("location_id"))) == pair
        }
    todo: list[tuple[str, Row]] = [
        (model, record),
        *(("stock.quant", r) for r in related.get("stock.quant", {}).values()),
    ]
    while todo:
        source, row = todo.pop()
        for link in (lk for lk in plan if lk.source == source):
            for rid in referenced(link, [row]):
                target_row = pool.get(link.target, {}).get(rid)
                if target_row is not None and rid not in related.get(link.target, {}):
                    related.setdefault(link.target, {})[rid] = target_row
                    todo.append((link.target, target_row))
    return related
