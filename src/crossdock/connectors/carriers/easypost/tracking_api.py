"""Ask EasyPost for a tracker (`GET /v2/trackers?tracking_code=`) and answer as its webhook.

Source: EasyPost API reference, "Retrieve a list of Trackers"
(https://docs.easypost.com/docs/trackers#retrieve-a-list-of-trackers), as used by
EasyPost/easypost-python `TrackerService.all(tracking_code=...)`: the answer is
`{"trackers": [Tracker, …], "has_more": bool}`, newest first. The Tracker found is wrapped in
the Event a `tracker.updated` webhook carries, so `mapping.translate` reads it unchanged.
"""

from __future__ import annotations

import hashlib
from typing import Any

import httpx
import orjson

from crossdock.connectors.carriers.easypost.settings import EasyPostApi
from crossdock.connectors.carriers.tracking_http import api_key, get, json_object

PROVIDER = "EasyPost"


async def fetch_tracking(
    http: httpx.AsyncClient, api: EasyPostApi, tracking_number: str, carrier_code: str
) -> bytes | None:
    """The tracker as a `tracker.updated` Event body; None when EasyPost has no tracker."""
    response = await get(
        http,
        PROVIDER,
        api.base_url.rstrip("/") + "/v2/trackers",
        params={"tracking_code": tracking_number},
        auth=(api_key(api.api_key, PROVIDER), ""),
        seconds=api.timeout.total_seconds(),
    )
    if response is None:
        return None
    trackers = json_object(response, PROVIDER).get("trackers")
    if not isinstance(trackers, list):
        return None
    # A number can have trackers at several carriers; prefer the one we were told about.
    matching = [
        t for t in trackers if isinstance(t, dict) and t.get("tracking_code") == tracking_number
    ]
    chosen = next(
        (t for t in matching if _carrier(t) == carrier_code), matching[0] if matching else None
    )
    return None if chosen is None else orjson.dumps(as_event(chosen))


def as_event(tracker: dict[str, Any]) -> dict[str, Any]:
    """The Event EasyPost would post for this tracker's current state.

    Its id is derived from the tracker's content, so polling an unchanged tracker twice
    gives the same body (one inbox message) and a changed tracker gives a new one.
    """
    digest = hashlib.sha256(orjson.dumps(tracker, option=orjson.OPT_SORT_KEYS)).hexdigest()
    return {
        "object": "Event",
        "id": f"evt_poll_{digest[:32]}",
        "description": "tracker.updated",
        "mode": tracker.get("mode", "production"),
        "created_at": tracker.get("updated_at"),
        "updated_at": tracker.get("updated_at"),
        "previous_attributes": {},
        "pending_urls": [],
        "completed_urls": [],
        "status": "completed",
        "result": tracker,
    }


def _carrier(tracker: dict[str, Any]) -> str:
    value = tracker.get("carrier")
    return value.strip().lower() if isinstance(value, str) else ""
