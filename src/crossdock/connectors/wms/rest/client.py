"""The REST WMS connector's only I/O: release and cancel calls, with the partner's auth.

HTTP outcomes become Crossdock's errors here and nowhere else: an unreachable WMS, a
timeout, 429 and 5xx are retryable (the job queue retries the release with backoff, the
partner's Retry-After honoured), other 4xx are permanent. Every release carries an
`Idempotency-Key` (the delivery order's name), so a retry after a lost answer finds the
order the WMS already created instead of creating a second one. OAuth2 tokens are fetched
with client credentials, kept until shortly before they expire and fetched again once when
the WMS answers 401.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import httpx
import jmespath

from crossdock.connectors.carriers.tracking_http import parse_retry_after
from crossdock.connectors.wms.rest.settings import Endpoint, OAuth2Auth, RestWmsSettings
from crossdock.errors import PermanentError, RetryableError
from crossdock.flows.outbound.gateway import CancelOutcome
from crossdock.security.secrets import SecretError, resolve

TOKEN_MARGIN_SECONDS = 30.0


class WmsUnavailable(RetryableError):
    """The WMS did not answer, throttled us or failed: worth trying again later."""

    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class WmsRefused(PermanentError):
    """The WMS refused the request (credentials, a payload it rejects): retrying cannot help."""


@dataclass
class _Token:
    value: str
    expires_at: float


class WmsClient:
    """One WMS partner over an `httpx.AsyncClient` the caller owns."""

    def __init__(self, partner: str, settings: RestWmsSettings, http: httpx.AsyncClient) -> None:
        self.partner = partner
        self.settings = settings
        self.http = http
        self._token: _Token | None = None
        self.calls: dict[str, int] = {}

    async def release(self, body: Mapping[str, Any], fulfillment_id: str) -> str:
        """Create the order in the WMS; answers the WMS's order id."""
        response = await self._send(
            "release",
            self.settings.endpoints.release,
            body,
            fulfillment_id=fulfillment_id,
            headers={"Idempotency-Key": fulfillment_id},
        )
        order_id = jmespath.search(self.settings.responses.release_order_id, _json(response))
        if order_id in (None, ""):
            raise WmsRefused(
                f"{self.partner} answered the release of {fulfillment_id} without an order id "
                f"at {self.settings.responses.release_order_id!r}"
            )
        return str(order_id)

    async def cancel(
        self, body: Mapping[str, Any], fulfillment_id: str, wms_order_id: str | None
    ) -> CancelOutcome:
        response = await self._send(
            "cancel",
            self.settings.endpoints.cancel,
            body,
            fulfillment_id=fulfillment_id,
            wms_order_id=wms_order_id or fulfillment_id,
            accept=tuple(self.settings.responses.cancel_shipped_status),
        )
        if response.status_code in self.settings.responses.cancel_shipped_status:
            return CancelOutcome.ALREADY_SHIPPED
        return CancelOutcome.CANCELLED

    async def send_labels(
        self, body: Mapping[str, Any], fulfillment_id: str, wms_order_id: str | None
    ) -> None:
        endpoint = self.settings.endpoints.labels
        if endpoint is None:
            raise WmsRefused(f"{self.partner} declares no endpoints.labels to send labels to")
        await self._send(
            "labels",
            endpoint,
            body,
            fulfillment_id=fulfillment_id,
            wms_order_id=wms_order_id or fulfillment_id,
            headers={"Idempotency-Key": f"labels:{fulfillment_id}"},
        )

    async def _send(
        self,
        name: str,
        endpoint: Endpoint,
        body: Mapping[str, Any],
        *,
        fulfillment_id: str,
        wms_order_id: str = "",
        headers: Mapping[str, str] | None = None,
        accept: tuple[int, ...] = (),
    ) -> httpx.Response:
        url = self.settings.base_url + endpoint.path.format(
            fulfillment_id=fulfillment_id, wms_order_id=wms_order_id
        )
        for attempt in (1, 2):
            auth = await self._auth_headers(renew=attempt == 2)
            self.calls[name] = self.calls.get(name, 0) + 1
            try:
                response = await self.http.request(
                    endpoint.method,
                    url,
                    json=dict(body),
                    headers={**auth, **(headers or {})},
                    timeout=self.settings.timeout_seconds,
                )
            except httpx.TimeoutException as exc:
                raise WmsUnavailable(f"{self.partner} did not answer {name}: {exc!r}") from None
            except httpx.TransportError as exc:
                raise WmsUnavailable(f"{self.partner} could not be reached: {exc!r}") from None
            if response.status_code == 401 and attempt == 1 and self._uses_oauth:
                continue  # the token may have been revoked early: fetch a new one once
            if 200 <= response.status_code < 300 or response.status_code in accept:
                return response
            raise _error(self.partner, name, response)
        raise AssertionError("unreachable")

    @property
    def _uses_oauth(self) -> bool:
        return isinstance(self.settings.auth, OAuth2Auth)

    async def _auth_headers(self, *, renew: bool) -> dict[str, str]:
        auth = self.settings.auth
        if not isinstance(auth, OAuth2Auth):
            return {auth.header: _secret(auth.key, self.partner, "auth.key")}
        if renew or self._token is None or self._token.expires_at <= time.monotonic():
            self._token = await self._fetch_token(auth)
        return {"Authorization": f"Bearer {self._token.value}"}

    async def _fetch_token(self, auth: OAuth2Auth) -> _Token:
        form = {"grant_type": "client_credentials"}
        if auth.scope:
            form["scope"] = auth.scope
        secret = _secret(auth.client_secret, self.partner, "auth.client_secret")
        self.calls["token"] = self.calls.get("token", 0) + 1
        try:
            response = await self.http.post(
                auth.token_url,
                data=form,
                auth=(auth.client_id, secret),
                timeout=self.settings.timeout_seconds,
            )
        except httpx.TransportError as exc:
            raise WmsUnavailable(f"{self.partner} token endpoint unreachable: {exc!r}") from None
        if response.status_code != 200:
            raise _error(self.partner, "token", response)
        document = _json(response)
        token = document.get("access_token")
        if not isinstance(token, str) or not token:
            raise WmsRefused(f"{self.partner} token answer has no access_token")
        lifetime = float(document.get("expires_in") or 3600)
        return _Token(token, time.monotonic() + max(0.0, lifetime - TOKEN_MARGIN_SECONDS))


def _secret(reference: str, partner: str, place: str) -> str:
    try:
        return resolve(reference)
    except SecretError as exc:
        raise WmsRefused(f"{partner} settings.{place}: {exc}") from None


def _json(response: httpx.Response) -> dict[str, Any]:
    try:
        document = response.json()
    except ValueError:
        raise WmsUnavailable(f"answer to {response.request.url} is not JSON") from None
    if not isinstance(document, dict):
        raise WmsUnavailable(f"answer to {response.request.url} is not a JSON object")
    return document


def _error(partner: str, name: str, response: httpx.Response) -> Exception:
    status = response.status_code
    detail = response.text[:300].strip() or response.reason_phrase
    if status == 429 or status >= 500:
        return WmsUnavailable(
            f"{partner} answered {name} with HTTP {status}: {detail}",
            retry_after=parse_retry_after(response.headers.get("retry-after")),
        )
    return WmsRefused(f"{partner} refused {name} with HTTP {status}: {detail}")
