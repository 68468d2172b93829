"""The one place carrier tracking APIs' HTTP outcomes become Crossdock's errors.

Every provider's `fetch_tracking` sends its request through `get`, so throttling, outages,
timeouts and refused keys mean the same thing for all of them: 429/503 and other 5xx are
retryable (with the provider's Retry-After, in seconds or as an HTTP date), 401/403 are
permanent (the key is wrong and retrying will not fix it), 404 is "unknown number".
"""

from __future__ import annotations

from collections.abc import Awaitable, Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import httpx

from crossdock.errors import PermanentError, RetryableError
from crossdock.resilience.timeouts import phase_timeouts, send_idempotent
from crossdock.security.secrets import SecretError, resolve

CONNECT_SECONDS = 5.0


class ProviderUnavailable(RetryableError):
    """The provider throttled us, failed, or did not answer in time."""

    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class ProviderRefused(PermanentError):
    """The provider refused the request (credentials, permissions, a malformed request)."""


def api_key(reference: str, provider: str) -> str:
    """The API key a secret reference points at; a broken reference is permanent."""
    try:
        return resolve(reference)
    except SecretError as exc:
        raise ProviderRefused(f"{provider} api.api_key: {exc}") from None


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from Retry-After: delta-seconds or an HTTP-date (RFC 9110 §10.2.3)."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


async def get(
    http: httpx.AsyncClient,
    provider: str,
    url: str,
    *,
    headers: Mapping[str, str] | None = None,
    params: Mapping[str, str] | None = None,
    auth: httpx.Auth | tuple[str, str] | None = None,
    seconds: float,
) -> httpx.Response | None:
    """GET `url`; the response when 2xx, None on 404, else the matching Crossdock error.

    `seconds` is the whole call's deadline (connect at most 5 s of it); a GET is idempotent,
    so a connection that failed is tried once more within that deadline.
    """

    def send() -> Awaitable[httpx.Response]:
        return http.get(
            url,
            headers=dict(headers or {}),
            params=dict(params or {}),
            auth=auth if auth is not None else httpx.USE_CLIENT_DEFAULT,
            timeout=phase_timeouts(seconds, connect=CONNECT_SECONDS),
        )

    try:
        response = await send_idempotent(send, "GET", total=seconds, what=f"{provider} GET")
    except httpx.TimeoutException as exc:
        raise ProviderUnavailable(f"{provider} did not answer in {seconds:g} s: {exc!r}") from None
    except httpx.TransportError as exc:
        raise ProviderUnavailable(f"{provider} could not be reached: {exc!r}") from None
    status = response.status_code
    if 200 <= status < 300:
        return response
    if status == 404:
        return None
    detail = _detail(response)
    if status in (401, 403):
        raise ProviderRefused(
            f"{provider} refused the API key (HTTP {status}); check the partner's "
            f"settings.api.api_key: {detail}"
        )
    if status == 429 or status >= 500:
        retry_after = parse_retry_after(response.headers.get("retry-after"))
        raise ProviderUnavailable(
            f"{provider} answered HTTP {status}: {detail}", retry_after=retry_after
        )
    raise ProviderRefused(f"{provider} answered HTTP {status}: {detail}")


def json_object(response: httpx.Response, provider: str) -> dict[str, Any]:
    """The answer as a JSON object; anything else is a provider fault worth retrying."""
    try:
        document = response.json()
    except ValueError:
        raise ProviderUnavailable(f"{provider} answered with a body that is not JSON") from None
    if not isinstance(document, dict):
        raise ProviderUnavailable(f"{provider} answered with JSON that is not an object")
    return document


def _detail(response: httpx.Response) -> str:
    return response.text[:300].strip() or response.reason_phrase
