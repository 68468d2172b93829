"""`crossdock check` for the `outbound` section: warehouses must map to warehouse partners,
label carriers to label partners."""

from __future__ import annotations

from crossdock.config import Config
from crossdock.connectors.catalog import CONNECTORS


def outbound_problems(config: Config) -> list[str]:
    problems: list[str] = []
    outbound = config.outbound
    kinds = {partner.id: partner.kind for partner in config.partners}
    for code, partner in sorted(outbound.warehouses.items()):
        place = f"outbound.warehouses.{code}"
        kind = kinds.get(partner)
        if kind is None:
            problems.append(f"{place}: no partner {partner!r} is configured")
        elif "send_orders" not in getattr(CONNECTORS.get(kind), "capabilities", frozenset()):
            problems.append(f"{place}: partner {partner!r} is a {kind!r}, not a warehouse system")
    for index, partner in enumerate(outbound.label_carriers):
        place = "outbound.label_carrier" + (
            f"[{index}]" if isinstance(outbound.label_carrier, list) else ""
        )
        kind = kinds.get(partner)
        if kind is None:
            problems.append(f"{place}: no partner {partner!r} is configured")
        elif "book_labels" not in getattr(CONNECTORS.get(kind), "capabilities", frozenset()):
            problems.append(f"{place}: partner {partner!r} is a {kind!r}, not a label API")
    if outbound.odoo_partner is not None and kinds.get(outbound.odoo_partner) != "odoo":
        problems.append(
            f"outbound.odoo_partner: {outbound.odoo_partner!r} is not a partner of kind 'odoo'"
        )
    return problems
