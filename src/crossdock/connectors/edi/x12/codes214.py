"""214 code tables: AT7 shipment status codes (element 1650) to the tracking milestone
vocabulary, and AT707 time codes (element 623) to UTC offsets.

A code not in the table maps to ``unknown`` with the raw code kept, so a carrier's new
status is visible and countable instead of rejecting its whole status message.
"""

from __future__ import annotations

from datetime import timedelta
from types import MappingProxyType

from crossdock.canonical.milestones import ExceptionReason, Milestone

M, R = Milestone, ExceptionReason

STATUSES: MappingProxyType[str, tuple[Milestone, ExceptionReason | None]] = MappingProxyType(
    {
        "XB": (M.INFO_RECEIVED, None),  # shipment acknowledged
        "AA": (M.INFO_RECEIVED, None),  # pick-up appointment date and/or time
        "X3": (M.INFO_RECEIVED, None),  # arrived at pick-up location
        "X8": (M.INFO_RECEIVED, None),  # arrived at pick-up location loading dock
        "CP": (M.PICKED_UP, None),  # completed loading at pick-up location
        "AF": (M.PICKED_UP, None),  # carrier departed pick-up location with shipment
        "AM": (M.PICKED_UP, None),  # loaded on truck
        "X6": (M.IN_TRANSIT, None),  # en route to delivery location
        "X4": (M.IN_TRANSIT, None),  # arrived at terminal location
        "P1": (M.IN_TRANSIT, None),  # departed terminal location
        "I1": (M.IN_TRANSIT, None),  # in-gate
        "OA": (M.IN_TRANSIT, None),  # out-gate
        "J1": (M.IN_TRANSIT, None),  # delivered to connecting line
        "AG": (M.IN_TRANSIT, None),  # estimated delivery
        "X2": (M.IN_TRANSIT, None),  # estimated date and/or time of arrival
        "AB": (M.IN_TRANSIT, None),  # delivery appointment date and/or time
        "AJ": (M.OUT_FOR_DELIVERY, None),  # tendered for delivery
        "X1": (M.OUT_FOR_DELIVERY, None),  # arrived at delivery location
        "X5": (M.OUT_FOR_DELIVERY, None),  # arrived at delivery location loading dock
        "S1": (M.OUT_FOR_DELIVERY, None),  # trailer spotted at consignee's location
        "D1": (M.DELIVERED, None),  # completed unloading at delivery location
        "CD": (M.DELIVERED, None),  # carrier departed delivery location
        "AH": (M.DELIVERY_ATTEMPTED, None),  # attempted delivery
        "AP": (M.EXCEPTION, R.OTHER),  # delivery not completed
        "A7": (M.EXCEPTION, R.REFUSED),  # refused by consignee
        "A9": (M.EXCEPTION, R.DAMAGED),  # shipment damaged
        "SD": (M.EXCEPTION, R.DELAYED),  # shipment delayed
        "A3": (M.RETURNED_TO_SENDER, None),  # shipment returned to shipper
        "CA": (M.CANCELLED, None),  # shipment cancelled
    }
)
WRITE_STATUS = {
    M.INFO_RECEIVED: "XB",
    M.PICKED_UP: "AF",
    M.IN_TRANSIT: "X6",
    M.OUT_FOR_DELIVERY: "AJ",
    M.DELIVERY_ATTEMPTED: "AH",
    M.DELIVERED: "D1",
    M.EXCEPTION: "AP",
    M.RETURNED_TO_SENDER: "A3",
    M.CANCELLED: "CA",
}
"""The code written for a milestone that carries no raw code of its own."""
ESTIMATES = frozenset({"AG", "X2"})
"""Statuses whose date is an estimated delivery, not an event that happened."""

_H = timedelta(hours=1)
TIME_CODES = MappingProxyType(
    {
        "UT": timedelta(0),
        "GM": timedelta(0),
        "Z": timedelta(0),
        "ET": -5 * _H,
        "ED": -4 * _H,
        "CT": -6 * _H,
        "CD": -5 * _H,
        "MT": -7 * _H,
        "MD": -6 * _H,
        "PT": -8 * _H,
        "PD": -7 * _H,
        "AT": -4 * _H,
        "AD": -3 * _H,
        "NT": -3.5 * _H,
        "AK": -9 * _H,
        "HT": -10 * _H,
    }
)
"""AT707 zones with a fixed offset; ``LT`` (local time) takes the partner's zone."""
