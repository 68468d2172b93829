"""The sandbox's deterministic starting data: a small distribution company.

One company and warehouse ``WH`` (locations WH/Stock, Partners/Customers, Partners/Vendors,
the Receipts and Delivery Orders operation types), the three API users, 50 storable products
with default codes ``CD-0001``... and valid EAN-13 barcodes, stocked at WH/Stock (but the last
two: 5 units and none), 10 customers with addresses, 3 vendors, 3 carriers, 20 confirmed sale
orders whose delivery orders are ready, and 2 draft purchase orders. The external ids are
Odoo's where Odoo has one (``stock.warehouse0``, ``stock.stock_location_stock``,
``stock.picking_type_out``, ``uom.product_uom_unit``, ``base.be``...), ``sandbox.*`` otherwise.
"""

from __future__ import annotations

from typing import Any

from crossdock.sandbox.odoo import ADMIN_UID
from crossdock.sandbox.odoo.access import USERS
from crossdock.sandbox.odoo.models import product as products
from crossdock.sandbox.odoo.models import sale
from crossdock.sandbox.odoo.orm import Env

COUNTRIES = (
    ("be", "Belgium"),
    ("nl", "Netherlands"),
    ("de", "Germany"),
    ("fr", "France"),
    ("lu", "Luxembourg"),
    ("gb", "United Kingdom"),
    ("us", "United States"),
)
ITEMS = (
    "Euro pallet",
    "Shipping carton",
    "Stretch film",
    "Packing tape",
    "Thermal label roll",
    "Corner board",
    "Strapping band",
    "Air cushion",
    "Kraft paper",
    "Pallet cover",
)
VARIANTS = ("S", "M", "L", "XL", "Pro")
CUSTOMERS = (
    ("Harbor Retail NV", "Meir 12", "2000", "Antwerp", "be"),
    ("Delta Home BV", "Coolsingel 40", "3011 AD", "Rotterdam", "nl"),
    ("Rhein Versand GmbH", "Hohe Strasse 8", "50667", "Cologne", "de"),
    ("Maison Lumière SARL", "Rue de Rivoli 99", "75001", "Paris", "fr"),
    ("Lux Office SA", "Grand-Rue 21", "1660", "Luxembourg", "lu"),
    ("Canal Garden BV", "Prinsengracht 263", "1016 GV", "Amsterdam", "nl"),
    ("Brussels Bikes SRL", "Rue Neuve 3", "1000", "Brussels", "be"),
    ("Elbe Kitchen GmbH", "Jungfernstieg 7", "20354", "Hamburg", "de"),
    ("Gand Textiles NV", "Veldstraat 55", "9000", "Ghent", "be"),
    ("Lyon Outdoor SAS", "Rue de la République 10", "69002", "Lyon", "fr"),
)
VENDORS = (
    ("PackSource BV", "Industrieweg 5", "3044 AS", "Rotterdam", "nl"),
    ("Palettenwerk AG", "Hafenstrasse 14", "47119", "Duisburg", "de"),
    ("Flandria Labels NV", "Kanaalstraat 2", "8500", "Kortrijk", "be"),
)
CARRIERS = (
    ("carrier_dhl", "DHL Express", "fixed", 12.5),
    ("carrier_postnl", "PostNL Standard", "fixed", 6.95),
    ("carrier_schenker", "DB Schenker Freight", "base_on_rule", 0.0),
)
PRODUCT_COUNT = 50


def ean13(body12: str) -> str:
    """Append the EAN-13 check digit to 12 digits."""
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body12))
    return body12 + str((10 - total % 10) % 10)


def _bind(env: Env, xmlid: str, model: str, rid: int) -> int:
    module, _, name = xmlid.partition(".")
    env.create(
        "ir.model.data",
        {"module": module, "name": name, "model": model, "res_id": rid, "noupdate": True},
    )
    return rid


def _make(env: Env, xmlid: str, model: str, vals: dict[str, Any]) -> int:
    return _bind(env, xmlid, model, env.create(model, vals))


def seed_database(env: Env) -> None:
    _base(env)
    _warehouse(env)
    _catalog(env)
    _partners(env)
    _orders(env)


