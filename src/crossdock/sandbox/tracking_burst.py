"""A burst of carrier tracking milestones for pickings in the Odoo sandbox (tests, benchmarks)."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

from crossdock.canonical.envelope import Envelope
from crossdock.canonical.event_types import SHIPMENT_MILESTONE_RECORDED_V1
from crossdock.canonical.milestones import TrackingMilestone
from crossdock.canonical.registry import build_event
from crossdock.connectors.odoo.client import OdooClient, make_http_client
from crossdock.connectors.odoo.settings import OdooSettings

MILESTONES = ("info_received", "picked_up", "in_transit", "out_for_delivery", "delivered")


async def create_pickings(settings: OdooSettings, count: int, prefix: str) -> list[dict[str, Any]]:
    """Outgoing pickings with tracking numbers `<prefix><n>`, created in one RPC."""
    async with make_http_client(settings) as http:
        client = OdooClient(settings, http)
        [kind] = await client.search_read(
            "stock.picking.type",
            [("code", "=", "outgoing")],
            ["default_location_src_id", "default_location_dest_id"],
            limit=1,
        )
        ids = await client.create(
            "stock.picking",
            [
                {
                    "picking_type_id": kind["id"],
                    "location_id": kind["default_location_src_id"][0],
                    "location_dest_id": kind["default_location_dest_id"][0],
                    "carrier_tracking_ref": f"{prefix}{n:06d}",
                }
                for n in range(count)
            ],
        )
        return await client.read("stock.picking", ids, ["name", "carrier_tracking_ref"])


def milestone_events(
    pickings: list[dict[str, Any]], per_picking: int, start: datetime, seed: int = 5
) -> list[Envelope]:
    """`per_picking` successive milestones for each picking, shuffled so that older events
    often arrive after newer ones; half name the picking, half only its tracking number."""
    envelopes = []
    for picking in pickings:
        tracking = str(picking["carrier_tracking_ref"])
        for step in range(per_picking):
            milestone = MILESTONES[min(step, len(MILESTONES) - 1)]
            at = start + timedelta(minutes=30 * step)
            data = TrackingMilestone(
                tracking_number=tracking,
                carrier_code="ups",
                milestone=milestone,
                occurred_at=at,
                raw_code=milestone[:2].upper(),
                raw_text=milestone.replace("_", " "),
                shipment_id=str(picking["name"]) if step % 2 else None,
            )
            envelopes.append(
                build_event(
                    SHIPMENT_MILESTONE_RECORDED_V1,
                    data,
                    source="/carriers/ups",
                    subject=tracking,
                    lanekey=f"shipment:{tracking}",
                    time=at,
                )
            )
    random.Random(seed).shuffle(envelopes)
    return envelopes
