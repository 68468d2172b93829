"""Shippo tracking codes → Crossdock milestones and exception reasons.

Source: Shippo's tracking guide, "Event Definitions" (https://goshippo.com/docs/tracking#event-definitions,
mirrored in goshippo's docs; table of `status`, `substatus` and `action_required`). Each substatus
is documented under exactly one status; `SUBSTATUS_STATUS` keeps that pairing so a payload that
combines them oddly (e.g. Shippo's own sample: DELIVERED + information_received) can be noticed.
"""

from __future__ import annotations

from crossdock.canonical.milestones import ExceptionReason, Milestone

MappedCode = tuple[Milestone, ExceptionReason | None]

STATUSES: dict[str, MappedCode] = {
    "PRE_TRANSIT": (Milestone.INFO_RECEIVED, None),
    "TRANSIT": (Milestone.IN_TRANSIT, None),
    "DELIVERED": (Milestone.DELIVERED, None),
    "RETURNED": (Milestone.RETURNED_TO_SENDER, None),
    "FAILURE": (Milestone.EXCEPTION, ExceptionReason.OTHER),
    "UNKNOWN": (Milestone.UNKNOWN, None),
}

# Substatus code → the status Shippo documents it under.
SUBSTATUS_STATUS: dict[str, str] = {
    "information_received": "PRE_TRANSIT",
    **dict.fromkeys(
        (
            "address_issue",
            "contact_carrier",
            "delayed",
            "delivery_attempted",
            "delivery_rescheduled",
            "delivery_scheduled",
            "location_inaccessible",
            "notice_left",
            "out_for_delivery",
            "package_accepted",
            "package_arrived",
            "package_damaged",
            "package_departed",
            "package_forwarded",
            "package_held",
            "package_processed",
            "package_processing",
            "pickup_available",
            "reschedule_delivery",
        ),
        "TRANSIT",
    ),
    "delivered": "DELIVERED",
    "return_to_sender": "RETURNED",
    # Not in Shippo's table, but seen in integrations; unambiguous, so accepted.
    "returned": "RETURNED",
    "package_unclaimed": "RETURNED",
    "package_undeliverable": "FAILURE",
    "package_disposed": "FAILURE",
    "package_lost": "FAILURE",
    "other": "UNKNOWN",
}

# Substatus → milestone and reason. `None` means "no refinement: use the status".
SUBSTATUSES: dict[str, MappedCode | None] = {
    "information_received": (Milestone.INFO_RECEIVED, None),
    "address_issue": (Milestone.EXCEPTION, ExceptionReason.ADDRESS),
    "contact_carrier": (Milestone.EXCEPTION, ExceptionReason.OTHER),
    "delayed": (Milestone.EXCEPTION, ExceptionReason.DELAYED),
    "delivery_attempted": (Milestone.DELIVERY_ATTEMPTED, None),
    "delivery_rescheduled": (Milestone.IN_TRANSIT, None),
    "delivery_scheduled": (Milestone.IN_TRANSIT, None),
    "location_inaccessible": (Milestone.DELIVERY_ATTEMPTED, ExceptionReason.ADDRESS),
    "notice_left": (Milestone.DELIVERY_ATTEMPTED, ExceptionReason.RECIPIENT_UNAVAILABLE),
    "out_for_delivery": (Milestone.OUT_FOR_DELIVERY, None),
    "package_accepted": (Milestone.PICKED_UP, None),
    "package_arrived": (Milestone.IN_TRANSIT, None),
    "package_damaged": (Milestone.EXCEPTION, ExceptionReason.DAMAGED),
    "package_departed": (Milestone.IN_TRANSIT, None),
    "package_forwarded": (Milestone.IN_TRANSIT, None),
    "package_held": (Milestone.EXCEPTION, ExceptionReason.OTHER),
    "package_processed": (Milestone.IN_TRANSIT, None),
    "package_processing": (Milestone.IN_TRANSIT, None),
    "pickup_available": (Milestone.AVAILABLE_FOR_PICKUP, None),
    "reschedule_delivery": (Milestone.DELIVERY_ATTEMPTED, ExceptionReason.RECIPIENT_UNAVAILABLE),
    "delivered": (Milestone.DELIVERED, None),
    "return_to_sender": (Milestone.RETURNED_TO_SENDER, None),
    "returned": (Milestone.RETURNED_TO_SENDER, None),
    "package_unclaimed": (Milestone.RETURNED_TO_SENDER, ExceptionReason.RECIPIENT_UNAVAILABLE),
    "package_undeliverable": (Milestone.EXCEPTION, ExceptionReason.OTHER),
    "package_disposed": (Milestone.EXCEPTION, ExceptionReason.LOST),
    "package_lost": (Milestone.EXCEPTION, ExceptionReason.LOST),
    "other": None,
}
