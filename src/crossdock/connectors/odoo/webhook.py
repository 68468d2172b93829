"""Odoo's automation-rule webhooks ("Send Webhook Notification", Odoo 17+) as signed input.

Odoo signs nothing: it POSTs the selected fields plus `_model`, `_id` (and `_action` where the
version sends it) to the URL configured on the rule (`odoo/addons/base/models/ir_actions.py`,
`_run_action_webhook`, which reads the fields with `read(load=None)`, so relations arrive as
bare ids, and does not retry). The URL therefore carries an unguessable token
(`?token=…`), compared in constant time with the partner's secrets (several, for rotation),
and the sender's address may be restricted to Odoo's own networks.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import orjson

from crossdock.connectors.base import WebhookRequest
from crossdock.security.standard_webhooks import SignatureError

TOKEN_PARAMETER = "token"  # noqa: S105 - the name of the query parameter, not a secret


class AutomationWebhookVerifier:
    def __init__(self, tokens: Sequence[str], allowed_sources: Sequence[str] = ()) -> None:
        if not tokens:
            raise ValueError("an Odoo webhook partner needs at least one token secret")
        self._tokens = [token.encode() for token in tokens]
        self._networks = [ipaddress.ip_network(source, strict=False) for source in allowed_sources]

    def verify(self, request: WebhookRequest, now: datetime) -> str:
        """Check the token and the sender; the dedup key identifies the change, not the POST."""
        if self._networks:
            host = request.client_host
            try:
                address = ipaddress.ip_address(host or "")
            except ValueError:
                raise SignatureError("the sender's address is unknown") from None
            if not any(address in network for network in self._networks):
                raise SignatureError(f"sender {host} is not in the partner's allowed sources")
        offered = request.query.get(TOKEN_PARAMETER, "").encode()
        if not offered:
            raise SignatureError(f"the URL carries no {TOKEN_PARAMETER} parameter")
        if not any(hmac.compare_digest(offered, token) for token in self._tokens):
            raise SignatureError(f"the {TOKEN_PARAMETER} parameter matches no active secret")
        return change_key(request.body)


def change_key(body: bytes) -> str:
    """`model:id:write_date:digest` when the body says which record changed, else a digest.

    A redelivered notification carries the same values and so the same key; a later change
    of the same record differs in write_date or values.
    """
    digest = hashlib.blake2b(body, digest_size=8).hexdigest()
    try:
        document: Any = orjson.loads(body)
    except orjson.JSONDecodeError:
        return f"body:{digest}"
    if not isinstance(document, Mapping):
        return f"body:{digest}"
    model, record_id = document.get("_model"), document.get("_id")
    if not isinstance(model, str) or not isinstance(record_id, int):
        return f"body:{digest}"
    return f"{model}:{record_id}:{document.get('write_date', '')}:{digest}"


def make_verifier(secrets: Sequence[str], settings: Mapping[str, Any]) -> AutomationWebhookVerifier:
    webhook = settings.get("webhook") or {}
    return AutomationWebhookVerifier(secrets, webhook.get("allowed_sources", ()))
