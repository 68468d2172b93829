"""Shippo webhook authentication: URL token, and the Shippo-Auth-Signature HMAC."""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime
from pathlib import Path

import pytest

from crossdock.connectors.base import WebhookRequest
from crossdock.connectors.carriers.shippo import CONNECTOR
from crossdock.security.standard_webhooks import SignatureError

BODY = (
    Path(__file__).parent.parent
    / "fixtures/carrier_webhooks/shippo/shippo-track_updated-usps-delivered.json"
).read_bytes()
NOW = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
SECRETS = ["tok-old-1234567890", "tok-new-0987654321"]


def _request(
    query: dict[str, str] | None = None, headers: dict[str, str] | None = None, body: bytes = BODY
) -> WebhookRequest:
    return WebhookRequest(headers=headers or {}, body=body, query=query or {})


def _signature(secret: str, body: bytes, when: datetime) -> str:
    stamp = str(int(when.timestamp()))
    digest = hmac.new(secret.encode(), f"{stamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={stamp},v1={digest}"


@pytest.mark.parametrize("token", SECRETS)
def test_either_token_is_accepted(token: str) -> None:
    key = CONNECTOR.make_verifier(SECRETS, {}).verify(_request({"token": token}), NOW)
    assert key == "shippo:" + hashlib.blake2b(BODY, digest_size=16).hexdigest()


def test_same_body_same_key_other_body_other_key() -> None:
    verifier = CONNECTOR.make_verifier(SECRETS, {})
    first = verifier.verify(_request({"token": SECRETS[0]}), NOW)
    again = verifier.verify(_request({"token": SECRETS[1]}), NOW)
    other = verifier.verify(_request({"token": SECRETS[0]}, body=BODY + b" "), NOW)
    assert first == again != other


def test_wrong_token_is_refused() -> None:
    verifier = CONNECTOR.make_verifier(SECRETS, {})
    with pytest.raises(SignatureError) as caught:
        verifier.verify(_request({"token": "tok-old-1234567891"}), NOW)
    assert caught.value.detail == "the token parameter matches no active secret"


def test_missing_token_is_refused() -> None:
    verifier = CONNECTOR.make_verifier(SECRETS, {})
    with pytest.raises(SignatureError) as caught:
        verifier.verify(_request({"tok": SECRETS[0]}), NOW)
    assert caught.value.detail == "the URL carries no token parameter"


def test_no_secrets_is_a_configuration_error() -> None:
    with pytest.raises(ValueError, match="at least one secret"):
        CONNECTOR.make_verifier([], {})


def test_known_good_hmac_passes() -> None:
    verifier = CONNECTOR.make_verifier(SECRETS, {"webhook": {"require_hmac": True}})
    # Computed independently, per the t=…,v1=hex(HMAC-SHA256("<t>.<body>")) scheme.
    stamp = "1714564800"
    assert str(int(NOW.timestamp())) == stamp
    header = _signature(SECRETS[1], BODY, NOW)
    assert header.startswith(f"t={stamp},v1=")
    request = _request({"token": SECRETS[0]}, {"shippo-auth-signature": header})
    assert verifier.verify(request, NOW).startswith("shippo:")


def test_tampered_body_fails_hmac() -> None:
    verifier = CONNECTOR.make_verifier(SECRETS, {})
    header = _signature(SECRETS[0], BODY, NOW)
    request = _request(
        {"token": SECRETS[0]},
        {"shippo-auth-signature": header},
        body=BODY.replace(b"DELIVERED", b"RETURNED"),
    )
    with pytest.raises(SignatureError) as caught:
        verifier.verify(request, NOW)
    assert caught.value.detail == "shippo-auth-signature matches no active secret"


def test_stale_hmac_fails() -> None:
    verifier = CONNECTOR.make_verifier(SECRETS, {})
    header = _signature(SECRETS[0], BODY, datetime(2024, 5, 1, 11, 0, tzinfo=UTC))
    with pytest.raises(SignatureError, match="outside the 300 s tolerance"):
        verifier.verify(_request({"token": SECRETS[0]}, {"shippo-auth-signature": header}), NOW)


@pytest.mark.parametrize(
    ("header", "detail"),
    [
        ("garbage", "malformed"),
        ("v1=abc", "needs one t= and at least one v1="),
        ("t=soon,v1=abc", "is not Unix seconds"),
    ],
)
def test_malformed_hmac_header(header: str, detail: str) -> None:
    verifier = CONNECTOR.make_verifier(SECRETS, {})
    with pytest.raises(SignatureError, match=detail):
        verifier.verify(_request({"token": SECRETS[0]}, {"shippo-auth-signature": header}), NOW)


def test_hmac_required_but_absent() -> None:
    verifier = CONNECTOR.make_verifier(SECRETS, {"webhook": {"require_hmac": True}})
    with pytest.raises(SignatureError) as caught:
        verifier.verify(_request({"token": SECRETS[0]}), NOW)
    assert caught.value.detail == "missing header shippo-auth-signature"
