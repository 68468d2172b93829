"""Products: ``product.template`` and its variants ``product.product``.

Follows ``addons/product/models/product_template.py`` / ``product_product.py`` and stock's
overrides. The product type is where versions differ most: 16 and 17 keep ``type`` and
``detailed_type`` with ``'product'`` meaning storable; 18 and 19 have ``type`` in
``consu``/``service``/``combo`` plus the ``is_storable`` flag. A variant reads its template's
fields (``_inherits``); creating a variant with template fields creates the template, creating
a template creates its variant unless the context says ``create_product_product=False``.
Barcodes are unique (``_check_barcode_uniqueness``); ``qty_available`` and ``free_qty`` sum the
quants of internal locations.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from crossdock.sandbox.odoo.errors import ValidationError
from crossdock.sandbox.odoo.fields import (
    Field,
    ModelSpec,
    Vals,
    boolean,
    char,
    float_,
    many2one,
    one2many,
    select,
    selection,
    text,
)
from crossdock.sandbox.odoo.versions import OdooVersion

if TYPE_CHECKING:
    from crossdock.sandbox.odoo.orm import Env


def storable_vals(version: OdooVersion) -> dict[str, Any]:
    """The values that make a product storable in this version."""
    if version.storable_by_detailed_type:
        return {"detailed_type": "product", "type": "product"}
    return {"type": "consu", "is_storable": True}


def is_storable(env: Env, product_id: int) -> bool:
    if env.version.storable_by_detailed_type:
        return bool(env.get("product.product", product_id, "type") == "product")
    return bool(env.get("product.product", product_id, "is_storable"))


def _quants(env: Env, product_id: int) -> list[dict[str, Any]]:
    locations = env.db.tables["stock.location"]
    return [
        quant
        for quant in env.db.tables["stock.quant"].values()
        if quant.get("product_id") == product_id
        and locations.get(int(quant.get("location_id") or 0), {}).get("usage") == "internal"
    ]


def _qty_available(env: Env, rid: int) -> float:
    return float(sum(q.get("quantity", 0.0) for q in _quants(env, rid)))


def _free_qty(env: Env, rid: int) -> float:
    return float(
        sum(q.get("quantity", 0.0) - q.get("reserved_quantity", 0.0) for q in _quants(env, rid))
    )


def _template_qty(env: Env, rid: int) -> float:
    variants = env.get("product.template", rid, "product_variant_ids")
    return float(sum(_qty_available(env, v) for v in variants))


def _first_variant(env: Env, rid: int) -> int | bool:
    variants = env.get("product.template", rid, "product_variant_ids")
    return variants[0] if variants else False


def _variant_field(name: str) -> Field:
    """A template field stored on its single variant (default_code, barcode)."""

    def compute(env: Env, rid: int) -> Any:
        variant = _first_variant(env, rid)
        return env.get("product.product", int(variant), name) if variant else False

    def inverse(env: Env, rid: int, value: Any) -> None:
        variant = _first_variant(env, rid)
        if variant:
            env.write("product.product", [int(variant)], {name: value})

    label = "Internal Reference" if name == "default_code" else "Barcode"
    return char(label, compute=compute, inverse=inverse)


def _type_fields(version: OdooVersion) -> dict[str, Field]:
    if version.storable_by_detailed_type:
        kinds = selection(
            ("consu", "Consumable"), ("service", "Service"), ("product", "Storable Product")
        )
        return {
            "detailed_type": select("Product Type", kinds, required=True, default="consu"),
            "type": select("Type", kinds, required=True, default="consu"),
        }
    kinds = selection(("consu", "Goods"), ("service", "Service"), ("combo", "Combo"))
    return {
        "type": select("Product Type", kinds, required=True, default="consu"),
        "is_storable": boolean("Track Inventory", default=False),
    }


def _sync_type(env: Env, rid: int) -> None:
    """16/17: ``type`` follows ``detailed_type`` (``_compute_type``)."""
    if not env.version.storable_by_detailed_type:
        return
    record = env.raw("product.template", rid)
    if record.get("type") != record.get("detailed_type"):
        record["type"] = record.get("detailed_type")


def _default_uom(env: Env, vals: Vals) -> int:
    return env.ref("uom.product_uom_unit")


def _template_fields(version: OdooVersion) -> dict[str, Field]:
    fields: dict[str, Field] = {
        "name": char("Name", required=True),
        **_type_fields(version),
        "uom_id": many2one("uom.uom", "Unit of Measure", required=True, default=_default_uom),
        "list_price": float_("Sales Price", default=1.0),
        "standard_price": float_("Cost", default=0.0),
        "sale_ok": boolean("Can be Sold", default=True),
        "purchase_ok": boolean("Can be Purchased", default=True),
        "invoice_policy": select(
            "Invoicing Policy",
            selection(("order", "Ordered quantities"), ("delivery", "Delivered quantities")),
            default="order",
        ),
        "description_sale": text("Sales Description"),
        "weight": float_("Weight"),
        "active": boolean("Active", default=True),
        "product_variant_ids": one2many("product.product", "product_tmpl_id", "Products"),
        "product_variant_id": many2one("product.product", "Product", compute=_first_variant),
        "default_code": _variant_field("default_code"),
        "barcode": _variant_field("barcode"),
        "qty_available": float_("Quantity On Hand", compute=_template_qty),
    }
    if version.major <= 18:
        fields["uom_po_id"] = many2one(
            "uom.uom", "Purchase Unit", required=True, default=_default_uom
        )
    return fields


TEMPLATE_ONLY = (
    "product_variant_ids",
    "product_variant_id",
    "default_code",
    "barcode",
    "qty_available",
)


def _product_display(env: Env, rid: int) -> str:
    name = env.get("product.product", rid, "name") or ""
    code = env.get("product.product", rid, "default_code")
    return f"[{code}] {name}" if code else str(name)


def _template_display(env: Env, rid: int) -> str:
    name = env.get("product.template", rid, "name") or ""
    variant = _first_variant(env, rid)
    code = env.get("product.product", int(variant), "default_code") if variant else False
    return f"[{code}] {name}" if code else str(name)


def _before_create_product(env: Env, vals: Vals) -> Vals:
    if vals.get("product_tmpl_id"):
        return vals
    template_fields = env.spec("product.template").fields
    template_vals = {
        k: v
        for k, v in vals.items()
        if k in template_fields
        and k not in TEMPLATE_ONLY
        and k not in ("create_date", "write_date")
    }
    template_vals.setdefault("name", vals.get("name") or False)
    template = env.with_context(create_product_product=False).create(
        "product.template", template_vals
    )
    rest = {k: v for k, v in vals.items() if k not in template_vals}
    return {**rest, "product_tmpl_id": template}


def _after_create_template(env: Env, rid: int) -> None:
    _sync_type(env, rid)
    if env.context.get("create_product_product", True) and not env.get(
        "product.template", rid, "product_variant_ids"
    ):
        env.with_context(create_product_product=False).create(
            "product.product", {"product_tmpl_id": rid}
        )


def _check_barcode(env: Env, rid: int) -> None:
    barcode = env.raw("product.product", rid).get("barcode")
    if not barcode:
        return
    clash = [
        other
        for other, rec in env.db.tables["product.product"].items()
        if other != rid and rec.get("barcode") == barcode and rec.get("active", True)
    ]
    if clash:
        names = ", ".join(env.display_name("product.product", other) for other in clash)
        raise ValidationError(
            f'Barcode(s) already assigned:\n\n- Barcode "{barcode}" already assigned to '
            f"product(s): {names}"
        )


def _product_fields(version: OdooVersion) -> dict[str, Field]:
    related: dict[str, Field] = {}
    for name, fld in _template_fields(version).items():
        if name in TEMPLATE_ONLY or name == "active":
            continue
        related[name] = Field(
            fld.type,
            fld.string,
            relation=fld.relation,
            selection=fld.selection,
            related=("product_tmpl_id", name),
        )
    return {
        **related,
        "product_tmpl_id": many2one("product.template", "Product Template", required=True),
        "default_code": char("Internal Reference"),
        "barcode": char("Barcode"),
        "active": boolean("Active", default=True),
        "qty_available": float_("Quantity On Hand", compute=_qty_available),
        "free_qty": float_("Free To Use Quantity", compute=_free_qty),
    }


def models(version: OdooVersion) -> list[ModelSpec]:
    return [
        ModelSpec(
            "product.template",
            "Product",
            _template_fields(version),
            order="name, id",
            display_name=_template_display,
            after_create=_after_create_template,
            constraints=(_sync_type,),
        ),
        ModelSpec(
            "product.product",
            "Product Variant",
            _product_fields(version),
            order="default_code, name, id",
            display_name=_product_display,
            before_create=_before_create_product,
            constraints=(_check_barcode,),
        ),
    ]
