"""Standard Webhooks signing for outbound notifications: secrets, message ids, headers."""

from __future__ import annotations

import base64
import binascii
import os

from crossdock import __version__
from crossdock.canonical.envelope import Envelope
from crossdock.connectors.notify.model import Subscription
from crossdock.ids import derived_id
from crossdock.security.secrets import resolve
from crossdock.security.standard_webhooks import sign

SECRET_PREFIX = "whsec_"  # noqa: S105 - the format's prefix, not a secret
USER_AGENT = f"crossdock/{__version__}"


def new_secret() -> str:
    """A fresh signing secret, in the form the Standard Webhooks libraries take."""
    return SECRET_PREFIX + base64.b64encode(os.urandom(32)).decode()


def check_secret(secret: str) -> str:
    """Refuse a secret the receiver's Standard Webhooks library could not use the same way."""
    encoded = secret.removeprefix(SECRET_PREFIX)
    try:
        key = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("the secret must be 'whsec_' followed by base64") from None
    if not 24 <= len(key) <= 64:
        raise ValueError(f"the secret must decode to 24 to 64 bytes, not {len(key)}")
    return secret


def signing_secret(subscription: Subscription) -> str:
    """The secret to sign with: config rows hold a reference, resolved at each delivery so a
    rotated file or variable takes effect without a restart. Raises ConfigError or ValueError."""
    if subscription.source == "config":
        return check_secret(resolve(subscription.secret))
    return subscription.secret


def webhook_id(subscription_id: int, envelope: Envelope) -> str:
    """Stable per subscription and event, so a receiver drops the retries it already has."""
    return "msg_" + derived_id("notify", str(subscription_id), envelope.source, envelope.id)


def signed_headers(secret: str, msg_id: str, timestamp: int, body: bytes) -> dict[str, str]:
    return {
        "content-type": "application/json",
        "user-agent": USER_AGENT,
        "webhook-id": msg_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": sign(secret, msg_id, timestamp, body),
    }
