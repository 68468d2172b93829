"""Release with OAuth2 client credentials, and the WMS's webhooks at Crossdock's intake: an
unsigned one refused, an unmappable one kept and visible, never dropped."""

from __future__ import annotations

from pathlib import Path

import orjson

from crossdock.ids import new_id
from crossdock.sandbox.wms.stack import WMS, running_stack
from crossdock.security.standard_webhooks import sign


async def test_oauth_release_and_webhooks_that_cannot_be_used(
    sqlite_url: str, tmp_path: Path
) -> None:
    async with running_stack(sqlite_url, tmp_path, oauth=True) as stack:
        order, _name = stack.confirm_order([(23, 1.0)])
        await stack.settle(rounds=2)
        row = stack.fulfillment(stack.picking_of(order)["name"])
        url = f"{stack.url}/webhooks/{WMS}"
        unsigned = await stack.http.post(url, content=b'{"event": "SHIPPED"}')
        body = orjson.dumps({"event": "TELEPORTED", "order_ref": row.fulfillment_id})
        msg_id, at = f"msg_{new_id()}", int(stack.clock.now().timestamp())
        assert stack.warehouse.secret is not None
        headers = {
            "webhook-id": msg_id,
            "webhook-timestamp": str(at),
            "webhook-signature": sign(stack.warehouse.secret, msg_id, at, body),
        }
        kept = await stack.http.post(url, content=body, headers=headers)
        await stack.settle(execute=False, rounds=1)
        stored = stack.runtime.inbox.get(kept.json()["message_id"])
        dead = stack.runtime.queue.dead_jobs()
    assert row.state == "shipped"
    assert unsigned.status_code == 401
    assert unsigned.headers["content-type"].startswith("application/problem+json")
    assert kept.status_code == 202
    assert stored is not None and stored.status == "failed"
    assert stored.error is not None and "'TELEPORTED' is not one of" in stored.error
    assert [job.job_type for job in dead] == ["pipeline.translate"]
