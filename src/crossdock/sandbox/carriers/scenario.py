"""Tracking scenarios: one shipment's scans, in a neutral form every provider module renders.

A scenario is what really happens to a parcel (label, pickup, line haul, delivery or an
address problem); providers differ only in how they spell it. `upto(n)` is the history a
provider knows after the n-th scan, which is what its n-th webhook carries.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

LABEL_CREATED = "label_created"
PICKED_UP = "picked_up"
DEPARTED = "departed"
ARRIVED = "arrived"
OUT_FOR_DELIVERY = "out_for_delivery"
DELIVERED = "delivered"
ADDRESS_ISSUE = "address_issue"

# The canonical milestone (and reason) each scan must become, whatever the provider.
EXPECTED: dict[str, tuple[str, str | None]] = {
    LABEL_CREATED: ("info_received", None),
    PICKED_UP: ("picked_up", None),
    DEPARTED: ("in_transit", None),
    ARRIVED: ("in_transit", None),
    OUT_FOR_DELIVERY: ("out_for_delivery", None),
    DELIVERED: ("delivered", None),
    ADDRESS_ISSUE: ("exception", "address"),
}

SCENARIOS = ("delivered", "exception")


@dataclass(frozen=True)
class Place:
    city: str
    state: str
    zip: str
    country: str
    """ISO 3166-1 alpha-2."""
    country_iso3: str
    country_name: str
    zone: str
    """IANA zone: carriers report scan times in the scan's local time."""

    def local(self, moment: datetime) -> datetime:
        return moment.astimezone(ZoneInfo(self.zone))


ORLANDO = Place("ORLANDO", "FL", "32809", "US", "USA", "United States", "America/New_York")
MEMPHIS = Place("MEMPHIS", "TN", "38118", "US", "USA", "United States", "America/Chicago")
RALEIGH = Place("RALEIGH", "NC", "27601", "US", "USA", "United States", "America/New_York")


@dataclass(frozen=True)
class Step:
    code: str
    at: datetime
    place: Place
    message: str


@dataclass(frozen=True)
class Scenario:
    name: str
    tracking_number: str
    carrier: str
    """Lower-case carrier code, as `shipment_tracking.carrier_code` holds it."""
    steps: tuple[Step, ...]
    origin: Place
    destination: Place
    estimated_delivery: datetime
    signed_by: str | None = None

    def upto(self, count: int) -> Scenario:
        """The history known after the first `count` scans."""
        return replace(self, steps=self.steps[: max(0, count)])

    @property
    def last(self) -> Step:
        return self.steps[-1]

    @property
    def delivered(self) -> bool:
        return bool(self.steps) and self.last.code == DELIVERED

    def digest(self, *parts: str) -> str:
        """A stable hex id for this scenario's objects, so a resent webhook is identical."""
        text = "\x1f".join((self.tracking_number, self.carrier, str(len(self.steps)), *parts))
        return hashlib.sha256(text.encode()).hexdigest()


def new_tracking_number(rng: random.Random | None = None) -> str:
    """A USPS-looking 22-digit number (Priority Mail prefix 9400 1)."""
    draw = rng or random.Random()
    return "94001" + "".join(str(draw.randrange(10)) for _ in range(17))


_DELIVERED = (
    (LABEL_CREATED, 0, ORLANDO, "Shipping Label Created, USPS Awaiting Item"),
    (PICKED_UP, 5, ORLANDO, "USPS in possession of item"),
    (DEPARTED, 9, ORLANDO, "Departed USPS Regional Facility"),
    (ARRIVED, 22, MEMPHIS, "Arrived at USPS Regional Facility"),
    (ARRIVED, 29, RALEIGH, "Arrived at Post Office"),
    (OUT_FOR_DELIVERY, 31, RALEIGH, "Out for Delivery"),
    (DELIVERED, 35, RALEIGH, "Delivered, Front Desk/Reception/Mail Room"),
)
_EXCEPTION = (
    *_DELIVERED[:5],
    (ADDRESS_ISSUE, 32, RALEIGH, "Addressee Unknown: insufficient address, notice left"),
)


def build(
    name: str,
    tracking_number: str | None = None,
    carrier: str = "usps",
    start: datetime | None = None,
) -> Scenario:
    """The named scenario (`delivered` or `exception`), its first scan at `start` (by
    default 36 hours ago, so the whole story has happened by now)."""
    if name not in SCENARIOS:
        raise ValueError(f"unknown scenario {name!r} (known: {', '.join(SCENARIOS)})")
    first = start or (datetime.now(UTC) - timedelta(hours=36)).replace(second=0, microsecond=0)
    plan = _DELIVERED if name == "delivered" else _EXCEPTION
    steps = tuple(
        Step(code, first + timedelta(hours=hours), place, message)
        for code, hours, place, message in plan
    )
    return Scenario(
        name=name,
        tracking_number=tracking_number or new_tracking_number(),
        carrier=carrier,
        steps=steps,
        origin=ORLANDO,
        destination=RALEIGH,
        estimated_delivery=(first + timedelta(hours=40)).replace(hour=0, minute=0),
        signed_by="J SMITH" if name == "delivered" else None,
    )
