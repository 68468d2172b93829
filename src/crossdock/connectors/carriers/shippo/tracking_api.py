"""Ask Shippo for a Track (`GET /tracks/{carrier}/{tracking_number}`) and answer as its webhook.

Source: Shippo API reference, "Get a tracking status"
(https://docs.goshippo.com/shippoapi/public-api/tracking-status/gettrack; goshippo/
shippo-python-sdk docs/sdks/trackingstatus/README.md): header
`Authorization: ShippoToken <key>`, answer a Track object (`carrier`, `tracking_number`,
`eta`, `tracking_status`, `tracking_history`, …). The `track_updated` webhook carries that
same object as `data`, so the Track is wrapped as `{"event": "track_updated", "data": …}`
and `mapping.translate` reads it unchanged. A Track with no status and no history means
Shippo has nothing for the number yet, the same as a 404.
"""

from __future__ import annotations

from urllib.parse import quote

import httpx
import orjson

from crossdock.connectors.carriers.shippo.settings import ShippoApi
from crossdock.connectors.carriers.tracking_http import api_key, get, json_object

PROVIDER = "Shippo"


async def fetch_tracking(
    http: httpx.AsyncClient, api: ShippoApi, tracking_number: str, carrier_code: str
) -> bytes | None:
    """The Track as a `track_updated` webhook body; None when Shippo knows nothing of it."""
    path = f"/tracks/{quote(carrier_code, safe='')}/{quote(tracking_number, safe='')}"
    response = await get(
        http,
        PROVIDER,
        api.base_url.rstrip("/") + path,
        headers={"Authorization": f"ShippoToken {api_key(api.api_key, PROVIDER)}"},
        seconds=api.timeout.total_seconds(),
    )
    if response is None:
        return None
    track = json_object(response, PROVIDER)
    if track.get("tracking_status") is None and not track.get("tracking_history"):
        return None
    return orjson.dumps({"event": "track_updated", "test": False, "data": track})
