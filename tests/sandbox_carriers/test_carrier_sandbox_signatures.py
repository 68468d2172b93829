"""The sandbox signs as each provider does: Crossdock's own verifiers (written separately)
accept what it signs, and refuse the same request with a tampered body or another secret."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from crossdock.connectors.base import WebhookRequest
from crossdock.connectors.catalog import connector_for
from crossdock.sandbox.carriers.providers import PROVIDERS
from crossdock.sandbox.carriers.scenario import Scenario
from crossdock.sandbox.carriers.sender import bodies
from crossdock.sandbox.generic_partner import new_secret
from crossdock.security.standard_webhooks import SignatureError
from tests.sandbox_carriers.conftest import provider_settings

NOW = datetime.now(UTC).replace(microsecond=0)
SECRETS = {
    "easypost": "whsec-ëasypost-ﬁle",  # non-ASCII and a ligature: NFKD matters
    "aftership": "aftership-webhook-secret-3f9a",
    "shippo": "shippo-url-token-7c1e2b",
    "generic": new_secret(),
}


def _request(provider: str, body: bytes, secret: str, scenario: Scenario) -> WebhookRequest:
    signed = PROVIDERS[provider].sign(body, secret, scenario, NOW)
    return WebhookRequest(
        headers={name.lower(): value for name, value in signed.headers.items()},
        body=body,
        query=signed.params,
    )


def _verifier(provider: str, secrets: list[str]):  # type: ignore[no-untyped-def]
    return connector_for(PROVIDERS[provider].kind).make_verifier(
        secrets, provider_settings(provider)
    )


@pytest.mark.parametrize("provider", sorted(PROVIDERS))
def test_signed_webhook_verifies(provider: str, delivered: Scenario) -> None:
    body = bodies(PROVIDERS[provider], delivered)[-1]
    secret = SECRETS[provider]
    key = _verifier(provider, [secret]).verify(_request(provider, body, secret, delivered), NOW)
    assert key
    # The same webhook sent again is the same message: the same dedup key.
    again = _verifier(provider, [secret]).verify(_request(provider, body, secret, delivered), NOW)
    assert again == key


@pytest.mark.parametrize("provider", sorted(PROVIDERS))
def test_tampered_body_is_refused(provider: str, delivered: Scenario) -> None:
    body = bodies(PROVIDERS[provider], delivered)[-1]
    secret = SECRETS[provider]
    request = _request(provider, body, secret, delivered)
    number = delivered.tracking_number.encode()
    assert number in body
    tampered = WebhookRequest(
        headers=request.headers,
        body=body.replace(number, number[:-1] + b"7"),
        query=request.query,
    )
    with pytest.raises(SignatureError):
        _verifier(provider, [secret]).verify(tampered, NOW)


@pytest.mark.parametrize("provider", sorted(PROVIDERS))
def test_another_secret_is_refused(provider: str, exception: Scenario) -> None:
    body = bodies(PROVIDERS[provider], exception)[0]
    other = new_secret() if provider == "generic" else SECRETS[provider] + "-old"
    request = _request(provider, body, SECRETS[provider], exception)
    with pytest.raises(SignatureError):
        _verifier(provider, [other]).verify(request, NOW)
    # During a rotation both secrets are configured and the request is accepted.
    assert _verifier(provider, [other, SECRETS[provider]]).verify(request, NOW)


def test_shippo_hmac_header_is_checked_too(delivered: Scenario) -> None:
    body = bodies(PROVIDERS["shippo"], delivered)[-1]
    request = _request("shippo", body, SECRETS["shippo"], delivered)
    assert request.query == {"token": SECRETS["shippo"]}
    assert request.headers["shippo-auth-signature"].startswith(f"t={int(NOW.timestamp())},v1=")
    strict = connector_for("shippo").make_verifier(
        [SECRETS["shippo"]], {"webhook": {"require_hmac": True}}
    )
    assert strict.verify(request, NOW)
    with pytest.raises(SignatureError, match="tolerance"):
        strict.verify(request, NOW + timedelta(minutes=10))
