"""The generic partner: signs with Standard Webhooks and posts canonical CloudEvents."""

from __future__ import annotations

from crossdock.canonical.registry import EVENT_TYPES
from crossdock.connectors.base import ConnectorKind
from crossdock.connectors.generic.mapping import translate
from crossdock.connectors.generic.signature import make_verifier

CONNECTOR = ConnectorKind(
    kind="generic",
    description="Any partner that signs with Standard Webhooks and posts canonical CloudEvents",
    capabilities=frozenset({"receive_webhooks"}),
    make_verifier=make_verifier,
    translate=translate,
    # The partner posts canonical events itself: any registered type and version.
    produces=frozenset(EVENT_TYPES),
)
