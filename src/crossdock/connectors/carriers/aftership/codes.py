"""AfterShip delivery statuses (`tag`) and sub-statuses (`subtag`) → canonical milestones.

Source: AfterShip Tracking docs, "Delivery Statuses"
(https://www.aftership.com/docs/tracking/2025-01/enum/delivery-statuses) and
"Delivery Sub-statuses" (https://www.aftership.com/docs/tracking/2026-07/enum/delivery-sub-statuses,
plus https://support.aftership.com/en/article/learn-about-delivery-sub-statuses-1b0hdlx/ for
Exception_016..018, added 2026-03-27). Codes AfterShip adds later are not errors: the mapper
falls back to the tag's milestone (or `unknown`) and counts them in `mapping.UNKNOWN_CODES`.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from crossdock.canonical.milestones import ExceptionReason, Milestone

Status = tuple[Milestone, ExceptionReason | None]

# Tag → milestone, used when a subtag is absent or not listed below. `Pending` means
# AfterShip has nothing from the carrier yet, which our vocabulary calls `unknown`;
# `Expired` (no carrier update for 30 days) is an exception someone must chase.
TAGS: Mapping[str, Status] = MappingProxyType(
    {
        "Pending": (Milestone.UNKNOWN, None),
        "InfoReceived": (Milestone.INFO_RECEIVED, None),
        "InTransit": (Milestone.IN_TRANSIT, None),
        "OutForDelivery": (Milestone.OUT_FOR_DELIVERY, None),
        "AttemptFail": (Milestone.DELIVERY_ATTEMPTED, None),
        "Delivered": (Milestone.DELIVERED, None),
        "AvailableForPickup": (Milestone.AVAILABLE_FOR_PICKUP, None),
        "Exception": (Milestone.EXCEPTION, ExceptionReason.OTHER),
        "Expired": (Milestone.EXCEPTION, ExceptionReason.OTHER),
    }
)

_EXC = Milestone.EXCEPTION
_R = ExceptionReason

SUBTAGS: Mapping[str, Status] = MappingProxyType(
    {
        # Pending: no information yet / tracking added / awaiting carrier data.
        "Pending_001": (Milestone.UNKNOWN, None),
        "Pending_002": (Milestone.UNKNOWN, None),
        "Pending_003": (Milestone.UNKNOWN, None),
        "Pending_004": (Milestone.UNKNOWN, None),
        "Pending_005": (Milestone.UNKNOWN, None),
        "Pending_006": (Milestone.UNKNOWN, None),
        "InfoReceived_001": (Milestone.INFO_RECEIVED, None),  # Info received
        "InTransit_001": (Milestone.IN_TRANSIT, None),  # In transit
        "InTransit_002": (Milestone.PICKED_UP, None),  # Acceptance scan (carrier took it)
        "InTransit_003": (Milestone.IN_TRANSIT, None),  # Arrival scan
        "InTransit_004": (Milestone.IN_TRANSIT, None),  # Arrived at destination country
        "InTransit_005": (Milestone.IN_TRANSIT, None),  # Customs clearance completed
        "InTransit_006": (Milestone.IN_TRANSIT, None),  # Customs clearance started
        "InTransit_007": (Milestone.IN_TRANSIT, None),  # Departure scan
        "InTransit_008": (Milestone.IN_TRANSIT, None),  # Problem resolved
        "InTransit_009": (Milestone.IN_TRANSIT, None),  # Forwarded to a different address
        "OutForDelivery_001": (Milestone.OUT_FOR_DELIVERY, None),  # Out for delivery
        "OutForDelivery_003": (Milestone.OUT_FOR_DELIVERY, None),  # Customer contacted
        "OutForDelivery_004": (Milestone.OUT_FOR_DELIVERY, None),  # Delivery appointment
        "AttemptFail_001": (Milestone.DELIVERY_ATTEMPTED, None),  # Failed attempt
        "AttemptFail_002": (Milestone.DELIVERY_ATTEMPTED, _R.RECIPIENT_UNAVAILABLE),
        "AttemptFail_003": (Milestone.DELIVERY_ATTEMPTED, _R.RECIPIENT_UNAVAILABLE),  # closed
        "Delivered_001": (Milestone.DELIVERED, None),  # Delivered
        "Delivered_002": (Milestone.DELIVERED, None),  # Picked up by the customer
        "Delivered_003": (Milestone.DELIVERED, None),  # Signed by customer
        "Delivered_004": (Milestone.DELIVERED, None),  # Delivered, cash on delivery collected
        "Delivered_005": (Milestone.DELIVERED, None),  # Delivered to neighbor
        "AvailableForPickup_001": (Milestone.AVAILABLE_FOR_PICKUP, None),
        "Exception_001": (_EXC, _R.OTHER),  # Exception
        "Exception_002": (_EXC, _R.ADDRESS),  # Customer moved
        "Exception_003": (_EXC, _R.REFUSED),  # Customer refused delivery
        "Exception_004": (_EXC, _R.CUSTOMS),  # Delayed (customs clearance)
        "Exception_005": (_EXC, _R.DELAYED),  # Delayed (external factors)
        "Exception_006": (_EXC, _R.OTHER),  # Held for payment
        "Exception_007": (_EXC, _R.ADDRESS),  # Incorrect address
        "Exception_008": (_EXC, _R.RECIPIENT_UNAVAILABLE),  # Pick up missed
        "Exception_009": (_EXC, _R.OTHER),  # Rejected by carrier
        "Exception_010": (Milestone.RETURNED_TO_SENDER, None),  # Returning to sender
        "Exception_011": (Milestone.RETURNED_TO_SENDER, None),  # Returned to sender
        "Exception_012": (_EXC, _R.DAMAGED),  # Shipment damage
        "Exception_013": (_EXC, _R.LOST),  # Shipment lost
        "Exception_016": (_EXC, _R.DELAYED),  # Delayed (processing issue)
        "Exception_017": (_EXC, _R.WEATHER),  # Delayed (extreme weather)
        "Exception_018": (_EXC, _R.CUSTOMS),  # Incorrect / missing documents
        "Expired_001": (_EXC, _R.OTHER),  # No recent update
    }
)

# ISO 3166-1 alpha-3 → alpha-2 for the countries carriers report most; a code not listed
# here leaves the location's country empty (the place name is still kept).
ISO3_TO_ISO2: Mapping[str, str] = MappingProxyType(
    {
        "ARE": "AE", "ARG": "AR", "AUS": "AU", "AUT": "AT", "BEL": "BE", "BGR": "BG",
        "BRA": "BR", "CAN": "CA", "CHE": "CH", "CHL": "CL", "CHN": "CN", "COL": "CO",
        "CYP": "CY", "CZE": "CZ", "DEU": "DE", "DNK": "DK", "EGY": "EG", "ESP": "ES",
        "EST": "EE", "FIN": "FI", "FRA": "FR", "GBR": "GB", "GRC": "GR", "HKG": "HK",
        "HRV": "HR", "HUN": "HU", "IDN": "ID", "IND": "IN", "IRL": "IE", "ISL": "IS",
        "ISR": "IL", "ITA": "IT", "JPN": "JP", "KOR": "KR", "LTU": "LT", "LUX": "LU",
        "LVA": "LV", "MAR": "MA", "MEX": "MX", "MLT": "MT", "MYS": "MY", "NLD": "NL",
        "NOR": "NO", "NZL": "NZ", "PER": "PE", "PHL": "PH", "POL": "PL", "PRT": "PT",
        "ROU": "RO", "RUS": "RU", "SAU": "SA", "SGP": "SG", "SRB": "RS", "SVK": "SK",
        "SVN": "SI", "SWE": "SE", "THA": "TH", "TUR": "TR", "TWN": "TW", "UKR": "UA",
        "USA": "US", "VNM": "VN", "ZAF": "ZA",
    }
)  # fmt: skip
