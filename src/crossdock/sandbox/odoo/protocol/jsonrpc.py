"""JSON-RPC: ``POST /jsonrpc`` (services common, db, object) and the web client's version route.

Follows ``odoo/http.py`` (``JsonRPCDispatcher``: the body's ``params`` become the route's
arguments, the answer is ``{"jsonrpc": "2.0", "id": ..., "result": ...}`` and every error is an
HTTP 200 carrying ``{"code": 200 (0 on 19), "message": "Odoo Server Error", "data":
serialize_exception(...)}``), ``odoo/addons/base/controllers/rpc.py`` (``/jsonrpc`` calls
``dispatch_rpc(service, method, args)``), ``odoo/service/common.py`` (``version``, ``login``,
``authenticate``: an uid or False), ``odoo/service/db.py`` (``list``, ``server_version``,
``db_exist``) and ``odoo/service/model.py`` (``execute``, ``execute_kw``; a wrong password is
``AccessDenied``). The password slot takes the password or an API key, as in Odoo.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from crossdock.sandbox.odoo import SANDBOX_DB, access
from crossdock.sandbox.odoo.errors import AccessDenied, serialize, unknown_database
from crossdock.sandbox.odoo.faults import ProxyFault
from crossdock.sandbox.odoo.orm import OdooDatabase
from crossdock.sandbox.odoo.protocol.responses import json_response, proxy_error
from crossdock.sandbox.odoo.service import execute_kw

JSON_MIMETYPES = ("application/json", "application/json-rpc")


def rpc_version(db: OdooDatabase) -> dict[str, Any]:
    """``RPC_VERSION_1`` of odoo/service/common.py."""
    version = db.version
    return {
        "server_version": version.server_version,
        "server_version_info": version.version_info,
        "server_serie": version.server_version,
        "protocol_version": 1,
    }


def _arity(name: str, args: list[Any], expected: int) -> None:
    if len(args) != expected:
        raise TypeError(
            f"{name}() takes {expected} positional arguments but {len(args)} were given"
        )


def _check_db(name: Any) -> None:
    if name != SANDBOX_DB:
        raise unknown_database(str(name))


def _common(db: OdooDatabase, method: str, args: list[Any]) -> Any:
    if method == "version":
        return rpc_version(db)
    if method == "login":
        _arity("exp_login", args, 3)
        _check_db(args[0])
        user = access.login(str(args[1]), str(args[2]))
        return user.uid if user else False
    if method == "authenticate":
        _arity("exp_authenticate", args, 4)
        _check_db(args[0])
        user = access.login(str(args[1]), str(args[2]))
        return user.uid if user else False
    raise Exception(f"Method not found: {method}")  # noqa: TRY002 - Odoo raises a bare Exception


def _db(db: OdooDatabase, method: str, args: list[Any]) -> Any:
    if method == "list":
        return [SANDBOX_DB]
    if method == "server_version":
        return db.version.server_version
    if method == "db_exist":
        _arity("exp_db_exist", args, 1)
        return args[0] == SANDBOX_DB
    raise KeyError(f"exp_{method}")


def _object(db: OdooDatabase, method: str, args: list[Any]) -> Any:
    if len(args) < 5:
        raise ValueError(f"not enough values to unpack (expected at least 5, got {len(args)})")
    dbname, uid, password, model, name, *rest = args
    _check_db(dbname)
    if not password:
        raise AccessDenied()
    user = access.check_uid_password(int(uid), password)
    if method == "execute_kw":
        if len(rest) == 1:
            rest.append({})
        if len(rest) != 2:
            raise TypeError(
                "execute_kw() takes from 5 to 6 positional arguments "
                f"but {len(rest) + 3} were given"
            )
        return execute_kw(db, user, str(model), str(name), rest[0], rest[1])
    if method == "execute":
        return execute_kw(db, user, str(model), str(name), list(rest), {})
    raise NameError(f"Method not available {method}")


def dispatch_rpc(db: OdooDatabase, service: Any, method: Any, args: Any) -> Any:
    """``odoo.http.dispatch_rpc``."""
    if not isinstance(args, list):
        raise TypeError("the 'args' parameter must be a list")
    handlers = {"common": _common, "db": _db, "object": _object}
    if service not in handlers:
        raise KeyError(service)
    return handlers[service](db, str(method), args)


async def _payload(request: Request) -> tuple[dict[str, Any] | None, Response | None]:
    mimetype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if mimetype not in JSON_MIMETYPES:
        return None, PlainTextResponse(
            "Bad Request: Request inferred type is compatible with ['http'] but this route "
            "is type=json.",
            status_code=400,
        )
    try:
        payload = json.loads(await request.body())
    except ValueError:
        return None, PlainTextResponse("Invalid JSON data", status_code=400)
    if not isinstance(payload, dict):
        return None, PlainTextResponse("Invalid JSON-RPC data", status_code=400)
    return payload, None


def _reply(
    db: OdooDatabase, request_id: Any, result: Any = None, error: BaseException | None = None
) -> Response:
    body: dict[str, Any] = {"jsonrpc": "2.0", "id": request_id}
    if error is not None:
        body["error"] = {
            "code": db.version.jsonrpc_error_code,
            "message": "Odoo Server Error",
            "data": serialize(error),
        }
    elif result is not None:
        body["result"] = result
    return json_response(body)


def _route_arguments(payload: dict[str, Any]) -> dict[str, Any]:
    """The ``params`` member as the ``/jsonrpc`` route's keyword arguments."""
    params = payload.get("params", {})
    if not isinstance(params, dict):
        raise ValueError(  # noqa: TRY004 - what dict() raises in Odoo's dispatcher
            "dictionary update sequence element #0 has length 1; 2 is required"
        )
    missing = [key for key in ("service", "method", "args") if key not in params]
    if missing:
        names = " and ".join(f"'{key}'" for key in missing)
        plural = "s" if len(missing) > 1 else ""
        raise TypeError(
            f"jsonrpc() missing {len(missing)} required positional argument{plural}: {names}"
        )
    return params


async def jsonrpc_endpoint(request: Request) -> Response:
    db: OdooDatabase = request.app.state.odoo
    payload, problem = await _payload(request)
    if problem is not None or payload is None:
        return problem or PlainTextResponse("Invalid JSON-RPC data", status_code=400)
    request_id = payload.get("id")
    try:
        params = _route_arguments(payload)
        db.served[f"{params['service']}.{params['method']}"] += 1
        result = dispatch_rpc(db, params["service"], params["method"], params["args"])
    except ProxyFault as fault:
        return proxy_error(fault.status)
    except Exception as exc:  # noqa: BLE001 - Odoo turns every exception into an error reply
        return _reply(db, request_id, error=exc)
    return _reply(db, request_id, result)


async def version_info_endpoint(request: Request) -> Response:
    """``/web/webclient/version_info`` (addons/web/controllers/webclient.py), a JSON route."""
    db: OdooDatabase = request.app.state.odoo
    payload, problem = await _payload(request)
    if problem is not None or payload is None:
        return problem or PlainTextResponse("Invalid JSON-RPC data", status_code=400)
    return _reply(db, payload.get("id"), rpc_version(db))
