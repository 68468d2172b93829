"""Shared pieces of the carrier sandbox tests: scenarios at a fixed time, the translate of
each provider's connector, and the generic carrier partner settings the sandbox documents."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

import pytest

from crossdock.canonical.envelope import Envelope
from crossdock.connectors.base import InboundMessage
from crossdock.connectors.catalog import connector_for
from crossdock.sandbox.carriers import generic
from crossdock.sandbox.carriers.providers import PROVIDERS
from crossdock.sandbox.carriers.scenario import EXPECTED, Scenario, build

START = datetime(2026, 3, 2, 13, 5, tzinfo=UTC)

Translate = Callable[[str, bytes], list[Envelope]]


def provider_settings(name: str) -> Mapping[str, Any]:
    return generic.SETTINGS if name == "generic" else {}


def translate_as(provider: str, body: bytes) -> list[Envelope]:
    """What the connector of `provider` makes of `body`, as the translate job calls it."""
    message = InboundMessage(
        id="msg-1",
        partner=f"{provider}-partner",
        headers={"content-type": "application/json"},
        body=body,
        received_at=START,
    )
    kind = PROVIDERS[provider].kind
    return connector_for(kind).translate(message, provider_settings(provider))


def occurred(envelope: Envelope) -> datetime:
    return datetime.fromisoformat(str(envelope.data["occurred_at"]))


def milestones(envelopes: list[Envelope]) -> list[tuple[str, str | None]]:
    ordered = sorted(envelopes, key=occurred)
    return [(e.data["milestone"], e.data.get("exception_reason")) for e in ordered]


def expected(scenario: Scenario) -> list[tuple[str, str | None]]:
    return [EXPECTED[step.code] for step in scenario.steps]


@pytest.fixture
def delivered() -> Scenario:
    return build("delivered", "9400111899223197428490", "usps", START)


@pytest.fixture
def exception() -> Scenario:
    return build("exception", "9400111899223197428491", "usps", START)
