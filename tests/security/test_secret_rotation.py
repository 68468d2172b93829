"""A partner's webhook secret rotated without downtime: the old and the new one both verify
during the overlap window, which then closes by itself, by the clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

from crossdock.clock import FrozenClock
from crossdock.config import PartnerConfig
from crossdock.sandbox.generic_partner import encode, order_confirmed, signed_headers
from crossdock.security.settings import RetiringSecret
from crossdock.web.app import create_app
from support.factories import make_config, make_runtime, partner_secret
from support.server import serving

NOW = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)


async def test_old_and_new_secrets_overlap_then_the_old_one_stops(
    sqlite_url: str, tmp_path: Path
) -> None:
    old_secret, old_ref = partner_secret(tmp_path, "old")
    new_secret, new_ref = partner_secret(tmp_path, "new")
    partner = PartnerConfig(
        id="acme",
        kind="generic",
        secrets=[new_ref],
        retiring_secrets=[RetiringSecret(ref=old_ref, until=NOW + timedelta(hours=6))],
    )
    clock = FrozenClock(NOW)
    runtime = make_runtime(make_config(sqlite_url, [], partners=[partner]), clock)
    body = encode(order_confirmed(1, NOW))

    async def post(secret: str, msg_id: str) -> int:
        headers = signed_headers(secret, body, msg_id, int(clock.now().timestamp()))
        answer = await http.post(f"{url}/webhooks/acme", content=body, headers=headers)
        return answer.status_code

    async with serving(create_app(runtime, run_workers=False)) as url, httpx.AsyncClient() as http:
        assert await post(old_secret, "m-1") == 202
        assert await post(new_secret, "m-2") == 202
        clock.advance(timedelta(hours=6))
        assert await post(old_secret, "m-3") == 401
        assert await post(new_secret, "m-4") == 202
