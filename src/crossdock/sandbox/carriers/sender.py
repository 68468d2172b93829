"""Send a scenario to Crossdock as the provider would: one webhook per scan, each carrying
the history so far, signed, posted to `<target>/webhooks/<partner>`."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

import httpx
import orjson

from crossdock.sandbox.carriers.providers import Provider
from crossdock.sandbox.carriers.scenario import Scenario


@dataclass(frozen=True)
class Sent:
    step: int
    """1-based: the webhook that carries the first `step` scans."""
    code: str
    status_code: int
    answer: str


def bodies(provider: Provider, scenario: Scenario) -> list[bytes]:
    """The provider's webhook bodies for the scenario, cumulative, in scan order."""
    return [
        orjson.dumps(provider.webhook(scenario.upto(count)))
        for count in range(1, len(scenario.steps) + 1)
    ]


def sending_order(count: int, out_of_order: bool) -> list[int]:
    """Indexes in the order to send. Out of order swaps neighbours after the first webhook
    (2 before 1, 4 before 3, …), as webhooks retried by the provider arrive in practice."""
    order = list(range(count))
    if out_of_order:
        for index in range(1, count - 1, 2):
            order[index], order[index + 1] = order[index + 1], order[index]
    return order


def webhook_url(target: str, partner: str) -> str:
    return f"{target.rstrip('/')}/webhooks/{partner}"


async def send_scenario(
    http: httpx.AsyncClient,
    provider: Provider,
    target: str,
    partner: str,
    secret: str,
    scenario: Scenario,
    *,
    delay: float = 0.0,
    out_of_order: bool = False,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
    on_sent: Callable[[Sent], None] | None = None,
) -> list[Sent]:
    """Post every webhook of the scenario; the answers come back in sending order."""
    rendered = bodies(provider, scenario)
    url = webhook_url(target, partner)
    results: list[Sent] = []
    for position, index in enumerate(sending_order(len(rendered), out_of_order)):
        if position and delay > 0:
            await asyncio.sleep(delay)
        body = rendered[index]
        signed = provider.sign(body, secret, scenario.upto(index + 1), now())
        response = await http.post(
            url,
            content=body,
            params=signed.params,
            headers={"content-type": "application/json", **signed.headers},
        )
        sent = Sent(index + 1, scenario.steps[index].code, response.status_code, response.text)
        results.append(sent)
        if on_sent is not None:
            on_sent(sent)
    return results
