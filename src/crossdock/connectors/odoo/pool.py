"""One Odoo client per partner and process: connection pooling and one login, shared by jobs."""

from __future__ import annotations

import asyncio

import httpx

from crossdock.connectors.odoo.client import OdooClient, make_http_client
from crossdock.connectors.odoo.settings import OdooSettings


class OdooClients:
    def __init__(self) -> None:
        self._clients: dict[tuple[str, str], OdooClient] = {}
        self._http: list[httpx.AsyncClient] = []
        self._lock = asyncio.Lock()

    async def get(self, partner_id: str, settings: OdooSettings) -> OdooClient:
        # Keyed by the settings too, so a changed config gets a fresh client.
        key = (partner_id, settings.model_dump_json())
        async with self._lock:
            client = self._clients.get(key)
            if client is None:
                http = make_http_client(settings)
                self._http.append(http)
                client = OdooClient(settings, http)
                self._clients[key] = client
            return client

    async def aclose(self) -> None:
        async with self._lock:
            for http in self._http:
                await http.aclose()
            self._http.clear()
            self._clients.clear()
