"""Each provider's webhook signature, written from the providers' documents and not from
Crossdock's verifiers, so that tests which verify these with the connectors prove both agree.

- EasyPost: `X-Hmac-Signature: hmac-sha256-hex=<hex>`, HMAC-SHA256 of the raw body keyed with
  the secret NFKD-normalised (EasyPost's client libraries' `validate_webhook`).
- AfterShip: `aftership-hmac-sha256: base64(HMAC-SHA256(secret, raw body))`
  (https://www.aftership.com/docs/tracking/webhook/webhook-signature).
- Shippo: the token in the webhook URL (`?token=`), plus `Shippo-Auth-Signature:
  t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<body>">` when HMAC is on for the account.
- Generic: Standard Webhooks, through the `standardwebhooks` reference library.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, datetime

from standardwebhooks.webhooks import Webhook


@dataclass(frozen=True)
class Signed:
    """What to add to the request: headers and URL query parameters."""

    headers: dict[str, str] = field(default_factory=dict)
    params: dict[str, str] = field(default_factory=dict)


def easypost(body: bytes, secret: str) -> Signed:
    key = unicodedata.normalize("NFKD", secret).encode("utf-8")
    digest = hmac.new(key, body, hashlib.sha256).hexdigest()
    return Signed(headers={"X-Hmac-Signature": f"hmac-sha256-hex={digest}"})


def aftership(body: bytes, secret: str) -> Signed:
    digest = hmac.new(secret.encode("utf-8"), body, hashlib.sha256).digest()
    return Signed(headers={"aftership-hmac-sha256": base64.b64encode(digest).decode("ascii")})


def shippo(body: bytes, secret: str, now: datetime, *, with_hmac: bool = True) -> Signed:
    headers: dict[str, str] = {}
    if with_hmac:
        stamp = str(int(now.timestamp()))
        digest = hmac.new(secret.encode("utf-8"), stamp.encode() + b"." + body, hashlib.sha256)
        headers["Shippo-Auth-Signature"] = f"t={stamp},v1={digest.hexdigest()}"
    return Signed(headers=headers, params={"token": secret})


def standard_webhooks(body: bytes, secret: str, message_id: str, now: datetime) -> Signed:
    signature = Webhook(secret).sign(message_id, now.astimezone(UTC), body.decode("utf-8"))
    return Signed(
        headers={
            "webhook-id": message_id,
            "webhook-timestamp": str(int(now.timestamp())),
            "webhook-signature": signature,
        }
    )
