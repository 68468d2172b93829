"""214 carrier shipment status ↔ canonical `TrackingMilestone` (one per AT7).

Read: B10 (the carrier's reference, used as tracking number; the shipper's shipment id;
the SCAC), and per AT7 the status (AT701, else the appointment status AT703), its reason
(AT702, kept as the raw text), the date and time with their zone (AT705-AT707) and the MS1
place that follows. Status codes map through `codes214`; unknown ones become ``unknown``
with the raw code kept. Written back in UTC with the raw codes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timezone, tzinfo

from crossdock.canonical.common import LocationRef
from crossdock.canonical.milestones import Milestone, TrackingMilestone
from crossdock.connectors.edi.x12.codes import ElementSyntaxError, ErrorLevel
from crossdock.connectors.edi.x12.codes214 import ESTIMATES, STATUSES, TIME_CODES, WRITE_STATUS
from crossdock.connectors.edi.x12.errors import Location, X12Error
from crossdock.connectors.edi.x12.lexer import Segment
from crossdock.connectors.edi.x12.model import TransactionSet
from crossdock.connectors.edi.x12.values import (
    build,
    fmt_date,
    located,
    missing_segment,
    position_of,
    x12_date,
)
from crossdock.connectors.edi.x12.writer import OutSegment

LOCAL_TIME = "LT"
_NORMAL = "NS"
_TIME_DIGITS = 4
_COUNTRY_LENGTH = 2


@dataclass
class _Status:
    at7: tuple[Segment, int]
    ms1: Segment | None = None


def _collect(transaction: TransactionSet) -> tuple[tuple[Segment, int] | None, list[_Status]]:
    b10: tuple[Segment, int] | None = None
    statuses: list[_Status] = []
    for index, segment in enumerate(transaction.segments):
        tag, position = segment.elements[0], position_of(index)
        if tag == "B10":
            b10 = (segment, position)
        elif tag == "AT7":
            statuses.append(_Status((segment, position)))
        elif tag == "MS1" and statuses and statuses[-1].ms1 is None:
            statuses[-1].ms1 = segment
    return b10, statuses


def _when(transaction: TransactionSet, at7: Segment, position: int, local: tzinfo) -> datetime:
    day = x12_date(transaction, at7, position, 5)
    if day is None:
        raise located(transaction, at7, position, 5, "status has no date", expected="CCYYMMDD")
    clock, code = at7.element(6), at7.element(7)
    if clock and not (clock.isdigit() and len(clock) >= _TIME_DIGITS):
        raise located(
            transaction,
            at7,
            position,
            6,
            "invalid time",
            expected="HHMM",
            found=clock,
            code=ElementSyntaxError.INVALID_TIME,
        )
    offset = TIME_CODES.get(code)
    if code and code != LOCAL_TIME and offset is None:
        raise located(
            transaction,
            at7,
            position,
            7,
            "time zone not supported",
            expected="LT or one of " + ", ".join(sorted(TIME_CODES)),
            found=code,
            code=ElementSyntaxError.INVALID_CODE_VALUE,
        )
    zone: tzinfo = timezone(offset) if offset is not None else local
    hour, minute = (int(clock[:2]), int(clock[2:4])) if clock else (0, 0)
    try:
        return datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone)
    except ValueError:
        raise located(
            transaction,
            at7,
            position,
            6,
            "invalid time",
            expected="HHMM",
            found=clock,
            code=ElementSyntaxError.INVALID_TIME,
        ) from None


def _place(ms1: Segment | None) -> LocationRef | None:
    if ms1 is None or not (ms1.element(1) or ms1.element(2)):
        return None
    country = ms1.element(3)
    return LocationRef(
        city=ms1.element(1) or None,
        region=ms1.element(2) or None,
        country_code=country if len(country) == _COUNTRY_LENGTH else None,
    )


def _milestone(
    transaction: TransactionSet,
    status: _Status,
    reference: str,
    carrier: str,
    shipment: str | None,
    local: tzinfo,
) -> TrackingMilestone:
    at7, position = status.at7
    code = at7.element(1) or at7.element(3)
    reason_code = at7.element(2) or at7.element(4)
    if not code:
        raise located(
            transaction,
            at7,
            position,
            1,
            "status has no code",
            expected="AT701 or AT703",
            code=ElementSyntaxError.CONDITIONAL_REQUIRED_MISSING,
        )
    milestone, reason = STATUSES.get(code, (Milestone.UNKNOWN, None))
    when = _when(transaction, at7, position, local)
    estimate = code in ESTIMATES
    return build(
        transaction,
        lambda: TrackingMilestone(
            tracking_number=reference,
            carrier_code=carrier,
            milestone=milestone,
            exception_reason=reason,
            occurred_at=when,
            location=_place(status.ms1),
            raw_code=code,
            raw_text=reason_code,
            estimated_delivery_at=when if estimate else None,
            shipment_id=shipment,
        ),
    )


def milestones_from_214(
    transaction: TransactionSet, *, local_zone: tzinfo = UTC
) -> list[TrackingMilestone]:
    """Map a checked 214 to its milestones, in the order sent; ``local_zone`` is where the
    carrier's ``LT`` (local time) stamps are."""
    b10, statuses = _collect(transaction)
    if b10 is None:
        raise missing_segment(transaction, "B10")
    if not statuses:
        raise missing_segment(transaction, "AT7")
    segment, position = b10
    reference = segment.element(1) or segment.element(2)
    carrier = segment.element(3).lower()
    if not reference or not carrier:
        raise located(
            transaction,
            segment,
            position,
            1 if not reference else 3,
            "status message names no shipment or no carrier",
            expected="B1001 or B1002, and the SCAC in B1003",
        )
    shipment = segment.element(2) or None
    return [
        _milestone(transaction, status, reference, carrier, shipment, local_zone)
        for status in statuses
    ]


def milestones_to_214(milestones: Sequence[TrackingMilestone]) -> list[OutSegment]:
    """The 214 body for milestones of one shipment, stamped in UTC (time code UT)."""
    if not milestones or len({(m.tracking_number, m.carrier_code) for m in milestones}) != 1:
        raise X12Error(
            "a 214 reports one shipment",
            level=ErrorLevel.TRANSACTION,
            location=Location(segment_id="B10", element_position=1),
            expected="at least one milestone, all of one tracking number and carrier",
        )
    first = milestones[0]
    segments: list[OutSegment] = [
        ["B10", first.tracking_number, first.shipment_id or "", first.carrier_code.upper()]
    ]
    for number, milestone in enumerate(milestones, 1):
        stamp = milestone.occurred_at.astimezone(UTC)
        code = milestone.raw_code or WRITE_STATUS.get(milestone.milestone, "")
        segments += [
            ["LX", str(number)],
            [
                "AT7",
                code,
                milestone.raw_text or _NORMAL,
                "",
                "",
                fmt_date(stamp.date()),
                stamp.strftime("%H%M"),
                "UT",
            ],
        ]
        place = milestone.location
        if place is not None and (place.city or place.region):
            segments.append(["MS1", place.city or "", place.region or "", place.country_code or ""])
    return segments
