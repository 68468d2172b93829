"""JSON-2: ``POST /json/2/<model>/<method>``, Odoo 19's external API.

Follows ``addons/web/controllers/json2.py`` (``web_json_2_rpc``), ``Json2Dispatcher`` in
``odoo/http.py`` and ``_auth_method_bearer`` in ``odoo/addons/base/models/ir_http.py``:

- ``Authorization: bearer <api key>``; no key is ``401 User not authenticated, use an API Key
  with a Bearer Authorization header.``, a wrong one ``401 Invalid apikey`` (with
  ``WWW-Authenticate: Bearer``); ``X-Odoo-Database`` may name the database;
- the body is a JSON object of named arguments plus ``ids`` and ``context``;
- success is 200 with the method's JSON result (recordsets become id lists);
- errors are JSON ``{name, message, arguments, context, debug}``: UserError and
  ValidationError 422, AccessError and AccessDenied 403, MissingError 404, LockError 409,
  werkzeug's NotFound 404 (unknown model or method), UnprocessableEntity 422 (ids on an
  ``@api.model`` method, arguments not fitting the signature), MethodNotAllowed 405, any
  other exception 500.

Before 19 the route does not exist: 404, as on a real 16-18 server.
"""

from __future__ import annotations

import json
import re
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from crossdock.sandbox.odoo import SANDBOX_DB, access
from crossdock.sandbox.odoo.errors import HttpError, OdooError, serialize
from crossdock.sandbox.odoo.faults import ProxyFault
from crossdock.sandbox.odoo.orm import OdooDatabase
from crossdock.sandbox.odoo.protocol.responses import json_response, not_found, proxy_error
from crossdock.sandbox.odoo.service import execute_json2

BEARER = re.compile(r"^bearer\s+(.+)$", re.IGNORECASE)
NO_KEY = "User not authenticated, use an API Key with a Bearer Authorization header."


def error_response(exc: BaseException) -> Response:
    body = serialize(exc)
    if isinstance(exc, HttpError):
        return json_response(body, exc.code, exc.headers or None)
    if isinstance(exc, OdooError) and exc.http_status != 500:
        return json_response(body, exc.http_status)
    return json_response(body, 500)


def _authenticate(request: Request) -> access.ApiUser:
    header = request.headers.get("authorization", "")
    match = BEARER.match(header.strip())
    challenge = {"WWW-Authenticate": "Bearer"}
    if not match:
        raise HttpError(401, NO_KEY, challenge)
    user = access.user_for_api_key(match.group(1).strip())
    if user is None:
        raise HttpError(401, "Invalid apikey", challenge)
    return user


def _require_post(request: Request) -> None:
    if request.method != "POST":
        raise HttpError(405, "The method is not allowed for the requested URL.")


async def _body(request: Request) -> dict[str, Any]:
    raw = await request.body()
    if not raw:
        return {}
    mimetype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if mimetype != "application/json":
        raise HttpError(
            400,
            "State-changing json2 requests must use the 'application/json' Content-Type "
            "(CSRF protection).",
        )
    try:
        body = json.loads(raw)
    except ValueError as exc:
        raise HttpError(400, f"could not parse the body as json: {exc.args[0]}") from None
    if not isinstance(body, dict):
        raise HttpError(400, "could not parse the body, expecting a json object")
    return body


async def json2_endpoint(request: Request) -> Response:
    db: OdooDatabase = request.app.state.odoo
    if not db.version.has_json2:
        return not_found()
    database = request.headers.get("x-odoo-database")
    if database is not None and database != SANDBOX_DB:
        return not_found()
    try:
        user = _authenticate(request)
        _require_post(request)
        body = await _body(request)
        db.served[f"json2.{request.path_params['method']}"] += 1
        result = execute_json2(
            db, user, request.path_params["model"], request.path_params["method"], body
        )
    except ProxyFault as fault:
        return proxy_error(fault.status)
    except Exception as exc:  # noqa: BLE001 - every exception becomes a JSON error body
        return error_response(exc)
    return json_response(result)