def _base(env: Env) -> None:
    _make(env, "base.EUR", "res.currency", {"name": "EUR", "symbol": "€"})
    _make(env, "base.USD", "res.currency", {"name": "USD", "symbol": "$"})
    for code, name in COUNTRIES:
        _make(env, f"base.{code}", "res.country", {"name": name, "code": code.upper()})
    company_partner = _make(
        env,
        "base.main_partner",
        "res.partner",
        {
            "name": "Crossdock Demo Company",
            "is_company": True,
            "street": "Waalhaven Oostzijde 1",
            "zip": "3087 BM",
            "city": "Rotterdam",
            "country_id": env.ref("base.nl"),
            "email": "info@crossdock-demo.example",
        },
    )
    company = _make(
        env,
        "base.main_company",
        "res.company",
        {
            "name": "Crossdock Demo Company",
            "partner_id": company_partner,
            "currency_id": env.ref("base.EUR"),
        },
    )
    env.write("res.partner", [company_partner], {"company_id": company})
    root_partner = _make(
        env, "base.partner_root", "res.partner", {"name": "OdooBot", "active": False}
    )
    _bind(
        env,
        "base.user_root",
        "res.users",
        env.insert(
            "res.users", 1, {"login": "__system__", "partner_id": root_partner, "active": False}
        ),
    )
    for user in USERS:
        xml = "base.user_admin" if user.uid == ADMIN_UID else f"sandbox.user_{user.login}"
        partner = _make(
            env,
            "base.partner_admin" if user.uid == ADMIN_UID else f"sandbox.partner_{user.login}",
            "res.partner",
            {
                "name": user.name,
                "email": f"{user.login}@crossdock-demo.example",
                "company_id": company,
            },
        )
        _bind(
            env,
            xml,
            "res.users",
            env.insert(
                "res.users",
                user.uid,
                {"login": user.login, "partner_id": partner, "company_id": company},
            ),
        )
    _make(env, "uom.product_uom_unit", "uom.uom", {"name": "Units", "rounding": 1.0})
    _make(env, "uom.product_uom_dozen", "uom.uom", {"name": "Dozens", "factor": 1 / 12})
    _make(env, "uom.product_uom_kgm", "uom.uom", {"name": "kg", "rounding": 0.001})
    _make(env, "mail.mt_comment", "mail.message.subtype", {"name": "Discussions"})
    _make(env, "mail.mt_note", "mail.message.subtype", {"name": "Note", "internal": True})
    for key, name in (
        ("todo", "To-Do"),
        ("call", "Call"),
        ("email", "Email"),
        ("warning", "Exception"),
    ):
        _make(env, f"mail.mail_activity_data_{key}", "mail.activity.type", {"name": name})


def _warehouse(env: Env) -> None:
    company = env.ref("base.main_company")

    def location(xmlid: str | None, name: str, usage: str, parent: int | bool = False) -> int:
        vals = {
            "name": name,
            "usage": usage,
            "location_id": parent,
            "company_id": company if usage == "internal" else False,
        }
        rid = env.create("stock.location", vals)
        return _bind(env, xmlid, "stock.location", rid) if xmlid else rid

    physical = location("stock.stock_location_locations", "Physical Locations", "view")
    partners = location("stock.stock_location_locations_partner", "Partners", "view")
    virtual = location("stock.stock_location_locations_virtual", "Virtual Locations", "view")
    customers = location("stock.stock_location_customers", "Customers", "customer", partners)
    vendors = location("stock.stock_location_suppliers", "Vendors", "supplier", partners)
    location("stock.stock_location_inventory", "Inventory adjustment", "inventory", virtual)
    view = location(None, "WH", "view", physical)
    stock_location = location("stock.stock_location_stock", "Stock", "internal", view)
    warehouse = _make(
        env,
        "stock.warehouse0",
        "stock.warehouse",
        {
            "name": "Crossdock Warehouse",
            "code": "WH",
            "partner_id": env.ref("base.main_partner"),
            "company_id": company,
            "view_location_id": view,
            "lot_stock_id": stock_location,
        },
    )
    env.write("stock.location", [view, stock_location], {"warehouse_id": warehouse})

    def ptype(xmlid: str, name: str, code: str, seq: str, src: int, dest: int) -> int:
        return _make(
            env,
            xmlid,
            "stock.picking.type",
            {
                "name": name,
                "code": code,
                "sequence_code": seq,
                "warehouse_id": warehouse,
                "default_location_src_id": src,
                "default_location_dest_id": dest,
                "company_id": company,
            },
        )

    in_type = ptype("stock.picking_type_in", "Receipts", "incoming", "IN", vendors, stock_location)
    out_type = ptype(
        "stock.picking_type_out", "Delivery Orders", "outgoing", "OUT", stock_location, customers
    )
    ptype(
        "stock.picking_type_internal",
        "Internal Transfers",
        "internal",
        "INT",
        stock_location,
        stock_location,
    )
    env.write("stock.warehouse", [warehouse], {"in_type_id": in_type, "out_type_id": out_type})


