"""What the reader returns: interchanges holding checked messages and rejected ones."""

from __future__ import annotations

from dataclasses import dataclass, field

from pydifact.control.characters import Characters

from crossdock.connectors.edi.edifact.errors import EdifactError
from crossdock.connectors.edi.edifact.syntax import Segment


@dataclass(frozen=True, slots=True)
class Party:
    """UNB S002/S003: an interchange sender or recipient and its code qualifier."""

    id: str
    qualifier: str = ""


@dataclass(frozen=True, slots=True)
class InterchangeHeader:
    """The UNB: who sent what to whom, in which syntax, under which reference."""

    syntax_id: str
    syntax_version: str
    sender: Party
    recipient: Party
    date: str
    time: str
    reference: str
    """0020, the interchange control reference that UNZ must repeat."""
    characters: Characters
    test_indicator: str = ""


@dataclass(frozen=True, slots=True)
class MessageId:
    """UNH S009: message type, directory version and release, agency, association code."""

    type: str
    version: str = ""
    release: str = ""
    agency: str = ""
    association: str = ""

    @property
    def directory(self) -> str:
        """``D96A`` style: the directory the message follows, as mappings select on."""
        return f"{self.version}{self.release}"


@dataclass(slots=True)
class Message:
    """A message whose envelope (UNH/UNT) checked out."""

    reference: str
    """UNH 0062, the message reference number."""
    identifier: MessageId
    interchange: InterchangeHeader
    group_ref: str | None
    segments: list[Segment]
    """The segments between UNH and UNT."""
    header_position: int
    """Input position of the UNH, to count segment positions in the message from."""

    def position_of(self, segment: Segment) -> int:
        """The segment's 1-based position in the message (UNH is 1), as UCS 0096 counts."""
        return segment.position - self.header_position + 1


@dataclass(slots=True)
class RejectedMessage:
    """A message that must be rejected, with every error found in its envelope."""

    reference: str
    identifier: MessageId | None
    interchange: InterchangeHeader
    group_ref: str | None
    segments: list[Segment]
    errors: list[EdifactError]


@dataclass(slots=True)
class Interchange:
    """One UNB … UNZ, its messages in order, and any error of the interchange itself."""

    header: InterchangeHeader
    messages: list[Message] = field(default_factory=list)
    rejected: list[RejectedMessage] = field(default_factory=list)
    errors: list[EdifactError] = field(default_factory=list)
    """Interchange-level errors (UNZ checks, stray segments); they reject every message."""
    groups: int = 0

    def reject(self, message: Message, error: EdifactError) -> RejectedMessage:
        """Move a message whose content failed (a mapping error) to the rejected ones, so
        its CONTRL says UCM 4 with the error's place while the others stay acknowledged."""
        self.messages.remove(message)
        rejected = RejectedMessage(
            message.reference,
            message.identifier,
            message.interchange,
            message.group_ref,
            message.segments,
            [error],
        )
        self.rejected.append(rejected)
        return rejected

    @property
    def accepted(self) -> list[Message]:
        """Messages to process: none when the interchange itself is rejected."""
        return [] if self.errors else list(self.messages)
