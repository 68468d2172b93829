"""Base models: companies, currencies, countries, contacts, users, units and external ids.

Field names follow ``odoo/addons/base/models/res_partner.py``, ``res_country.py``,
``res_users.py`` (``context_get``), ``addons/uom/models/uom_uom.py`` and, for
``ir.model.data`` (module, name, model, res_id, complete_name, noupdate),
``odoo/addons/base/models/ir_model.py``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from crossdock.sandbox.odoo.fields import (
    Method,
    ModelSpec,
    boolean,
    char,
    float_,
    integer,
    many2one,
    one2many,
    select,
    selection,
)
from crossdock.sandbox.odoo.models.mail import mail_thread_methods
from crossdock.sandbox.odoo.versions import OdooVersion

if TYPE_CHECKING:
    from crossdock.sandbox.odoo.orm import Env


def _partner_display(env: Env, rid: int) -> str:
    name = env.get("res.partner", rid, "name") or ""
    parent = env.get("res.partner", rid, "parent_id")
    if parent and env.exists("res.partner", parent):
        parent_name = env.get("res.partner", parent, "name") or ""
        return f"{parent_name}, {name}" if name else parent_name
    return str(name)


def _partner_check_name(env: Env, rid: int) -> None:
    from crossdock.sandbox.odoo.errors import ValidationError  # noqa: PLC0415

    if env.get("res.partner", rid, "type") == "contact" and not env.get("res.partner", rid, "name"):
        raise ValidationError("Contacts require a name")


def _complete_name(env: Env, rid: int) -> str:
    return f"{env.get('ir.model.data', rid, 'module')}.{env.get('ir.model.data', rid, 'name')}"


# The time zone every simulated user has set in their preferences (`res.users.tz`).
USER_TZ = "Europe/Brussels"


def _context_get(env: Env, model: str, ids: list[int]) -> dict[str, Any]:
    return {"lang": "en_US", "tz": USER_TZ, "uid": env.uid}


def models(version: OdooVersion) -> list[ModelSpec]:
    return [
        ModelSpec(
            "res.currency",
            "Currency",
            {
                "name": char("Currency", required=True),
                "symbol": char("Symbol"),
                "rounding": float_("Rounding Factor", default=0.01),
                "active": boolean("Active", default=True),
            },
            order="active desc, name",
        ),
        ModelSpec(
            "res.country",
            "Country",
            {
                "name": char("Country Name", required=True),
                "code": char("Country Code"),
            },
            order="name",
        ),
        ModelSpec(
            "res.company",
            "Companies",
            {
                "name": char("Company Name", required=True),
                "partner_id": many2one("res.partner", "Partner", required=True),
                "currency_id": many2one("res.currency", "Currency"),
            },
            order="name",
        ),
        ModelSpec(
            "res.partner",
            "Contact",
            {
                "name": char("Name"),
                "ref": char("Reference"),
                "type": select(
                    "Address Type",
                    selection(
                        ("contact", "Contact"),
                        ("invoice", "Invoice Address"),
                        ("delivery", "Delivery Address"),
                        ("other", "Other Address"),
                    ),
                    default="contact",
                ),
                "street": char("Street"),
                "street2": char("Street2"),
                "zip": char("Zip"),
                "city": char("City"),
                "country_id": many2one("res.country", "Country"),
                "email": char("Email"),
                "phone": char("Phone"),
                "vat": char("Tax ID"),
                "is_company": boolean("Is a Company", default=False),
                "parent_id": many2one("res.partner", "Related Company"),
                "child_ids": one2many("res.partner", "parent_id", "Contact"),
                "company_id": many2one("res.company", "Company"),
                "customer_rank": integer("Customer Rank"),
                "supplier_rank": integer("Supplier Rank"),
                "active": boolean("Active", default=True),
            },
            order="name, id desc",
            parent_name="parent_id",
            display_name=_partner_display,
            constraints=(_partner_check_name,),
            methods=mail_thread_methods(version),
        ),
        ModelSpec(
            "res.users",
            "User",
            {
                "name": char("Name", related=("partner_id", "name")),
                "login": char("Login", required=True),
                "partner_id": many2one("res.partner", "Related Partner", required=True),
                "company_id": many2one("res.company", "Company"),
                "active": boolean("Active", default=True),
            },
            order="name, login",
            methods={"context_get": Method(_context_get, api_model=True, access="read")},
        ),
        ModelSpec(
            "uom.uom",
            "Product Unit of Measure",
            {
                "name": char("Unit of Measure", required=True),
                "rounding": float_("Rounding Precision", default=0.01),
                "factor": float_("Ratio", default=1.0),
                "active": boolean("Active", default=True),
            },
            order="name",
        ),
        ModelSpec(
            "ir.model.data",
            "Model Data",
            {
                "name": char("External Identifier", required=True),
                "module": char("Module", required=True, default=""),
                "model": char("Model Name", required=True),
                "res_id": integer("Record ID"),
                "complete_name": char("Complete ID", compute=_complete_name),
                "noupdate": boolean("Non Updatable", default=False),
            },
            order="module, model, name",
            rec_name="complete_name",
        ),
    ]
