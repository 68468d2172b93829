"""The sandbox as an ASGI application, and a command to serve it with uvicorn.

``build_app`` wires the routes of a real Odoo server that an integration uses
(``/web/webclient/version_info``, ``/web/version`` on 19, ``/jsonrpc``, ``/json/2/...`` on 19)
onto one simulated database, reachable as ``app.state.odoo`` for tests and the demo.
"""

from __future__ import annotations

from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from crossdock.sandbox.odoo import (
    ADMIN_API_KEY,
    ADMIN_LOGIN,
    ADMIN_PASSWORD,
    BOT_API_KEY,
    BOT_LOGIN,
    BOT_PASSWORD,
    READONLY_API_KEY,
    READONLY_LOGIN,
    READONLY_PASSWORD,
    SANDBOX_DB,
)
from crossdock.sandbox.odoo.orm import OdooDatabase
from crossdock.sandbox.odoo.protocol.json2 import json2_endpoint
from crossdock.sandbox.odoo.protocol.jsonrpc import jsonrpc_endpoint, version_info_endpoint
from crossdock.sandbox.odoo.protocol.responses import not_found_handler
from crossdock.sandbox.odoo.protocol.web import web_version_endpoint

ALL_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]


def build_app(version: int = 18, db_path: Path | None = None, seed: bool = True) -> Starlette:
    """A simulated Odoo ``version`` (16 to 19); ``db_path`` keeps its data across restarts."""
    database = OdooDatabase(version, db_path, seed=seed)
    app = Starlette(
        routes=[
            Route("/web/webclient/version_info", version_info_endpoint, methods=["POST"]),
            Route("/web/version", web_version_endpoint, methods=["GET", "HEAD"]),
            Route("/jsonrpc", jsonrpc_endpoint, methods=["POST"]),
            Route("/json/2/{model}/{method}", json2_endpoint, methods=ALL_METHODS),
            # Not an Odoo route: the calls served so far, for benchmarks that count them.
            Route("/sandbox/served", served_endpoint, methods=["GET"]),
        ],
        exception_handlers={404: not_found_handler},
    )
    app.state.odoo = database
    return app


async def served_endpoint(request: Request) -> Response:
    """Calls served by service.method (JSON-RPC) or json2.method, since the sandbox started."""
    database: OdooDatabase = request.app.state.odoo
    return JSONResponse(dict(database.served))


def login_banner(version: int, url: str) -> str:
    lines = [
        f"Odoo {version}.0 sandbox (simulated) at {url}",
        f"  database: {SANDBOX_DB}",
        f"  {ADMIN_LOGIN:<9} password {ADMIN_PASSWORD:<9} API key {ADMIN_API_KEY}",
        f"  {BOT_LOGIN:<9} password {BOT_PASSWORD:<9} API key {BOT_API_KEY}",
        f"  {READONLY_LOGIN:<9} password {READONLY_PASSWORD:<9} API key {READONLY_API_KEY}",
    ]
    if version >= 19:
        lines.append(
            f"  JSON-2: POST {url}/json/2/<model>/<method> with 'Authorization: bearer <key>'"
        )
    lines.append(f"  JSON-RPC: POST {url}/jsonrpc")
    return "\n".join(lines)


def serve(
    port: int = 8069,
    version: int = 18,
    db_path: Path | None = None,
    host: str = "127.0.0.1",
) -> None:
    """Run the sandbox until interrupted, printing how to log in first."""
    import uvicorn  # noqa: PLC0415 - only the command needs it

    app = build_app(version, db_path)
    print(login_banner(version, f"http://{host}:{port}"), flush=True)
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)
