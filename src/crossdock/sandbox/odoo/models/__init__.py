"""The simulated models, gathered into one registry per Odoo version.

Each module declares the models of one Odoo application (base, product, stock and its
wizards, sale, purchase, account, mail) with the fields and methods of that version.
"""

from __future__ import annotations

from crossdock.sandbox.odoo.fields import ModelSpec
from crossdock.sandbox.odoo.versions import OdooVersion


def build_registry(version: OdooVersion) -> dict[str, ModelSpec]:
    """``odoo.modules.registry.Registry``: model name -> model, for one version."""
    from crossdock.sandbox.odoo.models import (  # noqa: PLC0415 - modules import this package
        account,
        attachment,
        base,
        mail,
        product,
        purchase,
        sale,
        stock,
        stock_wizards,
    )

    registry: dict[str, ModelSpec] = {}
    for module in (base, attachment, mail, product, stock, stock_wizards, sale, purchase, account):
        for spec in module.models(version):
            registry[spec.name] = spec
    return registry
