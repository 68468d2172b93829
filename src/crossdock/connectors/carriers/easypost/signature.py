"""EasyPost webhook signatures: `X-Hmac-Signature: hmac-sha256-hex=<hex>`.

The digest is HMAC-SHA256 over the raw body, keyed with the webhook secret NFKD-normalised
and UTF-8 encoded, as EasyPost's clients check it (`validate_webhook` in
EasyPost/easypost-python `easypost/util.py`, and easypost-node's `validateWebhook`). The
scheme carries no timestamp, so there is no replay window to check; the Event `id` is the
dedup key. Several secrets are accepted so a secret can be rotated without dropping events.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import orjson

from crossdock.connectors.base import WebhookRequest
from crossdock.security.standard_webhooks import SignatureError

HEADER = "x-hmac-signature"
PREFIX = "hmac-sha256-hex="
_HEX = re.compile(r"^[0-9a-fA-F]{64}$")


def sign(body: bytes, secret: str) -> str:
    """The `X-Hmac-Signature` value EasyPost sends for `body` signed with `secret`."""
    key = unicodedata.normalize("NFKD", secret).encode("utf-8")
    return PREFIX + hmac.new(key, body, hashlib.sha256).hexdigest()


class EasyPostVerifier:
    """Checks `X-Hmac-Signature` against every configured secret; returns the Event id."""

    def __init__(self, secrets: Sequence[str]) -> None:
        if not secrets or not all(secrets):
            raise ValueError("at least one non-empty EasyPost webhook secret is needed")
        self._keys = [unicodedata.normalize("NFKD", s).encode("utf-8") for s in secrets]

    def verify(self, request: WebhookRequest, now: datetime) -> str:
        header = _header(request.headers, HEADER)
        if header is None:
            raise SignatureError("missing X-Hmac-Signature header")
        value = header.strip()
        if not value.lower().startswith(PREFIX) or not _HEX.match(value[len(PREFIX) :]):
            raise SignatureError(
                "X-Hmac-Signature must be 'hmac-sha256-hex=' followed by 64 hex digits"
            )
        given = value[len(PREFIX) :].lower()
        if not any(
            hmac.compare_digest(hmac.new(key, request.body, hashlib.sha256).hexdigest(), given)
            for key in self._keys
        ):
            raise SignatureError(
                "X-Hmac-Signature does not match the body for any configured webhook secret"
            )
        return _event_id(request.body)


def _header(headers: Mapping[str, str], name: str) -> str | None:
    if name in headers:
        return headers[name]
    for key, value in headers.items():
        if key.lower() == name:
            return value
    return None


def _event_id(body: bytes) -> str:
    try:
        document = orjson.loads(body)
    except orjson.JSONDecodeError:
        raise SignatureError("signed body is not valid JSON, so it has no Event id") from None
    event_id = document.get("id") if isinstance(document, dict) else None
    if not isinstance(event_id, str) or not event_id:
        raise SignatureError("signed body has no Event 'id' to deduplicate on")
    return event_id


def make_verifier(secrets: Sequence[str], settings: Mapping[str, Any]) -> EasyPostVerifier:
    return EasyPostVerifier(secrets)
