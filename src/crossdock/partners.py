"""The configured partners, each with its connector kind and (lazily) its signature verifier."""

from __future__ import annotations

from crossdock.clock import Clock, SystemClock
from crossdock.config import Config, PartnerConfig
from crossdock.connectors.base import ConnectorKind, WebhookVerifier
from crossdock.connectors.catalog import connector_for
from crossdock.security.secrets import resolve


class PartnerDirectory:
    def __init__(self, config: Config, clock: Clock | None = None) -> None:
        self._partners = {partner.id: partner for partner in config.partners}
        self._tolerance = config.intake.signature_tolerance
        self._clock = clock or SystemClock()
        # Keyed by the secrets in force too: a retiring secret's window closing by the clock
        # builds a verifier without it, with nothing to restart.
        self._verifiers: dict[tuple[str, tuple[str, ...]], WebhookVerifier] = {}

    def config(self, partner_id: str) -> PartnerConfig | None:
        return self._partners.get(partner_id)

    def connector(self, partner_id: str) -> ConnectorKind:
        partner = self._partners[partner_id]
        return connector_for(partner.kind)

    def secrets_in_force(self, partner_id: str) -> tuple[str, ...]:
        """The partner's secret references accepted now: its secrets, and the retiring ones
        whose overlap window is still open."""
        partner = self._partners[partner_id]
        now = self._clock.now()
        retiring = (old.ref for old in partner.retiring_secrets if now < old.until)
        return (*partner.secrets, *retiring)

    def verifier(self, partner_id: str) -> WebhookVerifier:
        """Resolve secrets on first use; raises SecretError when a reference is broken."""
        refs = self.secrets_in_force(partner_id)
        cached = self._verifiers.get((partner_id, refs))
        if cached is None:
            partner = self._partners[partner_id]
            secrets = [resolve(ref) for ref in refs]
            settings = {"signature_tolerance_seconds": self._tolerance.total_seconds()}
            settings.update(partner.settings)
            cached = connector_for(partner.kind).make_verifier(secrets, settings)
            self._verifiers[(partner_id, refs)] = cached
        return cached
