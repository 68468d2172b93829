"""Serialise transaction sets into an interchange: envelopes, control numbers and counts.

Output is deterministic (the caller passes the timestamp and control numbers), so the same
canonical objects always give the same bytes, which makes resends and tests exact. Values
that contain a separator are refused: X12 has no escape character, so writing them would
silently change the document's structure.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from crossdock.connectors.edi.x12.codes import ErrorLevel
from crossdock.connectors.edi.x12.errors import Location, X12Error
from crossdock.connectors.edi.x12.separators import Separators

Element = str | Sequence[str]
"""A simple element, or a composite given as its components."""
OutSegment = Sequence[Element]
"""A segment to write: its id first, then its elements from 01."""

FUNCTIONAL_IDS = {
    "810": "IN",
    "846": "IB",
    "850": "PO",
    "855": "PR",
    "856": "SH",
    "940": "OW",
    "944": "RE",
    "945": "SW",
    "997": "FA",
    "214": "QM",
}
"""GS01 functional identifier code for each set, from the X12 code list of element 479."""

_ISA_WIDTHS = {6: 15, 8: 15}
_REPETITION_FROM_VERSION = "00402"


@dataclass(frozen=True, slots=True)
class OutgoingSet:
    set_id: str
    control_number: str
    segments: Sequence[OutSegment]
    """The body: everything between ST and SE, which the writer adds and counts."""
    implementation_reference: str = ""


@dataclass(frozen=True, slots=True)
class OutgoingGroup:
    sender: str
    receiver: str
    control_number: int
    sets: Sequence[OutgoingSet]
    functional_id: str = ""
    """GS01; derived from the first set's id when left empty."""
    version: str = "004010"
    agency: str = "X"


@dataclass(frozen=True, slots=True)
class OutgoingInterchange:
    sender_qualifier: str
    sender_id: str
    receiver_qualifier: str
    receiver_id: str
    control_number: int
    created: datetime
    """Written to ISA09/10 and GS04/05 as given; pass the partner's local time if agreed."""
    groups: Sequence[OutgoingGroup]
    control_version: str = "00401"
    usage: str = "P"
    acknowledgment_requested: bool = False
    separators: Separators = field(default_factory=Separators)


class _Formatter:
    def __init__(self, separators: Separators) -> None:
        problem = separators.problem()
        if problem is not None:
            raise X12Error(problem, level=ErrorLevel.INTERCHANGE, location=Location())
        self.separators = separators
        self.forbidden = frozenset(separators.text + separators.suffix)
        self.end = separators.segment + separators.suffix

    def _value(self, tag: str, position: int, value: str) -> str:
        if self.forbidden.intersection(value):
            raise X12Error(
                "value contains a separator of the interchange",
                level=ErrorLevel.ELEMENT,
                location=Location(segment_id=tag, element_position=position),
                expected=f"no {''.join(sorted(self.forbidden))!r}",
                found=value,
            )
        return value

    def segment(self, segment: OutSegment) -> str:
        tag = str(segment[0])
        values: list[str] = [tag]
        for position, item in enumerate(segment[1:], 1):
            if isinstance(item, str):
                values.append(self._value(tag, position, item))
            else:
                parts = [self._value(tag, position, part) for part in item]
                while parts and not parts[-1]:
                    parts.pop()
                values.append(self.separators.component.join(parts))
        while len(values) > 1 and not values[-1]:
            values.pop()  # trailing separators are a syntax error for many translators
        return self.separators.element.join(values) + self.end


def _isa(interchange: OutgoingInterchange) -> list[str]:
    separators = interchange.separators
    repetition = "U"
    if interchange.control_version >= _REPETITION_FROM_VERSION and separators.repetition:
        repetition = separators.repetition
    control = str(interchange.control_number)
    fields = [
        "ISA",
        "00",
        " " * 10,
        "00",
        " " * 10,
        interchange.sender_qualifier,
        interchange.sender_id,
        interchange.receiver_qualifier,
        interchange.receiver_id,
        interchange.created.strftime("%y%m%d"),
        interchange.created.strftime("%H%M"),
        repetition,
        interchange.control_version,
        control.zfill(9),
        "1" if interchange.acknowledgment_requested else "0",
        interchange.usage,
    ]
    for position, width in _ISA_WIDTHS.items():
        if len(fields[position]) > width:
            raise X12Error(
                "ISA field too long",
                level=ErrorLevel.INTERCHANGE,
                location=Location(segment_id="ISA", element_position=position),
                expected=f"at most {width} characters",
                found=fields[position],
            )
        fields[position] = fields[position].ljust(width)
    if len(control) > 9 or interchange.control_number < 0:
        raise X12Error(
            "interchange control number out of range",
            level=ErrorLevel.INTERCHANGE,
            location=Location(segment_id="ISA", element_position=13),
            expected="0 to 999999999",
            found=control,
        )
    return fields


def iter_serialize(interchange: OutgoingInterchange) -> Iterator[bytes]:
    """Yield the interchange a set at a time, so a large batch never sits whole in memory."""
    out = _Formatter(interchange.separators)
    isa = _isa(interchange)
    # ISA16 is written raw: it is the component separator itself and must not be checked.
    yield (
        interchange.separators.element.join([*isa, interchange.separators.component]) + out.end
    ).encode()
    created = interchange.created
    for group in interchange.groups:
        functional_id = group.functional_id or FUNCTIONAL_IDS.get(
            group.sets[0].set_id if group.sets else "", ""
        )
        yield out.segment(
            [
                "GS",
                functional_id,
                group.sender,
                group.receiver,
                created.strftime("%Y%m%d"),
                created.strftime("%H%M"),
                str(group.control_number),
                group.agency,
                group.version,
            ]
        ).encode()
        for transaction in group.sets:
            lines = [
                out.segment(
                    [
                        "ST",
                        transaction.set_id,
                        transaction.control_number,
                        transaction.implementation_reference,
                    ]
                )
            ]
            lines.extend(out.segment(segment) for segment in transaction.segments)
            count = len(transaction.segments) + 2
            lines.append(out.segment(["SE", str(count), transaction.control_number]))
            yield "".join(lines).encode()
        yield out.segment(["GE", str(len(group.sets)), str(group.control_number)]).encode()
    yield out.segment(
        ["IEA", str(len(interchange.groups)), str(interchange.control_number).zfill(9)]
    ).encode()


def serialize(interchange: OutgoingInterchange) -> bytes:
    """The whole interchange as bytes."""
    return b"".join(iter_serialize(interchange))
