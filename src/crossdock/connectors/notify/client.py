"""The only I/O of outbound notifications: one pooled `httpx.AsyncClient` per process.

Keyed by the running loop too, because an `httpx.AsyncClient` belongs to the loop it was
first used on; a process normally runs one loop, tests run many.
"""

from __future__ import annotations

import asyncio

import httpx

from crossdock.connectors.notify.settings import NotificationsConfig
from crossdock.observe import tracing


def make_http_client(settings: NotificationsConfig) -> httpx.AsyncClient:
    timeout = httpx.Timeout(
        settings.timeout.total_seconds(), connect=settings.connect_timeout.total_seconds()
    )
    # Redirects are not followed: the signature covers one URL the subscriber registered.
    return httpx.AsyncClient(
        timeout=timeout, follow_redirects=False, event_hooks=tracing.HTTPX_HOOKS
    )


class NotifyClients:
    def __init__(self) -> None:
        self._clients: dict[tuple[int, str], httpx.AsyncClient] = {}

    def get(self, settings: NotificationsConfig) -> httpx.AsyncClient:
        key = (
            id(asyncio.get_running_loop()),
            f"{settings.timeout.total_seconds()}/{settings.connect_timeout.total_seconds()}",
        )
        client = self._clients.get(key)
        if client is None:
            client = self._clients[key] = make_http_client(settings)
        return client

    async def aclose(self) -> None:
        """Close the connections opened on the running loop."""
        loop = id(asyncio.get_running_loop())
        for key in [key for key in self._clients if key[0] == loop]:
            await self._clients.pop(key).aclose()


# The process's clients, shared by every delivery job.
CLIENTS = NotifyClients()
