"""Ask AfterShip for a tracking (`GET /trackings?tracking_numbers=`) and answer as its webhook.

Source: AfterShip Tracking API 2024-07, "Get trackings"
(https://www.aftership.com/docs/tracking/2024-07/jh865r66gc6hi-get-trackings; OpenAPI at
stoplight.io, project automizely/docs-api-aftership-com, branch production/2024-07): base
`https://api.aftership.com/tracking/2024-07`, header `as-api-key`, query `tracking_numbers`
(comma separated, up to 50) and `slug`; the answer is the body envelope
`{"meta": {"code": 200}, "data": {…, "trackings": [tracking, …]}}`. The tracking found is
wrapped in the `tracking_update` webhook envelope ("Webhook Specifications"), so
`mapping.translate` reads it unchanged.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

import httpx
import orjson

from crossdock.connectors.carriers.aftership.settings import AfterShipApi
from crossdock.connectors.carriers.tracking_http import api_key, get, json_object

PROVIDER = "AfterShip"


async def fetch_tracking(
    http: httpx.AsyncClient, api: AfterShipApi, tracking_number: str, carrier_code: str
) -> bytes | None:
    """The tracking as a `tracking_update` webhook body; None when AfterShip has none."""
    response = await get(
        http,
        PROVIDER,
        api.base_url.rstrip("/") + "/trackings",
        params={"tracking_numbers": tracking_number, "slug": carrier_code},
        headers={"as-api-key": api_key(api.api_key, PROVIDER)},
        seconds=api.timeout.total_seconds(),
    )
    if response is None:
        return None
    data = json_object(response, PROVIDER).get("data")
    trackings = data.get("trackings") if isinstance(data, dict) else None
    if not isinstance(trackings, list):
        return None
    found = next(
        (
            t
            for t in trackings
            if isinstance(t, dict)
            and t.get("tracking_number") == tracking_number
            and str(t.get("slug", "")).lower() == carrier_code
        ),
        None,
    )
    return None if found is None else orjson.dumps(as_webhook(found))


def as_webhook(tracking: dict[str, Any]) -> dict[str, Any]:
    """The `tracking_update` webhook AfterShip would post for this tracking as it stands.

    `event_id` is derived from the content (AfterShip's is a UUID per delivery), so an
    unchanged tracking polled twice is the same body, hence one inbox message.
    """
    digest = hashlib.sha256(orjson.dumps(tracking, option=orjson.OPT_SORT_KEYS)).hexdigest()
    return {
        "event": "tracking_update",
        "event_id": f"poll-{digest[:32]}",
        "is_tracking_first_tag": False,
        "msg": tracking,
        "ts": _timestamp(tracking.get("updated_at")),
    }


def _timestamp(value: Any) -> int | None:
    if not isinstance(value, str):
        return None
    try:
        return int(datetime.fromisoformat(value).timestamp())
    except ValueError:
        return None
