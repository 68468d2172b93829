"""IFTSTA (D96A, D01B) ↔ canonical `TrackingMilestone` (one per STS), like the X12 214.

Read per CNI (consignment; C503 1004 is its number, used as tracking number unless an RFF
CN carrier reference follows): STS status event (C555 9011, the EANCOM list from UN/ECE
Recommendation 24: 1 arrived, 6 booked, 13 collected, 21 delivered, 31 en route, 49 lost,
54 not collected, 71 receipt acknowledged) and reason (C556 9013, kept as raw text), DTM
334 (status change) and LOC (the place). The carrier is NAD CA's id (or the partner's).
Unknown events map to ``unknown`` with the raw code kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType

from crossdock.canonical.common import LocationRef
from crossdock.canonical.milestones import ExceptionReason, Milestone, TrackingMilestone
from crossdock.connectors.edi.edifact.model import Message
from crossdock.connectors.edi.edifact.syntax import OutSegment, Segment
from crossdock.connectors.edi.edifact.values import at, build, fmt_stamp, missing, stamp

M, R = Milestone, ExceptionReason
EVENTS: MappingProxyType[str, tuple[Milestone, ExceptionReason | None]] = MappingProxyType(
    {
        "1": (M.IN_TRANSIT, None),  # arrived
        "6": (M.INFO_RECEIVED, None),  # booked
        "13": (M.PICKED_UP, None),  # collected
        "21": (M.DELIVERED, None),  # delivered
        "31": (M.IN_TRANSIT, None),  # en route
        "49": (M.EXCEPTION, R.LOST),  # lost
        "54": (M.EXCEPTION, R.OTHER),  # not collected
        "71": (M.DELIVERED, None),  # receipt fully acknowledged
    }
)
WRITE_EVENT = {
    M.INFO_RECEIVED: "6",
    M.PICKED_UP: "13",
    M.IN_TRANSIT: "31",
    M.OUT_FOR_DELIVERY: "31",
    M.DELIVERED: "21",
    M.EXCEPTION: "54",
}
"""The event written for a milestone without a raw code (Rec. 24 has no finer ones here)."""
TRANSPORT = "1"
STATUS_CHANGE = "334"


@dataclass
class _Status:
    sts: Segment
    when: Segment | None = None
    place: Segment | None = None


@dataclass
class _Consignment:
    cni: Segment
    carrier_reference: str | None = None
    statuses: list[_Status] = field(default_factory=list)


def _collect(message: Message) -> tuple[Segment | None, list[_Consignment]]:
    carrier: Segment | None = None
    consignments: list[_Consignment] = []
    for segment in message.segments:
        tag, qualifier = segment.tag, segment.value(1, 1)
        consignment = consignments[-1] if consignments else None
        status = consignment.statuses[-1] if consignment and consignment.statuses else None
        if tag == "NAD" and qualifier == "CA":
            carrier = carrier or segment
        elif tag == "CNI":
            consignments.append(_Consignment(segment))
        elif consignment is None:
            continue
        elif tag == "STS":
            consignment.statuses.append(_Status(segment))
        elif tag == "RFF" and qualifier == "CN":
            consignment.carrier_reference = consignment.carrier_reference or segment.value(1, 2)
        elif status is not None and tag == "DTM" and qualifier == STATUS_CHANGE:
            status.when = status.when or segment
        elif status is not None and tag == "LOC":
            status.place = status.place or segment
    return carrier, consignments


def _place(loc: Segment | None) -> LocationRef | None:
    if loc is None or not (loc.value(2, 1) or loc.value(2, 4)):
        return None
    return LocationRef(code=loc.value(2, 1) or None, name=loc.value(2, 4) or None)


def _milestone(
    message: Message, consignment: _Consignment, status: _Status, carrier: str
) -> TrackingMilestone:
    sts = status.sts
    code = sts.value(2, 1)
    if status.when is None:
        raise missing(message, "DTM", "the status change date, qualified 334, after the STS")
    when: datetime = stamp(message, status.when)
    milestone, reason = EVENTS.get(code, (Milestone.UNKNOWN, None))
    reference = consignment.carrier_reference or consignment.cni.value(2, 1)
    if not reference:
        raise at(
            message,
            consignment.cni,
            2,
            "consignment has no number",
            expected="CNI C503 or RFF CN",
        )
    return build(
        message,
        lambda: TrackingMilestone(
            tracking_number=reference,
            carrier_code=carrier,
            milestone=milestone,
            exception_reason=reason,
            occurred_at=when,
            location=_place(status.place),
            raw_code=code,
            raw_text=sts.value(3, 1),
            shipment_id=consignment.cni.value(2, 1) if consignment.carrier_reference else None,
        ),
    )


def milestones_from_iftsta(
    message: Message, *, carrier_code: str | None = None
) -> list[TrackingMilestone]:
    """Map a checked IFTSTA; ``carrier_code`` is the partner's when no NAD CA names one."""
    carrier_nad, consignments = _collect(message)
    carrier = (carrier_nad.value(2, 1).lower() if carrier_nad else "") or carrier_code
    if not carrier:
        raise missing(message, "NAD", "the carrier, qualified CA, or a partner carrier code")
    if not any(c.statuses for c in consignments):
        raise missing(message, "STS", "at least one status after a CNI")
    return [
        _milestone(message, consignment, status, carrier)
        for consignment in consignments
        for status in consignment.statuses
    ]


def milestones_to_iftsta(milestones: list[TrackingMilestone], number: str) -> list[OutSegment]:
    """The IFTSTA body for milestones: one CNI per tracking number, one STS per milestone."""
    first = milestones[0]
    out: list[OutSegment] = [
        ["BGM", "23", number, "9"],
        ["DTM", ["137", *fmt_stamp(max(m.occurred_at for m in milestones))]],
        ["NAD", "CA", [first.carrier_code.upper(), "", "ZZZ"]],
    ]
    order: list[str] = []
    for milestone in milestones:
        if milestone.tracking_number not in order:
            order.append(milestone.tracking_number)
    for sequence, tracking in enumerate(order, 1):
        group = [m for m in milestones if m.tracking_number == tracking]
        shipment = group[0].shipment_id
        out.append(["CNI", str(sequence), shipment or tracking])
        if shipment:
            out.append(["RFF", ["CN", tracking]])
        for milestone in group:
            code = milestone.raw_code or WRITE_EVENT.get(milestone.milestone, "")
            sts: OutSegment = ["STS", TRANSPORT, code]
            if milestone.raw_text:
                sts = [*sts, milestone.raw_text]
            out += [sts, ["DTM", [STATUS_CHANGE, *fmt_stamp(milestone.occurred_at)]]]
            place = milestone.location
            if place is not None and (place.code or place.name):
                out.append(
                    [
                        "LOC",
                        "14",
                        [place.code or "", "", "", place.name or ""],
                        place.country_code or "",
                    ]
                )
    return out
