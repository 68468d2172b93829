"""Standard Webhooks verification with several active secrets and an injectable clock.

Signing is delegated to the `standardwebhooks` library (secret decoding, signed content);
the timestamp window is checked here against Crossdock's clock so tests need not sleep, and
several secrets are tried so a secret can be rotated without downtime.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta

from standardwebhooks.webhooks import Webhook

DEFAULT_TOLERANCE = timedelta(minutes=5)


class SignatureError(Exception):
    """The request is not signed as the partner's scheme requires; `detail` says why."""

    def __init__(self, detail: str) -> None:
        self.detail = detail
        super().__init__(detail)


class StandardWebhooksVerifier:
    """Verifies `webhook-id`, `webhook-timestamp` and `webhook-signature` headers."""

    def __init__(self, secrets: Sequence[str], tolerance: timedelta = DEFAULT_TOLERANCE) -> None:
        if not secrets:
            raise ValueError("at least one secret is needed")
        self._signers = [Webhook(secret) for secret in secrets]
        self._tolerance = tolerance

    def verify(self, headers: Mapping[str, str], body: bytes, now: datetime) -> str:
        """Return the message id when one of the signatures matches; raise SignatureError."""
        msg_id = headers.get("webhook-id")
        timestamp = headers.get("webhook-timestamp")
        signature = headers.get("webhook-signature")
        missing = [
            name
            for name, value in (
                ("webhook-id", msg_id),
                ("webhook-timestamp", timestamp),
                ("webhook-signature", signature),
            )
            if not value
        ]
        if missing or msg_id is None or timestamp is None or signature is None:
            raise SignatureError(f"missing header(s): {', '.join(missing)}")
        sent_at = self._parse_timestamp(timestamp)
        if sent_at < now - self._tolerance:
            raise SignatureError(
                f"webhook-timestamp {timestamp} is older than the "
                f"{int(self._tolerance.total_seconds())} s tolerance"
            )
        if sent_at > now + self._tolerance:
            raise SignatureError(f"webhook-timestamp {timestamp} is in the future")
        offered = self._offered_signatures(signature)
        if not offered:
            raise SignatureError("webhook-signature holds no v1 signature")
        for signer in self._signers:
            expected = self._expected(signer, msg_id, sent_at, body)
            if any(hmac.compare_digest(expected, candidate) for candidate in offered):
                return msg_id
        raise SignatureError("no v1 signature matches any active secret")

    @staticmethod
    def _parse_timestamp(value: str) -> datetime:
        try:
            return datetime.fromtimestamp(int(value), tz=UTC)
        except (ValueError, OverflowError, OSError):
            raise SignatureError(
                f"webhook-timestamp {value!r} is not whole seconds since the epoch"
            ) from None

    @staticmethod
    def _offered_signatures(header: str) -> list[bytes]:
        offered: list[bytes] = []
        for item in header.split():
            version, _, encoded = item.partition(",")
            if version != "v1" or not encoded:
                continue
            try:
                offered.append(base64.b64decode(encoded, validate=True))
            except (binascii.Error, ValueError):
                continue
        return offered

    @staticmethod
    def _expected(signer: Webhook, msg_id: str, sent_at: datetime, body: bytes) -> bytes:
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            # The scheme signs the raw bytes; the library only takes text, so sign those
            # bytes directly with the same key it decoded.
            to_sign = f"{msg_id}.{int(sent_at.timestamp())}.".encode() + body
            return hmac.new(signer._whsecret, to_sign, hashlib.sha256).digest()
        signed = signer.sign(msg_id=msg_id, timestamp=sent_at, data=text)
        return base64.b64decode(signed.partition(",")[2])


def sign(secret: str, msg_id: str, timestamp: int, body: bytes) -> str:
    """Produce a `webhook-signature` value, for senders, the demo and the tests."""
    sent_at = datetime.fromtimestamp(timestamp, tz=UTC)
    return Webhook(secret).sign(msg_id=msg_id, timestamp=sent_at, data=body.decode("utf-8"))
