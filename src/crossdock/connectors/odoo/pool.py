"""One Odoo client per partner, settings and event loop: pooled connections, one login.

Keyed by the running loop too, because an `httpx.AsyncClient` belongs to the loop it was
first used on; a process normally runs one loop, tests run many.
"""

from __future__ import annotations

import asyncio

import httpx

from crossdock.connectors.odoo.client import OdooClient, make_http_client
from crossdock.connectors.odoo.settings import OdooSettings


class OdooClients:
    def __init__(self) -> None:
        self._clients: dict[tuple[int, str, str], tuple[OdooClient, httpx.AsyncClient]] = {}

    def get(self, partner_id: str, settings: OdooSettings) -> OdooClient:
        key = (id(asyncio.get_running_loop()), partner_id, settings.model_dump_json())
        entry = self._clients.get(key)
        if entry is None:
            http = make_http_client(settings)
            entry = (OdooClient(settings, http), http)
            self._clients[key] = entry
        return entry[0]

    async def aclose(self) -> None:
        """Close the connections opened on the running loop."""
        loop = id(asyncio.get_running_loop())
        for key in [key for key in self._clients if key[0] == loop]:
            _client, http = self._clients.pop(key)
            await http.aclose()


# The process's clients, shared by the poll job and enrichment.
CLIENTS = OdooClients()
