"""Canonical tracking milestone: one carrier scan mapped onto a small, shared status vocabulary."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field, HttpUrl, model_validator

from crossdock.canonical.common import LocationRef
from crossdock.canonical.primitives import CanonicalModel, Code, NonEmptyStr, Timestamp


class Milestone(StrEnum):
    """Normalised shipment status, so Odoo and dashboards need not know every carrier's codes."""

    INFO_RECEIVED = "info_received"
    PICKED_UP = "picked_up"
    IN_TRANSIT = "in_transit"
    OUT_FOR_DELIVERY = "out_for_delivery"
    DELIVERY_ATTEMPTED = "delivery_attempted"
    AVAILABLE_FOR_PICKUP = "available_for_pickup"
    DELIVERED = "delivered"
    EXCEPTION = "exception"
    RETURNED_TO_SENDER = "returned_to_sender"
    CANCELLED = "cancelled"
    UNKNOWN = "unknown"


class ExceptionReason(StrEnum):
    """Why a shipment is not progressing, so exceptions can be routed to the right team."""

    ADDRESS = "address"
    DAMAGED = "damaged"
    LOST = "lost"
    CUSTOMS = "customs"
    DELAYED = "delayed"
    REFUSED = "refused"
    WEATHER = "weather"
    RECIPIENT_UNAVAILABLE = "recipient_unavailable"
    OTHER = "other"


# Milestones that describe a problem and may therefore carry a reason.
_MILESTONES_WITH_REASON = frozenset(
    {Milestone.EXCEPTION, Milestone.DELIVERY_ATTEMPTED, Milestone.RETURNED_TO_SENDER}
)


class ProofOfDelivery(CanonicalModel):
    """What the carrier offers as evidence that the parcel arrived: who signed, and links to
    the signature image or doorstep photos. Links are kept as given (they often expire)."""

    signed_by: str | None = Field(default=None, min_length=1)
    signature_url: HttpUrl | None = None
    photo_urls: list[HttpUrl] = Field(default_factory=list)

    @model_validator(mode="after")
    def _not_empty(self) -> ProofOfDelivery:
        if self.signed_by is None and self.signature_url is None and not self.photo_urls:
            raise ValueError("proof of delivery needs a signer, a signature or a photo")
        return self


class TrackingMilestone(CanonicalModel):
    """A carrier tracking event; the payload of ``crossdock.shipment.milestone_recorded.v1``."""

    tracking_number: NonEmptyStr
    carrier_code: Code
    milestone: Milestone
    exception_reason: ExceptionReason | None = None
    """Required when milestone is ``exception``; allowed for attempts and returns."""
    occurred_at: Timestamp
    """When the carrier says the event happened (not when Crossdock heard of it)."""
    location: LocationRef | None = None
    raw_code: str
    """The carrier's own status code, kept verbatim so mappings can be audited and redone;
    empty only when the carrier sends none."""
    raw_text: str
    """The carrier's own status text, kept verbatim; empty only when the carrier sends none."""
    estimated_delivery_at: Timestamp | None = None
    shipment_id: str | None = None
    """Crossdock shipment this tracking number belongs to, when already known."""
    proof_of_delivery: ProofOfDelivery | None = None
    """Only on delivered milestones, when the carrier sends any."""

    @model_validator(mode="after")
    def _reason_matches_milestone(self) -> TrackingMilestone:
        # An exception without a reason cannot be routed; a reason on a delivered parcel
        # means the carrier mapping is wrong, so both fail loudly.
        if self.milestone is Milestone.EXCEPTION and self.exception_reason is None:
            raise ValueError("exception_reason is required when milestone is 'exception'")
        if self.exception_reason is not None and self.milestone not in _MILESTONES_WITH_REASON:
            allowed = ", ".join(sorted(_MILESTONES_WITH_REASON))
            raise ValueError(
                f"exception_reason is only allowed for milestones {allowed}, "
                f"not {self.milestone.value!r}"
            )
        if self.proof_of_delivery is not None and self.milestone is not Milestone.DELIVERED:
            raise ValueError("proof_of_delivery is only allowed on a 'delivered' milestone")
        return self


class ShipmentStatus(CanonicalModel):
    """Where a parcel now stands, after Crossdock's ordering rules; the payload of
    ``crossdock.shipment.status_changed.v1``.

    Carriers resend history, send late scans and sometimes contradict themselves; this event
    is only emitted when the *current* milestone moves (a late or duplicate scan never emits
    it), so subscribers can act on it without re-implementing the rules.
    """

    tracking_number: NonEmptyStr
    carrier_code: Code
    milestone: Milestone
    previous_milestone: Milestone | None = None
    exception_reason: ExceptionReason | None = None
    occurred_at: Timestamp
    delivered_at: Timestamp | None = None
    location: LocationRef | None = None
    raw_code: str
    raw_text: str
    shipment_id: str | None = None
    proof_of_delivery: ProofOfDelivery | None = None
    milestone_event_id: NonEmptyStr
    """The ``milestone_recorded`` event that moved the status, for tracing back."""
