"""Test doubles for the Odoo client: an `httpx.MockTransport` Odoo and an in-memory `call`.

`FakeOdoo` answers exactly as Odoo's wire formats say (see the docstrings of
crossdock.connectors.odoo.wire and .errors) and records every request, so tests assert on
the bytes the client sends. `MemoryOdoo` stands behind `OdooOperations.call` for the
batching and upsert tests, where the wire does not matter but the calls do.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx

from crossdock.connectors.odoo.client import OdooClient
from crossdock.connectors.odoo.operations import OdooOperations
from crossdock.connectors.odoo.settings import OdooSettings

SECRETS = {"env:ODOO_PASSWORD": "pw", "env:ODOO_API_KEY": "key"}
MODEL_METHODS = {"search_read", "search", "search_count", "create", "load", "fields_get"}


def settings(**overrides: Any) -> OdooSettings:
    values: dict[str, Any] = {
        "url": "http://odoo.test",
        "database": "db",
        "login": "bot",
        "password": "env:ODOO_PASSWORD",
        "api_key": "env:ODOO_API_KEY",
    }
    values.update(overrides)
    return OdooSettings(**{k: v for k, v in values.items() if v is not None})


def client_for(handler: Callable[[httpx.Request], httpx.Response], **overrides: Any) -> OdooClient:
    http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    return OdooClient(settings(**overrides), http, secret_resolver=SECRETS.__getitem__)


class FakeOdooError(Exception):
    """Raised by a handler: FakeOdoo serialises it as Odoo would on the protocol in use."""

    def __init__(self, name: str, message: str, status: int = 422) -> None:
        super().__init__(message)
        self.name = name
        self.message = message
        self.status = status


@dataclass
class Call:
    protocol: str
    model: str
    method: str
    ids: list[int] | None
    args: list[Any]
    kwargs: dict[str, Any]
    context: dict[str, Any] | None


@dataclass
class Seen:
    path: str
    headers: httpx.Headers
    body: Any


@dataclass
class FakeOdoo:
    version: int = 17
    uid: int = 2
    handlers: dict[tuple[str, str], Callable[[Call], Any]] = field(default_factory=dict)
    seen: list[Seen] = field(default_factory=list)
    calls: list[Call] = field(default_factory=list)

    def client(self, **overrides: Any) -> OdooClient:
        return client_for(self.handle, **overrides)

    def on(self, model: str, method: str, handler: Callable[[Call], Any]) -> None:
        self.handlers[(model, method)] = handler

    def paths(self) -> list[str]:
        return [s.path for s in self.seen]

    def handle(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content) if request.content else None
        self.seen.append(Seen(request.url.path, request.headers, body))
        path = request.url.path
        if path == "/web/webclient/version_info":
            info = [self.version, 0, 0, "final", 0, ""]
            result = {"server_version": f"{self.version}.0", "server_version_info": info}
            return self._rpc_ok(body, result)
        if path == "/jsonrpc":
            return self._jsonrpc(body)
        if path.startswith("/json/2/"):
            return self._json2(request, body)
        return httpx.Response(404, text="<html>not found</html>")

    def _jsonrpc(self, body: dict[str, Any]) -> httpx.Response:
        params = body["params"]
        if params["service"] == "common" and params["method"] == "authenticate":
            db, login, password, _env = params["args"]
            ok = (db, login, password) == ("db", "bot", "pw")
            return self._rpc_ok(body, self.uid if ok else False)
        _db, _uid, _pw, model, method, args, kwargs = params["args"]
        kwargs = dict(kwargs)
        context = kwargs.pop("context", None)
        ids = args[0] if method not in MODEL_METHODS and args else None
        call = Call("jsonrpc", model, method, ids, args, kwargs, context)
        try:
            return self._rpc_ok(body, self._dispatch(call))
        except FakeOdooError as exc:
            error = {
                "code": 0 if self.version >= 19 else 200,
                "message": "Odoo Server Error",
                "data": _serialized(exc),
            }
            return httpx.Response(200, json={"jsonrpc": "2.0", "id": body["id"], "error": error})

    def _json2(self, request: httpx.Request, body: dict[str, Any]) -> httpx.Response:
        if request.headers.get("authorization") != "bearer key":
            exc = FakeOdooError("werkzeug.exceptions.Unauthorized", "Invalid apikey", 401)
            return httpx.Response(401, json=_serialized(exc))
        _, _, _, model, method = request.url.path.split("/")
        kwargs = dict(body)
        ids = kwargs.pop("ids", None)
        context = kwargs.pop("context", None)
        try:
            result = self._dispatch(Call("json2", model, method, ids, [], kwargs, context))
        except FakeOdooError as exc:
            return httpx.Response(exc.status, json=_serialized(exc))
        return httpx.Response(200, json=result)

    def _dispatch(self, call: Call) -> Any:
        self.calls.append(call)
        handler = self.handlers.get((call.model, call.method))
        if handler is None:
            raise FakeOdooError("werkzeug.exceptions.NotFound", "no such method", 404)
        return handler(call)

    @staticmethod
    def _rpc_ok(body: dict[str, Any], result: Any) -> httpx.Response:
        return httpx.Response(200, json={"jsonrpc": "2.0", "id": body["id"], "result": result})


def _serialized(exc: FakeOdooError) -> dict[str, Any]:
    return {
        "name": exc.name,
        "message": exc.message,
        "arguments": [exc.message],
        "context": {},
        "debug": f"Traceback (most recent call last):\n{exc.name}: {exc.message}\n",
    }


class MemoryOdoo(OdooOperations):
    """Records in memory behind `call`, with failures injected per record or per call."""

    def __init__(self) -> None:
        self.records: dict[str, dict[int, dict[str, Any]]] = {}
        self.calls: list[tuple[str, str, list[int] | None, dict[str, Any]]] = []
        self.fail_on: dict[int, Exception] = {}  # record id -> error for writes touching it
        self.fail_next: list[Exception] = []  # errors for the next calls, whatever they are
        self.load_result: dict[str, Any] | None = None
        self.gate: asyncio.Event | None = None  # when set, calls wait for it to open
        self._next_id = 100

    def count(self, method: str) -> int:
        return sum(1 for _, m, _, _ in self.calls if m == method)

    def add(self, model: str, vals: Mapping[str, Any]) -> int:
        self._next_id += 1
        self.records.setdefault(model, {})[self._next_id] = {"id": self._next_id, **vals}
        return self._next_id

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
        kw = dict(kwargs or {})
        self.calls.append((model, method, list(ids) if ids is not None else None, kw))
        if self.gate is not None:
            await self.gate.wait()
        if self.fail_next:
            raise self.fail_next.pop(0)
        table = self.records.setdefault(model, {})
        if method == "write":
            assert ids is not None
            for rid in ids:
                if rid in self.fail_on:
                    raise self.fail_on[rid]
            for rid in ids:
                table.setdefault(rid, {"id": rid}).update(kw["vals"])
            return True
        if method == "create":
            return [self.add(model, vals) for vals in kw["vals_list"]]
        if method == "search_read":
            (fname, _op, keys), *_ = kw["domain"]
            active_test = (context or {}).get("active_test", True)
            found = [
                r
                for rid, r in sorted(table.items())
                if r.get(fname) in keys and (not active_test or r.get("active", True))
            ]
            return [{"id": r["id"], **{f: r.get(f, False) for f in kw["fields"]}} for r in found]
        if method == "load":
            if self.load_result is not None:
                return self.load_result
            return {"ids": [self.add(model, {"row": row}) for row in kw["data"]], "messages": []}
        raise AssertionError(f"MemoryOdoo does not simulate {model}.{method}")
