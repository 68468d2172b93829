"""Standard Webhooks for the generic partner, with the tolerance its settings allow."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from crossdock.connectors.base import WebhookRequest
from crossdock.security.standard_webhooks import DEFAULT_TOLERANCE, StandardWebhooksVerifier


class GenericVerifier:
    """Standard Webhooks over the request's headers and raw body."""

    def __init__(self, verifier: StandardWebhooksVerifier) -> None:
        self._verifier = verifier

    def verify(self, request: WebhookRequest, now: datetime) -> str:
        return self._verifier.verify(request.headers, request.body, now)


def make_verifier(secrets: Sequence[str], settings: Mapping[str, Any]) -> GenericVerifier:
    seconds = settings.get("signature_tolerance_seconds")
    tolerance = timedelta(seconds=float(seconds)) if seconds is not None else DEFAULT_TOLERANCE
    return GenericVerifier(StandardWebhooksVerifier(secrets, tolerance))
