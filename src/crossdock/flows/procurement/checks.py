"""`crossdock check` for the `procurement:` section: its Odoo partner must exist and be able
to run purchases."""

from __future__ import annotations

from crossdock.config import Config
from crossdock.connectors.catalog import CONNECTORS


def procurement_problems(config: Config) -> list[str]:
    partner_id = config.procurement.odoo_partner
    if partner_id is None:
        return []
    partner = config.partner(partner_id)
    if partner is None:
        known = ", ".join(p.id for p in config.partners) or "none"
        return [f"procurement.odoo_partner: no partner {partner_id!r} (partners: {known})"]
    connector = CONNECTORS.get(partner.kind)
    if connector is None or connector.procurement_backend is None:
        return [
            f"procurement.odoo_partner: partner {partner_id!r} is of kind {partner.kind!r}, "
            "which cannot run purchases (use an odoo partner)"
        ]
    return []
