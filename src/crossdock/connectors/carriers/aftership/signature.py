"""AfterShip Tracking webhook signature.

Per https://www.aftership.com/docs/tracking/webhook/webhook-signature: header
`aftership-hmac-sha256` = base64(HMAC-SHA256(key=webhook secret, msg=raw request body)).
No timestamp is signed, so there is no replay window to check; replays are caught by the
dedup key instead: the body's `event_id` (UUID v4, documented in "Webhook Specifications")
or, when absent, a SHA-256 digest of the raw body.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import orjson

from crossdock.connectors.base import WebhookRequest
from crossdock.security.standard_webhooks import SignatureError

HEADER = "aftership-hmac-sha256"


def sign(body: bytes, secret: str) -> str:
    """The header value AfterShip sends for `body` signed with `secret`."""
    digest = hmac.new(secret.encode(), body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


class AfterShipVerifier:
    """Accepts a request signed with any of the configured secrets (rotation)."""

    def __init__(self, secrets: Sequence[str]) -> None:
        if not secrets:
            raise ValueError("at least one secret is needed")
        self._secrets = tuple(secrets)

    def verify(self, request: WebhookRequest, now: datetime) -> str:
        header = _header(request.headers, HEADER)
        if header is None or not header.strip():
            raise SignatureError(f"missing {HEADER} header")
        given = header.strip().encode()
        if not any(
            hmac.compare_digest(given, sign(request.body, secret).encode())
            for secret in self._secrets
        ):
            raise SignatureError(f"{HEADER} does not match the body for any configured secret")
        return dedup_key(request.body)


def dedup_key(body: bytes) -> str:
    """The webhook's own `event_id` when it has one, else a digest of the raw body."""
    try:
        document = orjson.loads(body)
    except orjson.JSONDecodeError:
        document = None
    if isinstance(document, dict):
        event_id = document.get("event_id")
        if isinstance(event_id, str) and event_id:
            return event_id
    return "sha256:" + hashlib.sha256(body).hexdigest()


def _header(headers: Mapping[str, str], name: str) -> str | None:
    if name in headers:
        return headers[name]
    for key, value in headers.items():
        if key.lower() == name:
            return value
    return None


def make_verifier(secrets: Sequence[str], settings: Mapping[str, Any]) -> AfterShipVerifier:
    return AfterShipVerifier(secrets)
