"""A simulated generic partner: realistic canonical events, signed with Standard Webhooks."""

from __future__ import annotations

import base64
import os
import random
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson

from crossdock.canonical.event_types import (
    INVENTORY_BALANCE_REPORTED_V1,
    ORDER_CONFIRMED_V1,
    SHIPMENT_CREATED_V1,
    SHIPMENT_MILESTONE_RECORDED_V1,
)
from crossdock.security.standard_webhooks import sign

MILESTONES = ("info_received", "picked_up", "in_transit", "out_for_delivery", "delivered")
SKUS = ("PAL-EURO-120", "BOX-40x30", "TAPE-48MM", "LBL-A6-THERMAL", "STRETCH-23MU")


def new_secret() -> str:
    return "whsec_" + base64.b64encode(os.urandom(24)).decode()


def _party(name: str, city: str, country: str) -> dict[str, Any]:
    return {
        "name": name,
        "address": {
            "line1": "1 Quay Road",
            "city": city,
            "postal_code": "1000",
            "country_code": country,
        },
    }


def order_confirmed(number: int, at: datetime) -> dict[str, Any]:
    return {
        "type": ORDER_CONFIRMED_V1,
        "subject": f"SO{number:05d}",
        "time": at.isoformat(),
        "data": {
            "order_number": f"SO{number:05d}",
            "ship_to": _party("Harbor Retail", "Antwerp", "BE"),
            "currency": "EUR",
            "lines": [
                {
                    "line_id": str(line),
                    "sku": SKUS[(number + line) % len(SKUS)],
                    "quantity": {"value": str(1 + line), "uom": "EA"},
                    "unit_price": "12.50",
                }
                for line in range(1, 3)
            ],
        },
    }


def shipment_created(number: int, at: datetime) -> dict[str, Any]:
    return {
        "type": SHIPMENT_CREATED_V1,
        "subject": f"1Z{number:010d}",
        "time": at.isoformat(),
        "data": {
            "shipment_id": f"WH/OUT/{number:05d}",
            "order_reference": f"SO{number:05d}",
            "carrier_code": "ups",
            "service_level": "ground",
            "ship_from": _party("Crossdock DC1", "Rotterdam", "NL"),
            "ship_to": _party("Harbor Retail", "Antwerp", "BE"),
            "packages": [
                {
                    "tracking_number": f"1Z{number:010d}",
                    "weight": {"value": "4.20", "unit": "kg"},
                }
            ],
        },
    }


def milestone(number: int, step: int, at: datetime) -> dict[str, Any]:
    return {
        "type": SHIPMENT_MILESTONE_RECORDED_V1,
        "subject": f"1Z{number:010d}",
        "time": at.isoformat(),
        "lanekey": f"shipment:1Z{number:010d}",
        "data": {
            "tracking_number": f"1Z{number:010d}",
            "carrier_code": "ups",
            "milestone": MILESTONES[step % len(MILESTONES)],
            "occurred_at": at.isoformat(),
            "raw_code": ("MP", "P", "I", "O", "D")[step % 5],
            "raw_text": MILESTONES[step % len(MILESTONES)].replace("_", " "),
        },
    }


def inventory(number: int, at: datetime) -> dict[str, Any]:
    return {
        "type": INVENTORY_BALANCE_REPORTED_V1,
        "subject": f"{SKUS[number % len(SKUS)]}@DC1",
        "time": at.isoformat(),
        "data": {
            "sku": SKUS[number % len(SKUS)],
            "location": {"code": "DC1/Stock"},
            "uom": "EA",
            "on_hand": str(100 + number),
            "available": str(90 + number),
            "as_of": at.isoformat(),
        },
    }


def sample_event(index: int, rng: random.Random, start: datetime | None = None) -> dict[str, Any]:
    """A varied, valid canonical event; `index` makes its subject unique-ish."""
    at = (start or datetime.now(UTC)) + timedelta(seconds=index)
    kind = rng.randrange(4)
    if kind == 0:
        return order_confirmed(index, at)
    if kind == 1:
        return shipment_created(index, at)
    if kind == 2:
        return milestone(index % 50, index, at)
    return inventory(index, at)


def signed_headers(
    secret: str, body: bytes, msg_id: str, timestamp: int | None = None
) -> dict[str, str]:
    ts = int(time.time()) if timestamp is None else timestamp
    return {
        "content-type": "application/json",
        "webhook-id": msg_id,
        "webhook-timestamp": str(ts),
        "webhook-signature": sign(secret, msg_id, ts, body),
    }


def encode(event: dict[str, Any]) -> bytes:
    return orjson.dumps(event)
