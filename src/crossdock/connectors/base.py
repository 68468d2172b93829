"""What every connector declares: its kind, capabilities, signature scheme and payload mapping."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from pydantic import BaseModel

from crossdock.canonical.envelope import Envelope
from crossdock.config import PartnerConfig
from crossdock.flows.outbound.gateway import WarehouseGateways
from crossdock.flows.procurement.backend import ProcurementBackend
from crossdock.flows.tracking_sinks import TrackingSink
from crossdock.pipeline.registry import JobRegistry
from crossdock.pipeline.route import Router
from crossdock.security.standard_webhooks import SignatureError
from crossdock.store.inbox import Inbox, IncomingMessage
from crossdock.store.jobs import JobSpec


@dataclass(frozen=True)
class InboundMessage:
    """A stored partner message as translation sees it: raw, exactly as received."""

    id: str
    partner: str
    headers: Mapping[str, str]
    body: bytes
    received_at: datetime
    correlation_id: str | None = None


@dataclass(frozen=True)
class WebhookRequest:
    """What a signature scheme may look at: headers (lower-case names), the raw body, the
    query string (URL-token schemes) and the sender's address (source restrictions)."""

    headers: Mapping[str, str]
    body: bytes
    query: Mapping[str, str] = field(default_factory=dict)
    client_host: str | None = None


class WebhookVerifier(Protocol):
    """Checks a request's signature and returns the partner's message id (the dedup key).

    Raises `crossdock.security.standard_webhooks.SignatureError` with a detail for the sender.
    """

    def verify(self, request: WebhookRequest, now: datetime) -> str: ...


class NoWebhooks:
    """For partners that exchange files or answer calls but never post to Crossdock: every
    request to their webhook URL is refused (401, counted, not stored)."""

    def __init__(self, reason: str = "this partner sends no webhooks") -> None:
        self.reason = reason

    def verify(self, request: WebhookRequest, now: datetime) -> str:
        raise SignatureError(self.reason)


@dataclass(frozen=True)
class ConnectorServices:
    """What a connector may wire its own job types to (polls, enrichment, actions)."""

    registry: JobRegistry
    router: Router
    inbox: Inbox
    partner_config: Callable[[str], PartnerConfig | None]
    translate_job: Callable[[IncomingMessage], JobSpec]
    partners: Sequence[PartnerConfig] = ()
    # Run by the tracking flow for each scan it accepts, in its transaction (see the module).
    tracking_sinks: list[TrackingSink] = field(default_factory=list)
    # Where warehouse connectors register the gateway the outbound flow releases through.
    warehouse_gateways: WarehouseGateways | None = None


@dataclass(frozen=True)
class ConnectorKind:
    """A kind of partner system: what it can do and the pure functions that speak its format.

    Optional hooks: `register` adds the connector's own job types once per process;
    `startup_jobs` returns the jobs a partner of this kind needs scheduled (e.g. its first
    polls; idempotency keys make repeated scheduling harmless); `enrich` fetches, inside the
    translate job, what a payload refers to but does not carry, so `translate` stays pure.
    """

    kind: str
    description: str
    capabilities: frozenset[str]
    make_verifier: Callable[[Sequence[str], Mapping[str, Any]], WebhookVerifier]
    translate: Callable[[InboundMessage, Mapping[str, Any]], list[Envelope]]
    settings_model: type[BaseModel] | None = None
    secret_required: bool = True
    register: Callable[[ConnectorServices], None] | None = None
    startup_jobs: Callable[[PartnerConfig, datetime], list[JobSpec]] | None = None
    enrich: Callable[[InboundMessage, Mapping[str, Any]], Awaitable[InboundMessage]] | None = None
    # The canonical event types, with their major version, that `translate` may produce: the
    # contracts its partners can rely on. Translation refuses anything else; None: undeclared.
    produces: frozenset[str] | None = None
    # A system of record for the procurement flow (Odoo): built inside a job, per partner.
    procurement_backend: Callable[[PartnerConfig], ProcurementBackend] | None = None
