"""Standard Webhooks for the generic partner, with the tolerance its settings allow."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import timedelta
from typing import Any

from crossdock.security.standard_webhooks import DEFAULT_TOLERANCE, StandardWebhooksVerifier


def make_verifier(secrets: Sequence[str], settings: Mapping[str, Any]) -> StandardWebhooksVerifier:
    seconds = settings.get("signature_tolerance_seconds")
    tolerance = timedelta(seconds=float(seconds)) if seconds is not None else DEFAULT_TOLERANCE
    return StandardWebhooksVerifier(secrets, tolerance)
