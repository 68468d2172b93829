"""The sandbox WMS's REST API (Starlette): OAuth2 token, release, cancel, and a look inside.

Auth: `X-Api-Key` with the configured key, or `Authorization: Bearer <token>` from
`POST /oauth/token` (client credentials, HTTP Basic client authentication, RFC 6749 §4.4).
"""

from __future__ import annotations

import base64
import secrets
from urllib.parse import parse_qs

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from crossdock.sandbox.wms.warehouse import Warehouse


def _problem(status: int, title: str, detail: str) -> JSONResponse:
    return JSONResponse(
        {"type": "about:blank", "title": title, "status": status, "detail": detail},
        status_code=status,
        media_type="application/problem+json",
    )


def build_app(
    warehouse: Warehouse,
    *,
    api_key: str | None = None,
    client: tuple[str, str] | None = None,
) -> Starlette:
    """`api_key` or `client` (OAuth2 client id and secret) says which auth is accepted."""
    tokens: set[str] = set()

    def authorised(request: Request) -> bool:
        if api_key is not None and request.headers.get("x-api-key") == api_key:
            return True
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        return scheme.lower() == "bearer" and token in tokens

    async def token(request: Request) -> Response:
        scheme, _, encoded = request.headers.get("authorization", "").partition(" ")
        form = {k: v[0] for k, v in parse_qs((await request.body()).decode()).items()}
        if form.get("grant_type") != "client_credentials":
            return JSONResponse({"error": "unsupported_grant_type"}, status_code=400)
        try:
            given = base64.b64decode(encoded).decode() if scheme.lower() == "basic" else ""
        except ValueError:
            given = ""
        if client is None or given != f"{client[0]}:{client[1]}":
            return JSONResponse({"error": "invalid_client"}, status_code=401)
        issued = secrets.token_hex(16)
        tokens.add(issued)
        return JSONResponse({"access_token": issued, "token_type": "Bearer", "expires_in": 3600})

    async def create(request: Request) -> Response:
        if not authorised(request):
            return _problem(401, "Unauthorized", "missing or wrong API key or bearer token")
        if warehouse.behaviour.outage:
            return _problem(503, "Service Unavailable", "the warehouse system is down")
        body = await request.json()
        if not isinstance(body, dict) or not body.get("order_ref") or not body.get("lines"):
            return _problem(422, "Invalid order", "order_ref and lines are required")
        order, created = warehouse.release(body, request.headers.get("idempotency-key"))
        if warehouse.behaviour.accept_then_fail > 0:
            warehouse.behaviour.accept_then_fail -= 1
            return _problem(503, "Service Unavailable", "stored, but the answer was lost")
        return JSONResponse(
            {"id": order.id, "status": order.status}, status_code=201 if created else 200
        )

    async def cancel(request: Request) -> Response:
        if not authorised(request):
            return _problem(401, "Unauthorized", "missing or wrong API key or bearer token")
        if warehouse.behaviour.outage:
            return _problem(503, "Service Unavailable", "the warehouse system is down")
        order = warehouse.cancel(request.path_params["order_id"])
        if order is None:
            return _problem(404, "Unknown order", f"no order {request.path_params['order_id']}")
        if order.status == "shipped":
            return _problem(409, "Already shipped", f"{order.id} left the warehouse")
        return JSONResponse({"id": order.id, "status": order.status})

    async def labels(request: Request) -> Response:
        if not authorised(request):
            return _problem(401, "Unauthorized", "missing or wrong API key or bearer token")
        if warehouse.behaviour.outage:
            return _problem(503, "Service Unavailable", "the warehouse system is down")
        body = await request.json()
        given = body.get("labels") if isinstance(body, dict) else None
        if not isinstance(given, list) or not given:
            return _problem(422, "Invalid labels", "labels must be a non-empty list")
        order = warehouse.receive_labels(request.path_params["order_id"], given)
        if order is None:
            return _problem(404, "Unknown order", f"no order {request.path_params['order_id']}")
        return JSONResponse({"id": order.id, "status": order.status, "tracking": order.tracking})

    async def orders(_request: Request) -> Response:
        return JSONResponse(
            [
                {
                    "id": o.id,
                    "order_ref": o.body.get("order_ref"),
                    "status": o.status,
                    "received": o.received,
                    "tracking": o.tracking,
                }
                for o in warehouse.orders.values()
            ]
        )

    async def outage(request: Request) -> Response:
        # Not part of the WMS's API: switch the simulated outage on or off (demo, tests).
        warehouse.behaviour.outage = request.query_params.get("on", "true").lower() == "true"
        return JSONResponse({"outage": warehouse.behaviour.outage})

    app = Starlette(
        routes=[
            Route("/sandbox/outage", outage, methods=["POST"]),
            Route("/oauth/token", token, methods=["POST"]),
            Route("/orders", create, methods=["POST"]),
            Route("/orders", orders, methods=["GET"]),
            Route("/orders/{order_id}/cancel", cancel, methods=["POST"]),
            Route("/orders/{order_id}/labels", labels, methods=["POST"]),
        ]
    )
    app.state.warehouse = warehouse
    return app
