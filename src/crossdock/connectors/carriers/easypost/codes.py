"""EasyPost Tracker `status` and `status_detail` values → Crossdock milestones and reasons.

Source: EasyPost API reference, Tracker object (https://docs.easypost.com/docs/trackers),
fields `status` and `status_detail` (also used on each TrackingDetail); the status list
matches the Tracker model of EasyPost/easypost-python and easypost-node. `status` decides
the milestone; a `status_detail` may refine it (a label, a pickup, an exception and why).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from crossdock.canonical.milestones import ExceptionReason, Milestone

# Values seen that this table does not know, keyed by (field, value), so operators can
# see which new EasyPost codes need a mapping. Never an error: the raw code is kept.
UNKNOWN_CODES: Counter[tuple[str, str]] = Counter()

STATUS_MILESTONES: dict[str, Milestone] = {
    "pre_transit": Milestone.INFO_RECEIVED,
    "in_transit": Milestone.IN_TRANSIT,
    "out_for_delivery": Milestone.OUT_FOR_DELIVERY,
    "delivered": Milestone.DELIVERED,
    "available_for_pickup": Milestone.AVAILABLE_FOR_PICKUP,
    "return_to_sender": Milestone.RETURNED_TO_SENDER,
    "failure": Milestone.EXCEPTION,
    "cancelled": Milestone.CANCELLED,
    "error": Milestone.EXCEPTION,
    "unknown": Milestone.UNKNOWN,
}

# status_detail → (milestone it implies, or None to keep the status's; reason, if any).
DETAIL_CODES: dict[str, tuple[Milestone | None, ExceptionReason | None]] = {
    "address_correction": (Milestone.EXCEPTION, ExceptionReason.ADDRESS),
    "arrived_at_destination": (None, None),
    "arrived_at_facility": (None, None),
    "arrived_at_pickup_location": (Milestone.AVAILABLE_FOR_PICKUP, None),
    "awaiting_information": (None, None),
    "cancelled": (Milestone.CANCELLED, None),
    "damaged": (Milestone.EXCEPTION, ExceptionReason.DAMAGED),
    "delayed": (Milestone.EXCEPTION, ExceptionReason.DELAYED),
    "delivery_exception": (Milestone.EXCEPTION, ExceptionReason.OTHER),
    "departed_facility": (None, None),
    "departed_origin_facility": (None, None),
    "expired": (Milestone.EXCEPTION, ExceptionReason.OTHER),
    "failure": (Milestone.EXCEPTION, ExceptionReason.OTHER),
    "held": (Milestone.EXCEPTION, ExceptionReason.OTHER),
    "in_transit": (None, None),
    "label_created": (Milestone.INFO_RECEIVED, None),
    "lost": (Milestone.EXCEPTION, ExceptionReason.LOST),
    "missorted": (Milestone.EXCEPTION, ExceptionReason.DELAYED),
    "out_for_delivery": (Milestone.OUT_FOR_DELIVERY, None),
    "received_at_destination_facility": (None, None),
    "received_at_origin_facility": (Milestone.PICKED_UP, None),
    "refused": (Milestone.EXCEPTION, ExceptionReason.REFUSED),
    "return": (Milestone.RETURNED_TO_SENDER, None),
    "status_update": (None, None),
    "transferred_to_destination_carrier": (None, None),
    "transit_exception": (Milestone.EXCEPTION, ExceptionReason.OTHER),
    "unknown": (None, None),
    "weather_delay": (Milestone.EXCEPTION, ExceptionReason.WEATHER),
}

# Statuses a detail may refine; a delivered, cancelled, returned or failed status stands.
_REFINABLE = frozenset(
    {Milestone.INFO_RECEIVED, Milestone.IN_TRANSIT, Milestone.OUT_FOR_DELIVERY, Milestone.UNKNOWN}
)
_WITH_REASON = frozenset(
    {Milestone.EXCEPTION, Milestone.DELIVERY_ATTEMPTED, Milestone.RETURNED_TO_SENDER}
)


@dataclass(frozen=True)
class Classification:
    milestone: Milestone
    exception_reason: ExceptionReason | None
    unknown: tuple[tuple[str, str], ...]
    """(field, value) pairs this table did not recognise."""


def classify(status: str, status_detail: str | None) -> Classification:
    """Map one EasyPost status (and detail, when given) onto the milestone vocabulary.

    An unrecognised status gives `unknown`; an unrecognised detail keeps what the status
    says (EasyPost adds details more often than statuses). Both are reported in `unknown`.
    """
    unknown: list[tuple[str, str]] = []
    milestone = STATUS_MILESTONES.get(status)
    if milestone is None:
        unknown.append(("status", status))
        milestone = Milestone.UNKNOWN
    reason: ExceptionReason | None = None
    if status_detail:
        known = DETAIL_CODES.get(status_detail)
        if known is None:
            unknown.append(("status_detail", status_detail))
        else:
            implied, reason = known
            if implied is not None and milestone in _REFINABLE:
                milestone = implied
    if milestone is Milestone.EXCEPTION and reason is None:
        reason = ExceptionReason.OTHER
    if milestone not in _WITH_REASON:
        reason = None
    return Classification(milestone, reason, tuple(unknown))
