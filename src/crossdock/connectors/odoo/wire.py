"""Pure request builders and response readers for Odoo's two external APIs (no I/O here).

JSON-RPC (Odoo 8 to 21; deprecated in 19.0): `POST /jsonrpc` with
`{"jsonrpc": "2.0", "method": "call", "params": {"service", "method", "args"}}` served by
odoo/addons/base/controllers/rpc.py → `dispatch_rpc`. Service `common`, method `authenticate`,
args `[db, login, password, user_agent_env]` answers the uid or `false`
(odoo/service/common.py `exp_authenticate`); service `object`, method `execute_kw`, args
`[db, uid, password, model, method, args, kwargs]` calls a model method
(odoo/service/model.py `execute_kw` → odoo/api.py `call_kw`). See odoo/documentation
content/developer/reference/external_api.rst (≤ 18.0; "External RPC API" in 19.0).

JSON-2 (19.0+): `POST /json/2/<model>/<method>` with `Authorization: bearer <api key>` and
`X-Odoo-Database`; the body holds the method's named parameters plus `ids` and `context`
(addons/rpc/controllers/json2.py `web_json_2_rpc(model, method, ids=(), context={}, **kwargs)`;
positional arguments do not exist). The answer is the bare JSON result; recordsets become ids.
See odoo/documentation content/developer/reference/external_api.rst (19.0, "External JSON-2 API").
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from crossdock.connectors.odoo.errors import (
    OdooPrivateMethod,
    OdooServerError,
    OdooUsageError,
    error_from_jsonrpc,
)

JSONRPC_PATH = "/jsonrpc"
VERSION_INFO_PATH = "/web/webclient/version_info"  # addons/web/controllers/webclient.py
JSON2_PREFIX = "/json/2"
_FIRST_POSITIONAL = {
    "create": "vals_list",
    "search": "domain",
    "search_count": "domain",
    "search_read": "domain",
}


def check_method(model: str, method: str) -> None:
    """Refuse private methods before sending: Odoo refuses them remotely anyway.

    odoo/models.py `check_method_name` (≤ 18.0, AccessError "Private methods (such as ...)
    cannot be called remotely") and odoo/service/model.py `get_public_method` (19.0, 404).
    """
    if not method or method.startswith("_"):
        raise OdooPrivateMethod(
            f"{model}.{method} is private: Odoo serves only public methods remotely",
            name="crossdock.client",
        )
    if not model or "/" in model or "/" in method:
        raise OdooUsageError(f"invalid model or method name {model!r}.{method!r}")


def jsonrpc_envelope(
    service: str, method: str, args: Sequence[Any], request_id: int
) -> dict[str, Any]:
    """The JSON-RPC 2.0 body for a call to an Odoo RPC service through `/jsonrpc`."""
    return {
        "jsonrpc": "2.0",
        "method": "call",
        "params": {"service": service, "method": method, "args": list(args)},
        "id": request_id,
    }


def execute_kw_args(
    database: str,
    uid: int,
    secret: str,
    model: str,
    method: str,
    *,
    ids: Sequence[int] | None,
    args: Sequence[Any],
    kwargs: Mapping[str, Any] | None,
    context: Mapping[str, Any] | None,
) -> list[Any]:
    """`execute_kw` arguments: record ids go first among the positional arguments.

    Some first parameters travel positionally, the one form every version accepts: `create`'s
    values, because `call_kw` reads `args[0]` to answer one id or a list (odoo/api.py
    `_call_kw_model_create`, 16.0-19.0); the domain of `search` and `search_count`, named
    `args` in 16.0 and `domain` from 17.0 (odoo/models.py).
    """
    positional: list[Any] = [list(ids)] if ids is not None else []
    positional.extend(args)
    named = dict(kwargs or {})
    first = _FIRST_POSITIONAL.get(method)
    if first is not None and not args and first in named:
        positional.append(named.pop(first))
    if context is not None:
        named["context"] = dict(context)
    return [database, uid, secret, model, method, positional, named]


def json2_path(model: str, method: str) -> str:
    return f"{JSON2_PREFIX}/{model}/{method}"


def json2_body(
    *,
    ids: Sequence[int] | None,
    args: Sequence[Any],
    kwargs: Mapping[str, Any] | None,
    context: Mapping[str, Any] | None,
) -> dict[str, Any]:
    """The JSON-2 body: named parameters, plus `ids` and `context`; no positional arguments."""
    if args:
        raise OdooUsageError(
            "JSON-2 takes named parameters only: pass kwargs instead of positional args"
        )
    body = dict(kwargs or {})
    for reserved in ("ids", "context"):
        if reserved in body:
            raise OdooUsageError(f"pass {reserved} as its own argument, not in kwargs")
    if ids is not None:
        body["ids"] = list(ids)
    if context is not None:
        body["context"] = dict(context)
    return body


def jsonrpc_result(payload: Any) -> Any:
    """The `result` of a JSON-RPC response, or raise the Odoo error it carries."""
    if not isinstance(payload, Mapping):
        raise OdooServerError(f"malformed JSON-RPC response: {payload!r:.200}")
    if "error" in payload:
        raise error_from_jsonrpc(payload)
    # Odoo omits `result` when the method returned None (odoo/http.py `_response`).
    return payload.get("result")


@dataclass(frozen=True)
class ServerVersion:
    """What /web/webclient/version_info says (odoo/service/common.py `exp_version`)."""

    major: int
    minor: int
    text: str

    @classmethod
    def from_result(cls, result: Any) -> ServerVersion:
        if not isinstance(result, Mapping):
            raise OdooServerError(f"malformed version_info: {result!r:.200}")
        info = result.get("server_version_info")
        if not isinstance(info, list | tuple) or len(info) < 2:
            raise OdooServerError(f"version_info has no server_version_info: {result!r:.200}")
        return cls(_number(info[0]), _number(info[1]), str(result.get("server_version", "")))


def _number(part: Any) -> int:
    """A version part; SaaS builds say "saas~17" where on-premise says 17."""
    if isinstance(part, int):
        return part
    digits = "".join(ch for ch in str(part).rsplit("~", 1)[-1] if ch.isdigit())
    if not digits:
        raise OdooServerError(f"unreadable version part {part!r}")
    return int(digits)
