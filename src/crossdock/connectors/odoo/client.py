"""The Odoo client: the only module that talks to Odoo, over an injected `httpx.AsyncClient`.

It speaks JSON-RPC (16.0-18.0, still served by 19.0) and JSON-2 (19.0+), chosen by config or
detected once from /web/webclient/version_info. Request bodies and error mapping are pure
functions in `wire` and `errors`, the typed helpers (`search_read`, `create`, ...) are in
`operations`; this module adds the transport, authentication, timeouts and counting.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import httpx
import orjson

from crossdock.clock import Clock, SystemClock
from crossdock.connectors.odoo import wire
from crossdock.connectors.odoo.errors import (
    OdooAccessDenied,
    OdooConnectionError,
    OdooError,
    OdooServerError,
    OdooTimeout,
    OdooUsageError,
    error_from_json2,
)
from crossdock.connectors.odoo.metrics import RpcCounts, observe
from crossdock.connectors.odoo.operations import OdooOperations
from crossdock.connectors.odoo.settings import OdooSettings, Protocol
from crossdock.observe import tracing
from crossdock.security.secrets import resolve

FIRST_JSON2_MAJOR = 19


def make_http_client(
    settings: OdooSettings, transport: httpx.AsyncBaseTransport | None = None
) -> httpx.AsyncClient:
    """An `httpx.AsyncClient` with the timeouts and pool limits the settings ask for."""
    return httpx.AsyncClient(
        timeout=settings.httpx_timeout(),
        limits=settings.httpx_limits(),
        transport=transport,
        headers={"User-Agent": settings.user_agent},
        event_hooks=tracing.HTTPX_HOOKS,
    )


class OdooClient(OdooOperations):
    """One Odoo database: protocol choice, authentication, `call` and the typed helpers."""

    def __init__(
        self,
        settings: OdooSettings,
        http: httpx.AsyncClient,
        *,
        secret_resolver: Callable[[str], str] = resolve,
        clock: Clock | None = None,
    ) -> None:
        self.settings = settings
        self.rpc_counts = RpcCounts()
        self._http = http
        self._resolve = secret_resolver
        self._clock = clock or SystemClock()
        self._protocol: Protocol | None = None if settings.protocol == "auto" else settings.protocol
        self._version: wire.ServerVersion | None = None
        self._uid: int | None = None
        self._secrets: dict[str, str] = {}
        self._ready = asyncio.Lock()
        self._request_ids = itertools.count(1)

    @property
    def protocol(self) -> Protocol | None:
        """The protocol in use, once known (at once when configured, after detection if auto)."""
        return self._protocol

    async def server_version(self) -> wire.ServerVersion:
        """Odoo's version, asked once: a JSON-RPC call to /web/webclient/version_info."""
        if self._version is None:
            body = wire.jsonrpc_envelope("web", "version_info", [], next(self._request_ids))
            body["params"] = {}  # a plain JSON route, not a service: it takes no arguments
            result = await self._jsonrpc(wire.VERSION_INFO_PATH, body, ("web", "version_info"))
            self._version = wire.ServerVersion.from_result(result)
        return self._version

    async def detect_protocol(self) -> Protocol:
        """JSON-2 when Odoo is 19.0+ and an API key is configured, JSON-RPC otherwise."""
        async with self._ready:
            if self._protocol is None:
                version = await self.server_version()
                if version.major >= FIRST_JSON2_MAJOR and self.settings.api_key:
                    self._protocol = "json2"
                elif self.settings.login:
                    self._protocol = "jsonrpc"
                else:
                    raise OdooUsageError(
                        f"Odoo {version.text} has no JSON-2 API: configure login and password"
                    )
            return self._protocol

    async def authenticate(self) -> int:
        """The JSON-RPC uid of the login; `common.authenticate` answers false when refused."""
        async with self._ready:
            if self._uid is None:
                settings = self.settings
                args: list[Any] = [settings.database, settings.login, self._rpc_secret(), {}]
                body = wire.jsonrpc_envelope(
                    "common", "authenticate", args, next(self._request_ids)
                )
                uid = await self._jsonrpc(wire.JSONRPC_PATH, body, ("common", "authenticate"))
                if not isinstance(uid, int) or isinstance(uid, bool) or uid <= 0:
                    raise OdooAccessDenied(
                        f"Odoo refused login {settings.login!r} on database {settings.database!r}",
                        name="odoo.exceptions.AccessDenied",
                    )
                self._uid = uid
            return self._uid

    async def call(
        self,
        model: str,
        method: str,
        *,
        ids: Sequence[int] | None = None,
        args: Sequence[Any] = (),
        kwargs: Mapping[str, Any] | None = None,
        context: Mapping[str, Any] | None = None,
    ) -> Any:
        """Call `model.method` on `ids` (None for a model-level method) and return its result."""
        wire.check_method(model, method)
        protocol = self._protocol or await self.detect_protocol()
        try:
            if protocol == "json2":
                body = wire.json2_body(ids=ids, args=args, kwargs=kwargs, context=context)
                return await self._json2(model, method, body)
            uid = await self.authenticate()
            rpc_args = wire.execute_kw_args(
                self._database(), uid, self._rpc_secret(), model, method,
                ids=ids, args=args, kwargs=kwargs, context=context,
            )  # fmt: skip
            body = wire.jsonrpc_envelope("object", "execute_kw", rpc_args, next(self._request_ids))
            return await self._jsonrpc(wire.JSONRPC_PATH, body, (model, method))
        except OdooAccessDenied:
            self._uid = None  # a rotated password or key is picked up on the next call
            self._secrets.clear()
            raise

    # -- transport ---------------------------------------------------------------------------

    def _database(self) -> str:
        return self.settings.database or ""

    def _rpc_secret(self) -> str:
        ref = self.settings.password or self.settings.api_key
        if ref is None:
            raise OdooUsageError("JSON-RPC needs a password or an API key")
        return self._secret(ref)

    def _secret(self, ref: str) -> str:
        if ref not in self._secrets:
            self._secrets[ref] = self._resolve(ref)
        return self._secrets[ref]

    def _headers(self, protocol: Protocol) -> dict[str, str]:
        headers = {"Content-Type": "application/json", "User-Agent": self.settings.user_agent}
        if protocol == "json2":
            if self.settings.api_key is None:
                raise OdooUsageError("JSON-2 needs an API key")
            headers["Authorization"] = f"bearer {self._secret(self.settings.api_key)}"
            if self.settings.database:
                headers["X-Odoo-Database"] = self.settings.database
        return headers

    async def _jsonrpc(self, path: str, body: dict[str, Any], label: tuple[str, str]) -> Any:
        return await self._send(path, body, label, "jsonrpc")

    async def _json2(self, model: str, method: str, body: dict[str, Any]) -> Any:
        return await self._send(wire.json2_path(model, method), body, (model, method), "json2")

    async def _send(
        self, path: str, body: dict[str, Any], label: tuple[str, str], protocol: Protocol
    ) -> Any:
        started = time.perf_counter()
        outcome = "ok"
        try:
            response = await self._post(path, body, protocol)
            payload = _decode(response)
            if response.status_code != httpx.codes.OK:
                raise error_from_json2(
                    response.status_code, payload, response.headers, self._clock.now()
                )
            return payload if protocol == "json2" else wire.jsonrpc_result(payload)
        except OdooError as exc:
            outcome = type(exc).__name__
            raise
        finally:
            observe(self.rpc_counts, *label, outcome, time.perf_counter() - started)

    async def _post(self, path: str, body: dict[str, Any], protocol: Protocol) -> httpx.Response:
        url = self.settings.url + path
        try:
            async with asyncio.timeout(self.settings.timeouts.total):
                return await self._http.post(
                    url, content=orjson.dumps(body), headers=self._headers(protocol)
                )
        except (httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
            raise OdooTimeout(f"no connection to {url}: {exc!r}", request_sent=False) from exc
        except httpx.TimeoutException as exc:
            raise OdooTimeout(f"{url} did not answer in time: {exc!r}") from exc
        except TimeoutError as exc:
            total = self.settings.timeouts.total
            raise OdooTimeout(f"{url} took longer than {total}s in total") from exc
        except httpx.TransportError as exc:
            raise OdooConnectionError(f"connection to {url} failed: {exc!r}") from exc


def _decode(response: httpx.Response) -> Any:
    """The JSON body; a non-JSON answer (a proxy's HTML page) is kept as text for the error."""
    try:
        return orjson.loads(response.content) if response.content else None
    except orjson.JSONDecodeError:
        if response.status_code == httpx.codes.OK:
            raise OdooServerError(
                f"Odoo answered 200 with a body that is not JSON: {response.text[:200]!r}"
            ) from None
        return response.text[:2000]
