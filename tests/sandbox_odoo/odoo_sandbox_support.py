"""Serve the Odoo sandbox over real HTTP and talk to it in Odoo's documented wire format.

Nothing here goes through a Crossdock client: requests are built by hand, as the Odoo external
API documentation shows them, so the tests pin the wire format itself.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import socket
import threading
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import uvicorn

from crossdock.sandbox.odoo import ADMIN_API_KEY, ADMIN_PASSWORD, ADMIN_UID, SANDBOX_DB
from crossdock.sandbox.odoo.orm import OdooDatabase
from crossdock.sandbox.odoo.server import build_app

_ids = itertools.count(1)


def _listening_socket() -> socket.socket:
    # IPPROTO_TCP explicitly: asyncio sets TCP_NODELAY only on sockets whose proto says TCP,
    # and without it each response waits ~40 ms on the client's delayed ACK.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


def _server(app: Any) -> uvicorn.Server:
    config = uvicorn.Config(
        app, log_config=None, log_level="warning", access_log=False, lifespan="off", ws="none"
    )
    return uvicorn.Server(config)


class ThreadedSandbox:
    """One sandbox app served from a background thread for a whole test session.

    Each test swaps in a fresh database (``app.state.odoo``), so tests stay independent while
    paying uvicorn's start and stop (about 0.2 s) once per version instead of once per test.
    """

    def __init__(self, version: int) -> None:
        self.app = build_app(version, seed=False)
        self._sock = _listening_socket()
        self.url = f"http://127.0.0.1:{self._sock.getsockname()[1]}"
        self._server = _server(self.app)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._sock]}, daemon=True
        )
        self._thread.start()
        while not self._server.started:
            if not self._thread.is_alive():
                raise RuntimeError("the sandbox stopped before it started")
            threading.Event().wait(0.005)

    def fresh(self, version: int) -> OdooDatabase:
        database = OdooDatabase(version)
        self.app.state.odoo = database
        return database

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)
        self._sock.close()


@contextlib.asynccontextmanager
async def serving(app: Any) -> AsyncIterator[str]:
    """Run ``app`` with uvicorn in this event loop on a free local port; yield its base URL."""
    with _listening_socket() as sock:
        port = sock.getsockname()[1]
        server = _server(app)
        task = asyncio.create_task(server.serve(sockets=[sock]))
        try:
            while not server.started:
                if task.done():
                    task.result()
                    raise RuntimeError("the sandbox stopped before it started")
                await asyncio.sleep(0.005)
            yield f"http://127.0.0.1:{port}"
        finally:
            server.should_exit = True
            await task


class RpcFault(Exception):
    """A JSON-RPC error reply; ``error`` is the reply's ``error`` member."""

    def __init__(self, error: dict[str, Any]) -> None:
        super().__init__(error["data"]["message"])
        self.error = error

    @property
    def name(self) -> str:
        return str(self.error["data"]["name"])

    @property
    def message(self) -> str:
        return str(self.error["data"]["message"])


@dataclass
class Sandbox:
    """A running sandbox: its base URL, an HTTP client and the in-process database."""

    url: str
    http: httpx.AsyncClient
    odoo: OdooDatabase

    @property
    def version(self) -> int:
        return self.odoo.version.major

    async def rpc_raw(self, service: str, method: str, *args: Any) -> dict[str, Any]:
        """POST /jsonrpc exactly as the external API documentation shows it."""
        payload = {
            "jsonrpc": "2.0",
            "method": "call",
            "params": {"service": service, "method": method, "args": list(args)},
            "id": next(_ids),
        }
        response = await self.http.post(f"{self.url}/jsonrpc", json=payload)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        assert body["jsonrpc"] == "2.0"
        assert body["id"] == payload["id"]
        return body

    async def rpc(self, service: str, method: str, *args: Any) -> Any:
        body = await self.rpc_raw(service, method, *args)
        if "error" in body:
            raise RpcFault(body["error"])
        return body.get("result")

    async def execute(
        self,
        model: str,
        method: str,
        *args: Any,
        uid: int = ADMIN_UID,
        password: str = ADMIN_PASSWORD,
        **kwargs: Any,
    ) -> Any:
        """``object.execute_kw(db, uid, password, model, method, args, kwargs)``."""
        return await self.rpc(
            "object", "execute_kw", SANDBOX_DB, uid, password, model, method, list(args), kwargs
        )

    async def json2(
        self, model: str, method: str, key: str | None = ADMIN_API_KEY, **body: Any
    ) -> httpx.Response:
        """POST /json/2/<model>/<method> with a bearer API key and named arguments."""
        headers = {"X-Odoo-Database": SANDBOX_DB}
        if key is not None:
            headers["Authorization"] = f"bearer {key}"
        return await self.http.post(
            f"{self.url}/json/2/{model}/{method}", json=body, headers=headers
        )


@contextlib.asynccontextmanager
async def running(version: int, db_path: Path | None = None) -> AsyncIterator[Sandbox]:
    app = build_app(version, db_path)
    async with serving(app) as url, httpx.AsyncClient(timeout=10) as http:
        yield Sandbox(url, http, app.state.odoo)


async def ready_picking(box: Sandbox, lines: list[tuple[str, float]]) -> tuple[int, int]:
    """Confirm a new sale order for ``(default_code, qty)`` lines; return (order, picking) ids."""
    customer = box.odoo.ref("sandbox.customer_01")
    order_lines = []
    for code, qty in lines:
        [product] = await box.execute("product.product", "search", [["default_code", "=", code]])
        order_lines.append([0, 0, {"product_id": product, "product_uom_qty": qty}])
    order = await box.execute(
        "sale.order", "create", {"partner_id": customer, "order_line": order_lines}
    )
    assert await box.execute("sale.order", "action_confirm", [order]) is True
    [so] = await box.execute("sale.order", "read", [order], ["picking_ids"])
    [picking] = so["picking_ids"]
    return order, picking
