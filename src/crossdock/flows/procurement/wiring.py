"""Add the procurement flow to a runtime when `procurement.odoo_partner` names its Odoo."""

from __future__ import annotations

from crossdock.config import Config
from crossdock.connectors.catalog import connector_for
from crossdock.errors import ConfigError, PermanentError
from crossdock.flows.procurement import flow
from crossdock.flows.procurement.backend import ProcurementBackend
from crossdock.partners import PartnerDirectory
from crossdock.pipeline.registry import JobRegistry
from crossdock.pipeline.route import Router


def register(
    registry: JobRegistry, router: Router, config: Config, partners: PartnerDirectory
) -> None:
    settings = config.procurement
    if settings.odoo_partner is None:
        return
    partner_id = settings.odoo_partner
    partner = partners.config(partner_id)
    if partner is None:
        raise ConfigError(f"procurement.odoo_partner: no partner {partner_id!r}")
    factory = connector_for(partner.kind).procurement_backend
    if factory is None:
        raise ConfigError(
            f"procurement.odoo_partner: partners of kind {partner.kind!r} cannot run purchases"
        )

    def backend() -> ProcurementBackend:
        current = partners.config(partner_id)
        if current is None:
            raise PermanentError(f"partner {partner_id!r} is no longer configured")
        return factory(current)

    flow.register(registry, router, settings, backend, partners.config)
