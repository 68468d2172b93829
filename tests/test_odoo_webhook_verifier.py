"""Odoo automation webhooks: URL token (several, for rotation), sender networks, change keys."""

from __future__ import annotations

from datetime import UTC, datetime

import orjson
import pytest

from crossdock.connectors.base import WebhookRequest
from crossdock.connectors.odoo.webhook import AutomationWebhookVerifier, change_key
from crossdock.security.standard_webhooks import SignatureError

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
BODY = orjson.dumps(
    {"_model": "stock.picking", "_id": 42, "state": "done", "write_date": "2026-11-23 07:59:58"}
)


def request(token: str | None, host: str = "10.1.2.3") -> WebhookRequest:
    return WebhookRequest(
        headers={}, body=BODY, query={"token": token} if token else {}, client_host=host
    )


def test_either_active_token_is_accepted_and_the_key_names_the_change() -> None:
    verifier = AutomationWebhookVerifier(["old-token-123", "new-token-456"])
    key = verifier.verify(request("new-token-456"), NOW)
    assert key.startswith("stock.picking:42:2026-11-23 07:59:58:")
    assert verifier.verify(request("old-token-123"), NOW) == key


@pytest.mark.parametrize(
    ("token", "detail"),
    [(None, "carries no token"), ("guess", "matches no active secret")],
)
def test_missing_or_wrong_token_is_refused(token: str | None, detail: str) -> None:
    with pytest.raises(SignatureError, match=detail):
        AutomationWebhookVerifier(["s3cret-token"]).verify(request(token), NOW)


def test_sender_outside_the_allowed_networks_is_refused() -> None:
    verifier = AutomationWebhookVerifier(["t0ken"], allowed_sources=["10.0.0.0/8"])
    assert verifier.verify(request("t0ken", host="10.9.9.9"), NOW)
    with pytest.raises(SignatureError, match="not in the partner's allowed sources"):
        verifier.verify(request("t0ken", host="192.0.2.7"), NOW)


def test_change_key_differs_for_new_values_and_falls_back_to_a_digest() -> None:
    changed = orjson.dumps({**orjson.loads(BODY), "state": "cancel"})
    assert change_key(BODY) == change_key(BODY)
    assert change_key(BODY) != change_key(changed)
    assert change_key(b"not json").startswith("body:")
    assert change_key(b'{"no": "model"}').startswith("body:")
