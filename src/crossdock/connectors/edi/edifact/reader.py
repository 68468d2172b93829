"""Reads EDIFACT interchanges and checks their envelopes, rejecting broken messages alone.

Checked: UNB 0020 against UNZ 0020, the UNZ count (messages, or groups when UNG is used),
UNG 0048 against UNE and the UNE count, UNH 0062 against UNT 0062 and the UNT segment count.
A message whose own envelope is wrong is returned as a `RejectedMessage` beside the good
ones; only input that cannot be tokenized at all, or has no UNB, raises.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pydifact.control.characters import Characters

from crossdock.connectors.edi.edifact.codes import SyntaxErrorCode
from crossdock.connectors.edi.edifact.errors import EdifactError, Place
from crossdock.connectors.edi.edifact.model import (
    Interchange,
    InterchangeHeader,
    Message,
    MessageId,
    Party,
    RejectedMessage,
)
from crossdock.connectors.edi.edifact.syntax import Segment, decode, segments, service_characters


def _header(segment: Segment, characters: Characters) -> InterchangeHeader:
    reference = segment.value(5)
    if not reference:
        raise EdifactError(
            "UNB has no interchange control reference",
            place=Place(segment_position=segment.position, segment_tag="UNB", element_position=5),
            code=SyntaxErrorCode.MISSING,
            expected="UNB 0020",
        )
    return InterchangeHeader(
        syntax_id=segment.value(1, 1),
        syntax_version=segment.value(1, 2),
        sender=Party(segment.value(2, 1), segment.value(2, 2)),
        recipient=Party(segment.value(3, 1), segment.value(3, 2)),
        date=segment.value(4, 1),
        time=segment.value(4, 2),
        reference=reference,
        characters=characters,
        test_indicator=segment.value(11),
    )


def _count(segment: Segment, element: int) -> int | None:
    raw = segment.value(element)
    return int(raw) if raw.isdigit() else None


@dataclass
class _Open:
    """A message between its UNH and a UNT."""

    unh: Segment
    body: list[Segment] = field(default_factory=list)


class _Reader:
    def __init__(self, characters: Characters) -> None:
        self.characters = characters
        self.done: list[Interchange] = []
        self.current: Interchange | None = None
        self.unb: Segment | None = None
        self.group: Segment | None = None
        self.group_messages = 0
        self.message: _Open | None = None

    def place(self, segment: Segment, element: int | None = None, **more: object) -> Place:
        assert self.current is not None
        assert self.unb is not None
        inside = self.message is not None and "message_ref" not in more
        return Place(
            interchange_ref=self.current.header.reference,
            group_ref=self.group.value(5) if self.group is not None else None,
            message_ref=self.message.unh.value(1) if inside and self.message else None,
            segment_position=segment.position
            - (self.message.unh.position if inside and self.message else self.unb.position)
            + 1,
            segment_tag=segment.tag,
            element_position=element,
        )

    def interchange_error(
        self, segment: Segment, element: int | None, reason: str, **kw: str
    ) -> None:
        assert self.current is not None
        self.current.errors.append(
            EdifactError(reason, place=self.place(segment, element, message_ref=None), **kw)
        )

    def feed(self, segment: Segment) -> None:
        if self.current is None:
            if segment.tag != "UNB":
                raise EdifactError(
                    "interchange does not start with UNB",
                    place=Place(segment_position=segment.position, segment_tag=segment.tag),
                    code=SyntaxErrorCode.MISSING,
                    expected="UNB",
                    found=segment.tag,
                )
            self.current = Interchange(_header(segment, self.characters))
            self.unb = segment
            return
        handler = {"UNH": self.unh, "UNT": self.unt, "UNG": self.ung, "UNE": self.une}.get(
            segment.tag
        )
        if segment.tag == "UNZ":
            self.unz(segment)
        elif handler is not None:
            handler(segment)
        elif self.message is not None:
            self.message.body.append(segment)
        else:
            self.interchange_error(
                segment,
                None,
                "segment outside any message",
                code=SyntaxErrorCode.NOT_SUPPORTED_IN_POSITION,
                expected="UNH, UNG or UNZ",
                found=segment.tag,
            )

    def unh(self, segment: Segment) -> None:
        if self.message is not None:
            self.reject(
                segment,
                None,
                "message has no UNT",
                code=SyntaxErrorCode.MISSING,
                expected="UNT before the next UNH",
                found=segment.tag,
            )
        self.message = _Open(segment)

    def identifier(self, unh: Segment) -> MessageId | None:
        if not unh.value(2, 1):
            return None
        return MessageId(*(unh.value(2, i) for i in range(1, 6)))

    def reject(self, segment: Segment, element: int | None, reason: str, **kw: str) -> None:
        assert self.current is not None
        assert self.message is not None
        unh = self.message.unh
        self.current.rejected.append(
            RejectedMessage(
                reference=unh.value(1),
                identifier=self.identifier(unh),
                interchange=self.current.header,
                group_ref=self.group.value(5) if self.group is not None else None,
                segments=[unh, *self.message.body],
                errors=[EdifactError(reason, place=self.place(segment, element), **kw)],
            )
        )
        self.message = None
        self.group_messages += 1

    def unt(self, segment: Segment) -> None:
        if self.message is None:
            self.interchange_error(
                segment,
                None,
                "UNT without UNH",
                code=SyntaxErrorCode.NOT_SUPPORTED_IN_POSITION,
                expected="UNH before UNT",
            )
            return
        unh = self.message.unh
        identifier = self.identifier(unh)
        count = _count(segment, 1)
        actual = len(self.message.body) + 2
        if not unh.value(1):
            self.reject(
                unh,
                1,
                "UNH has no message reference",
                code=SyntaxErrorCode.MISSING,
                expected="UNH 0062",
            )
        elif identifier is None:
            self.reject(
                unh, 2, "UNH has no message type", code=SyntaxErrorCode.MISSING, expected="UNH S009"
            )
        elif segment.value(2) != unh.value(1):
            self.reject(
                segment,
                2,
                "UNT reference differs from UNH",
                code=SyntaxErrorCode.REFERENCES_DO_NOT_MATCH,
                expected=unh.value(1),
                found=segment.value(2),
            )
        elif count != actual:
            self.reject(
                segment,
                1,
                "UNT segment count is wrong",
                code=SyntaxErrorCode.CONTROL_COUNT_MISMATCH,
                expected=str(actual),
                found=segment.value(1),
            )
        else:
            assert self.current is not None
            self.current.messages.append(
                Message(
                    reference=unh.value(1),
                    identifier=identifier,
                    interchange=self.current.header,
                    group_ref=self.group.value(5) if self.group is not None else None,
                    segments=self.message.body,
                    header_position=unh.position,
                )
            )
            self.message = None
            self.group_messages += 1

    def ung(self, segment: Segment) -> None:
        self.close_message(segment)
        assert self.current is not None
        self.current.groups += 1
        self.group = segment
        self.group_messages = 0

    def une(self, segment: Segment) -> None:
        self.close_message(segment)
        if self.group is None:
            self.interchange_error(
                segment,
                None,
                "UNE without UNG",
                code=SyntaxErrorCode.NOT_SUPPORTED_IN_POSITION,
                expected="UNG before UNE",
            )
            return
        if segment.value(2) != self.group.value(5):
            self.interchange_error(
                segment,
                2,
                "UNE reference differs from UNG",
                code=SyntaxErrorCode.REFERENCES_DO_NOT_MATCH,
                expected=self.group.value(5),
                found=segment.value(2),
            )
        elif _count(segment, 1) != self.group_messages:
            self.interchange_error(
                segment,
                1,
                "UNE message count is wrong",
                code=SyntaxErrorCode.CONTROL_COUNT_MISMATCH,
                expected=str(self.group_messages),
                found=segment.value(1),
            )
        self.group = None

    def close_message(self, segment: Segment) -> None:
        if self.message is not None:
            self.reject(
                segment,
                None,
                "message has no UNT",
                code=SyntaxErrorCode.MISSING,
                expected="UNT",
                found=segment.tag,
            )

    def unz(self, segment: Segment) -> None:
        self.close_message(segment)
        assert self.current is not None
        if self.group is not None:
            self.interchange_error(
                segment,
                None,
                "group has no UNE",
                code=SyntaxErrorCode.MISSING,
                expected="UNE before UNZ",
            )
            self.group = None
        current = self.current
        expected = current.groups or len(current.messages) + len(current.rejected)
        if segment.value(2) != current.header.reference:
            self.interchange_error(
                segment,
                2,
                "UNZ reference differs from UNB",
                code=SyntaxErrorCode.REFERENCES_DO_NOT_MATCH,
                expected=current.header.reference,
                found=segment.value(2),
            )
        if _count(segment, 1) != expected:
            self.interchange_error(
                segment,
                1,
                "UNZ control count is wrong",
                code=SyntaxErrorCode.CONTROL_COUNT_MISMATCH,
                expected=str(expected),
                found=segment.value(1),
            )
        self.done.append(current)
        self.current = None

    def finish(self, last: int) -> list[Interchange]:
        if self.current is not None:
            tail = Segment("UNZ", (), last + 1)
            self.close_message(tail)
            self.interchange_error(
                tail, None, "interchange has no UNZ", code=SyntaxErrorCode.MISSING, expected="UNZ"
            )
            self.done.append(self.current)
        if not self.done:
            raise EdifactError(
                "input holds no interchange",
                code=SyntaxErrorCode.MISSING,
                place=Place(segment_position=1),
                expected="UNB",
            )
        return self.done


def read_edifact(data: bytes | str) -> list[Interchange]:
    """Every interchange in the input, with checked and rejected messages.

    Raises `EdifactError` (and nothing else) when the input cannot be split into segments
    or does not start with UNB; the error names the segment position.
    """
    characters, text = service_characters(decode(data))
    reader = _Reader(characters)
    last = 0
    try:
        for segment in segments(text, characters):
            reader.feed(segment)
            last = segment.position
    except EdifactError as error:
        if reader.current is None:
            raise
        raise error.within(interchange_ref=reader.current.header.reference) from None
    return reader.finish(last)
