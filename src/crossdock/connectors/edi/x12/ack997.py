"""997 functional acknowledgements: built from what the reader found, and read back.

One 997 answers one functional group: AK1 names the group, one AK2…AK5 loop per set (AK3
for a segment in error, AK4 for an element, AK5 accepted or rejected with its codes), and
AK9 the group's verdict and counts. Codes are those of `codes` (X12 004010 elements 715 to 723).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from crossdock.connectors.edi.x12.codes import AckStatus, ErrorLevel, GroupSyntaxError
from crossdock.connectors.edi.x12.errors import X12Error
from crossdock.connectors.edi.x12.model import (
    GroupSummary,
    ReadItem,
    RejectedSet,
    TransactionSet,
)
from crossdock.connectors.edi.x12.values import located, missing_segment, position_of
from crossdock.connectors.edi.x12.writer import OutSegment

MAX_CODES = 5
"""AK5 and AK9 each carry at most five error codes."""
_SAFE_COPY = re.compile(r"[^A-Za-z0-9 .,/#()-]")
_BAD_COPY_LIMIT = 99


@dataclass(frozen=True, slots=True)
class ElementNote:
    """AK4: one element in error."""

    position: int
    code: str
    component_position: int | None = None
    bad_value: str | None = None


@dataclass(frozen=True, slots=True)
class SegmentNote:
    """AK3: one segment in error, with its element notes."""

    segment_id: str
    position: int
    code: str | None
    elements: tuple[ElementNote, ...] = ()


@dataclass(frozen=True, slots=True)
class SetResponse:
    """AK2 … AK5: the verdict on one transaction set."""

    set_id: str
    control_number: str
    status: AckStatus
    codes: tuple[str, ...] = ()
    segments: tuple[SegmentNote, ...] = ()


@dataclass(frozen=True, slots=True)
class FunctionalAck:
    """A whole 997: the verdict on one functional group."""

    functional_id: str
    group_control: str
    status: AckStatus
    included: int
    received: int
    accepted: int
    codes: tuple[str, ...] = ()
    sets: tuple[SetResponse, ...] = ()


def _unique(codes: Iterable[str | None]) -> tuple[str, ...]:
    seen: list[str] = []
    for code in codes:
        if code and code not in seen:
            seen.append(code)
    return tuple(seen[:MAX_CODES])


def _copy(value: str | None) -> str | None:
    # AK404 repeats the bad value, but it must not carry a separator or a control character
    # of the 997's own interchange; a cleaned prefix still lets the sender find the spot.
    if not value:
        return None
    cleaned = _SAFE_COPY.sub("", value)[:_BAD_COPY_LIMIT].strip()
    return cleaned or None


def set_response(item: TransactionSet | RejectedSet) -> SetResponse:
    """The AK2 loop for one set as the reader delivered it."""
    if isinstance(item, TransactionSet):
        return SetResponse(item.set_id, item.control_number, AckStatus.ACCEPTED)
    notes: dict[tuple[int, str], tuple[str | None, list[ElementNote]]] = {}
    for error in item.errors:
        where = error.location
        if error.level not in (ErrorLevel.SEGMENT, ErrorLevel.ELEMENT):
            continue
        if where.segment_position is None or where.segment_id is None:
            continue
        key = (where.segment_position, where.segment_id)
        code, elements = notes.get(key, (None, []))
        if error.level is ErrorLevel.SEGMENT:
            code = code or error.code
        elif where.element_position is not None and error.code:
            elements.append(
                ElementNote(
                    where.element_position, error.code, where.component_position, _copy(error.found)
                )
            )
        notes[key] = (code, elements)
    segments = tuple(
        SegmentNote(segment_id, position, code or "8", tuple(elements))
        for (position, segment_id), (code, elements) in notes.items()
    )
    codes = _unique(e.code for e in item.errors if e.level is ErrorLevel.TRANSACTION)
    return SetResponse(item.set_id, item.control_number, AckStatus.REJECTED, codes, segments)


def group_ack(summary: GroupSummary, sets: Iterable[SetResponse]) -> FunctionalAck:
    """The 997 for one group, from its summary and the responses for its sets."""
    responses = tuple(sets)
    codes = _unique(e.code for e in summary.errors)
    accepted = summary.accepted
    if GroupSyntaxError.VERSION_NOT_SUPPORTED in codes or (summary.received and not accepted):
        status = AckStatus.REJECTED
    elif accepted < summary.received:
        status = AckStatus.PARTIALLY_ACCEPTED
    elif summary.errors:
        status = AckStatus.ACCEPTED_WITH_ERRORS
    else:
        status = AckStatus.ACCEPTED
    header = summary.header
    included = summary.declared_count if summary.declared_count is not None else summary.received
    return FunctionalAck(
        header.functional_id,
        header.control_number,
        status,
        included,
        summary.received,
        accepted,
        codes,
        responses,
    )


def acknowledge(items: Iterable[ReadItem]) -> Iterator[FunctionalAck]:
    """One `FunctionalAck` per functional group in a reader's output, as each group closes.

    Only the small per-set verdicts are held, never the sets' segments, so acknowledging a
    large file stays as flat in memory as reading it.
    """
    pending: list[SetResponse] = []
    for item in items:
        if isinstance(item, TransactionSet | RejectedSet):
            if item.group is not None:
                pending.append(set_response(item))
        elif isinstance(item, GroupSummary):
            yield group_ack(item, pending)
            pending = []


def ack_to_997(ack: FunctionalAck) -> list[OutSegment]:
    """The 997 body (between ST and SE)."""
    out: list[OutSegment] = [["AK1", ack.functional_id, ack.group_control]]
    for response in ack.sets:
        out.append(["AK2", response.set_id, response.control_number])
        for note in response.segments:
            out.append(["AK3", note.segment_id, str(note.position), "", note.code or ""])
            for element in note.elements:
                position: str | list[str] = str(element.position)
                if element.component_position is not None:
                    position = [str(element.position), str(element.component_position)]
                out.append(["AK4", position, "", element.code, element.bad_value or ""])
        out.append(["AK5", response.status.value, *response.codes])
    out.append(
        [
            "AK9",
            ack.status.value,
            str(ack.included),
            str(ack.received),
            str(ack.accepted),
            *ack.codes,
        ]
    )
    return out


def _status(transaction: TransactionSet, segment_index: int, allowed: str) -> AckStatus:
    segment = transaction.segments[segment_index]
    value = segment.element(1)
    if value not in allowed:
        raise located(
            transaction,
            segment,
            position_of(segment_index),
            1,
            "acknowledgement code not supported",
            expected=" or ".join(allowed),
            found=value,
        )
    return AckStatus(value)


def _count(transaction: TransactionSet, segment_index: int, element: int) -> int:
    segment = transaction.segments[segment_index]
    value = segment.element(element)
    if not value.isdigit():
        raise located(
            transaction,
            segment,
            position_of(segment_index),
            element,
            "count is not a number",
            expected="digits",
            found=value,
        )
    return int(value)


def ack_from_997(transaction: TransactionSet) -> FunctionalAck:
    """Read a partner's 997 into a `FunctionalAck`; raises `X12Error` naming the segment."""
    ak1: tuple[str, str] | None = None
    sets: list[SetResponse] = []
    open_set: tuple[str, str] | None = None
    notes: list[SegmentNote] = []
    for index, segment in enumerate(transaction.segments):
        tag = segment.elements[0]
        value = segment.element
        if tag == "AK1":
            ak1 = (value(1), value(2))
        elif tag == "AK2":
            open_set, notes = (value(1), value(2)), []
        elif tag == "AK3":
            notes.append(SegmentNote(value(1), _count(transaction, index, 2), value(4) or None))
        elif tag == "AK4" and notes:
            parts = segment.components(1)
            element = ElementNote(
                int(parts[0]) if parts[0].isdigit() else 0,
                value(3),
                int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None,
                value(4) or None,
            )
            last = notes[-1]
            notes[-1] = SegmentNote(
                last.segment_id, last.position, last.code, (*last.elements, element)
            )
        elif tag == "AK5":
            if open_set is None:
                raise located(
                    transaction,
                    segment,
                    position_of(index),
                    None,
                    "AK5 without AK2",
                    expected="AK2",
                )
            status = _status(transaction, index, "AER")
            sets.append(
                SetResponse(
                    open_set[0], open_set[1], status, _unique(segment.elements[2:]), tuple(notes)
                )
            )
            open_set = None
        elif tag == "AK9":
            if ak1 is None:
                raise missing_segment(transaction, "AK1")
            return FunctionalAck(
                ak1[0],
                ak1[1],
                _status(transaction, index, "AEPR"),
                _count(transaction, index, 2),
                _count(transaction, index, 3),
                _count(transaction, index, 4),
                _unique(segment.elements[5:]),
                tuple(sets),
            )
    raise missing_segment(transaction, "AK9")


__all__ = [
    "ElementNote",
    "FunctionalAck",
    "SegmentNote",
    "SetResponse",
    "X12Error",
    "ack_from_997",
    "ack_to_997",
    "acknowledge",
    "group_ack",
    "set_response",
]
