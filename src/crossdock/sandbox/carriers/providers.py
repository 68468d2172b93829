"""The four simulated providers: each one's webhook renderer, signer and connector kind."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from crossdock.sandbox.carriers import aftership, easypost, generic, shippo, signing
from crossdock.sandbox.carriers.scenario import Scenario

Signer = Callable[[bytes, str, Scenario, datetime], signing.Signed]


@dataclass(frozen=True)
class Provider:
    name: str
    kind: str
    """The connector kind of a Crossdock partner that receives these webhooks."""
    webhook: Callable[[Scenario], dict[str, Any]]
    sign: Signer


PROVIDERS: dict[str, Provider] = {
    provider.name: provider
    for provider in (
        Provider(
            "easypost",
            "easypost",
            easypost.webhook,
            lambda body, secret, scenario, now: signing.easypost(body, secret),
        ),
        Provider(
            "aftership",
            "aftership",
            aftership.webhook,
            lambda body, secret, scenario, now: signing.aftership(body, secret),
        ),
        Provider(
            "shippo",
            "shippo",
            shippo.webhook,
            lambda body, secret, scenario, now: signing.shippo(body, secret, now),
        ),
        Provider(
            "generic",
            "generic_carrier",
            generic.webhook,
            lambda body, secret, scenario, now: signing.standard_webhooks(
                body, secret, "msg_" + scenario.digest("webhook")[:24], now
            ),
        ),
    )
}


def provider(name: str) -> Provider:
    try:
        return PROVIDERS[name]
    except KeyError:
        known = ", ".join(PROVIDERS)
        raise ValueError(f"unknown provider {name!r} (known: {known})") from None
