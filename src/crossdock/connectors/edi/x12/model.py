"""What the reader yields: transaction sets, rejections, and the group and interchange ends.

Sets are yielded as soon as their SE is checked, so a consumer never waits for a whole file;
the group and interchange summaries follow with the counts a 997 needs and any trailer
errors (which, arriving last, cannot un-yield the sets before them: a trailer problem is
noted, not fatal, which is what AK901 ``E`` says).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from crossdock.connectors.edi.x12.errors import X12Error
from crossdock.connectors.edi.x12.lexer import Segment
from crossdock.connectors.edi.x12.separators import Separators


@dataclass(frozen=True, slots=True)
class InterchangeHeader:
    """The ISA of an interchange: who sent it to whom, and with which separators."""

    control_number: str
    sender_qualifier: str
    sender_id: str
    receiver_qualifier: str
    receiver_id: str
    date: str
    time: str
    control_version: str
    acknowledgment_requested: bool
    usage: str
    """ISA15: ``P`` for production, ``T`` for test data."""
    separators: Separators
    offset: int


@dataclass(frozen=True, slots=True)
class GroupHeader:
    """The GS of a functional group; its version (GS08) decides how its sets are read."""

    functional_id: str
    sender: str
    receiver: str
    date: str
    time: str
    control_number: str
    agency: str
    version: str
    offset: int


@dataclass(slots=True)
class TransactionSet:
    """A transaction set that passed the envelope and syntax checks."""

    set_id: str
    control_number: str
    interchange: InterchangeHeader
    group: GroupHeader | None
    segments: list[Segment]
    """The segments between ST and SE; ``segments[i]`` is at position ``i + 2`` in the set."""
    offset: int
    implementation_reference: str = ""
    """ST03 (005010): the implementation guide the sender followed, if it said."""

    @property
    def version(self) -> str:
        """The X12 version of the set: ST03 when given, else GS08."""
        if self.implementation_reference:
            return self.implementation_reference
        return self.group.version if self.group is not None else ""


@dataclass(slots=True)
class RejectedSet:
    """A transaction set that must be rejected, with every error found in it."""

    set_id: str
    control_number: str
    interchange: InterchangeHeader
    group: GroupHeader | None
    segments: list[Segment]
    offset: int
    errors: list[X12Error]


@dataclass(slots=True)
class GroupSummary:
    """Closes a functional group: the counts and trailer errors an AK9 reports."""

    header: GroupHeader
    interchange: InterchangeHeader
    declared_count: int | None
    """GE01 as sent, or None when the GE was missing or unreadable."""
    received: int
    accepted: int
    errors: list[X12Error] = field(default_factory=list)


@dataclass(slots=True)
class InterchangeSummary:
    """Closes an interchange: what a TA1 would report."""

    header: InterchangeHeader
    declared_groups: int | None
    groups: int
    errors: list[X12Error] = field(default_factory=list)


ReadItem = TransactionSet | RejectedSet | GroupSummary | InterchangeSummary
