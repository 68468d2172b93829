"""Ask a generic carrier's tracking endpoint (`api.url_template`) for one tracking number.

The answer is stored as it came: the partner's declarative mapping (`events`, `fields`,
`codes`) reads it exactly as it reads the carrier's webhooks, so a carrier whose API and
webhooks share a shape needs no second mapping. 404 means the carrier does not know it.
"""

from __future__ import annotations

from urllib.parse import quote

import httpx

from crossdock.connectors.carriers.generic_json.settings import GenericApi
from crossdock.connectors.carriers.tracking_http import api_key, get, json_object

PROVIDER = "carrier API"


async def fetch_tracking(
    http: httpx.AsyncClient, api: GenericApi, tracking_number: str, carrier_code: str
) -> bytes | None:
    url = api.url_template.format(
        tracking_number=quote(tracking_number, safe=""), carrier_code=quote(carrier_code, safe="")
    )
    headers = {}
    if api.token is not None:
        headers["Authorization"] = f"Bearer {api_key(api.token, PROVIDER)}"
    response = await get(http, PROVIDER, url, headers=headers, seconds=api.timeout.total_seconds())
    if response is None:
        return None
    json_object(response, PROVIDER)  # stored only when it is a JSON object the mapping can read
    return response.content