def _catalog(env: Env) -> None:
    storable = products.storable_vals(env.version)
    stock_location = env.ref("stock.stock_location_stock")
    from crossdock.sandbox.odoo.models.stock import set_quant_quantity  # noqa: PLC0415

    for index in range(1, PRODUCT_COUNT + 1):
        item = ITEMS[(index - 1) % len(ITEMS)]
        variant = VARIANTS[(index - 1) // len(ITEMS)]
        price = round(2.5 + (index * 7.3) % 60, 2)
        product = _make(
            env,
            f"sandbox.product_{index:04d}",
            "product.product",
            {
                "name": f"{item} {variant}",
                "default_code": f"CD-{index:04d}",
                "barcode": ean13(f"5407000{index:05d}"),
                **storable,
                "invoice_policy": "delivery",
                "list_price": price,
                "standard_price": round(price * 0.6, 2),
                "weight": round(0.2 + (index % 9) * 0.35, 2),
            },
        )
        if index == PRODUCT_COUNT - 1:
            quantity = 5.0
        elif index == PRODUCT_COUNT:
            quantity = 0.0
        else:
            quantity = float(40 + (index * 37) % 160)
        if quantity:
            set_quant_quantity(env, product, stock_location, quantity)
    for xml, name, kind, price in CARRIERS:
        _make(
            env,
            f"sandbox.{xml}",
            "delivery.carrier",
            {"name": name, "delivery_type": kind, "fixed_price": price},
        )


def _address(env: Env, row: tuple[str, str, str, str, str], **extra: Any) -> dict[str, Any]:
    name, street, zip_code, city, country = row
    slug = "".join(ch for ch in name.lower().split()[0] if ch.isalnum())
    return {
        "name": name,
        "is_company": True,
        "street": street,
        "zip": zip_code,
        "city": city,
        "country_id": env.ref(f"base.{country}"),
        "email": f"orders@{slug}.example",
        "phone": f"+32 3 555 {len(name):02d} {len(street):02d}",
        **extra,
    }


def _partners(env: Env) -> None:
    for index, row in enumerate(CUSTOMERS, start=1):
        _make(
            env, f"sandbox.customer_{index:02d}", "res.partner", _address(env, row, customer_rank=1)
        )
    for index, row in enumerate(VENDORS, start=1):
        _make(
            env, f"sandbox.vendor_{index:02d}", "res.partner", _address(env, row, supplier_rank=1)
        )


def _orders(env: Env) -> None:
    carriers = [env.ref(f"sandbox.{row[0]}") for row in CARRIERS]
    for index in range(1, 21):
        customer = env.ref(f"sandbox.customer_{(index - 1) % len(CUSTOMERS) + 1:02d}")
        lines = []
        for k in range(1 + index % 3):
            product = env.ref(
                f"sandbox.product_{(index * 7 + k * 11) % (PRODUCT_COUNT - 2) + 1:04d}"
            )
            lines.append(
                (0, 0, {"product_id": product, "product_uom_qty": float(1 + (index + k) % 5)})
            )
        order = env.create(
            "sale.order",
            {
                "partner_id": customer,
                "client_order_ref": f"PO-{4100 + index}",
                "carrier_id": carriers[index % len(carriers)],
                "order_line": lines,
            },
        )
        sale.action_confirm(env, "sale.order", [order])
    for index in range(1, 3):
        vendor = env.ref(f"sandbox.vendor_{index:02d}")
        lines = [
            (
                0,
                0,
                {
                    "product_id": env.ref(f"sandbox.product_{index * 5 + k:04d}"),
                    "product_qty": float(24 * (k + 1)),
                },
            )
            for k in range(2 + index % 2)
        ]
        env.create("purchase.order", {"partner_id": vendor, "order_line": lines})
