"""The configured partners, each with its connector kind and (lazily) its signature verifier."""

from __future__ import annotations

from crossdock.config import Config, PartnerConfig
from crossdock.connectors.base import ConnectorKind, WebhookVerifier
from crossdock.connectors.catalog import connector_for
from crossdock.security.secrets import resolve


class PartnerDirectory:
    def __init__(self, config: Config) -> None:
        self._partners = {partner.id: partner for partner in config.partners}
        self._tolerance = config.intake.signature_tolerance
        self._verifiers: dict[str, WebhookVerifier] = {}

    def config(self, partner_id: str) -> PartnerConfig | None:
        return self._partners.get(partner_id)

    def connector(self, partner_id: str) -> ConnectorKind:
        partner = self._partners[partner_id]
        return connector_for(partner.kind)

    def verifier(self, partner_id: str) -> WebhookVerifier:
        """Resolve secrets on first use; raises SecretError when a reference is broken."""
        cached = self._verifiers.get(partner_id)
        if cached is None:
            partner = self._partners[partner_id]
            secrets = [resolve(ref) for ref in partner.secrets]
            settings = {"signature_tolerance_seconds": self._tolerance.total_seconds()}
            settings.update(partner.settings)
            cached = connector_for(partner.kind).make_verifier(secrets, settings)
            self._verifiers[partner_id] = cached
        return cached
