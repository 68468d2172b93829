"""Streaming reader: interchanges → functional groups → transaction sets, with every control
number and count checked.

A broken set is rejected alone and reading goes on with the next one; only input that makes
the rest unreadable (no ISA, an ISA without usable separators) stops the reader, and then
with an `X12Error` that says where. Memory holds one chunk and one transaction set.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator, Mapping
from typing import BinaryIO

from crossdock.connectors.edi.x12.codes import (
    ErrorLevel,
    GroupSyntaxError,
    InterchangeNote,
    SetSyntaxError,
)
from crossdock.connectors.edi.x12.errors import Location, X12Error
from crossdock.connectors.edi.x12.lexer import CHUNK_SIZE, BadSegment, Segment, tokenize
from crossdock.connectors.edi.x12.model import (
    GroupHeader,
    GroupSummary,
    InterchangeHeader,
    InterchangeSummary,
    ReadItem,
    RejectedSet,
    TransactionSet,
)
from crossdock.connectors.edi.x12.schema import SetSpec, check_set
from crossdock.connectors.edi.x12.segments import SET_SPECS

SUPPORTED_VERSIONS = ("004010", "005010")
"""GS08 prefixes read by this package; suffixes name industry guides (``004010VICS``)."""
ENVELOPE_TAGS = frozenset({"ISA", "IEA", "GS", "GE", "ST", "SE"})
_GS_ELEMENTS = 8
_MAX_CONTROL = 9
_MIN_SET_CONTROL = 4


def _int(value: str) -> int | None:
    return int(value) if value.isdigit() else None


def _at(segment: Segment, position: int | None = None, **context: object) -> Location:
    return Location(
        offset=segment.offset,
        segment_index=segment.index,
        segment_id=segment.elements[0][:3],
        element_position=position,
        segment_position=context.get("segment_position"),  # type: ignore[arg-type]
    )


class _OpenSet:
    __slots__ = ("body", "control", "errors", "header", "set_id")

    def __init__(self, header: Segment) -> None:
        self.header = header
        self.set_id = header.element(1)
        self.control = header.element(2)
        self.body: list[Segment] = []
        self.errors: list[X12Error] = []


class _OpenGroup:
    __slots__ = ("accepted", "controls", "errors", "header", "received", "supported")

    def __init__(self, header: GroupHeader) -> None:
        self.header = header
        self.received = 0
        self.accepted = 0
        self.errors: list[X12Error] = []
        self.controls: set[str] = set()
        self.supported = True


class _Interchange:
    __slots__ = ("errors", "group", "groups", "header", "transaction")

    def __init__(self, header: InterchangeHeader) -> None:
        self.header = header
        self.groups = 0
        self.errors: list[X12Error] = []
        self.group: _OpenGroup | None = None
        self.transaction: _OpenSet | None = None


def _interchange_header(isa: Segment) -> InterchangeHeader:
    value = isa.element
    return InterchangeHeader(
        control_number=value(13).strip(),
        sender_qualifier=value(5).strip(),
        sender_id=value(6).strip(),
        receiver_qualifier=value(7).strip(),
        receiver_id=value(8).strip(),
        date=value(9),
        time=value(10),
        control_version=value(12),
        acknowledgment_requested=value(14) == "1",
        usage=value(15),
        separators=isa.separators,
        offset=isa.offset,
    )


class _Reader:
    """Envelope state of one input; methods handle the rare envelope segments."""

    def __init__(self, specs: Mapping[str, SetSpec] | None, reject_unsupported: bool) -> None:
        self.specs = specs or {}
        self.reject_unsupported = reject_unsupported
        self.interchange: _Interchange | None = None

    # -- errors -------------------------------------------------------------------------

    def _context(self, error: X12Error, open_set: _OpenSet | None = None) -> X12Error:
        interchange = self.interchange
        group = interchange.group if interchange else None
        return error.within(
            interchange_control=interchange.header.control_number if interchange else None,
            group_control=group.header.control_number if group else None,
            transaction_control=open_set.control if open_set else None,
        )

    def _interchange_error(
        self,
        detail: str,
        code: InterchangeNote,
        location: Location,
        expected: str,
        found: str | None,
    ) -> None:
        assert self.interchange is not None
        error = X12Error(
            detail,
            level=ErrorLevel.INTERCHANGE,
            code=code,
            location=location,
            expected=expected,
            found=found,
        )
        self.interchange.errors.append(self._context(error))

    def _group_error(
        self,
        detail: str,
        code: GroupSyntaxError | None,
        location: Location,
        expected: str,
        found: str | None,
    ) -> None:
        assert self.interchange is not None
        assert self.interchange.group is not None
        error = X12Error(
            detail,
            level=ErrorLevel.GROUP,
            code=code,
            location=location,
            expected=expected,
            found=found,
        )
        self.interchange.group.errors.append(self._context(error))

    def _set_error(
        self,
        open_set: _OpenSet,
        detail: str,
        code: SetSyntaxError,
        location: Location,
        expected: str,
        found: str | None,
    ) -> None:
        error = X12Error(
            detail,
            level=ErrorLevel.TRANSACTION,
            code=code,
            location=location,
            expected=expected,
            found=found,
        )
        open_set.errors.append(self._context(error, open_set))

    # -- envelope segments --------------------------------------------------------------

    def envelope(self, segment: Segment) -> list[ReadItem]:
        tag = segment.elements[0]
        if tag == "ISA":
            return self._isa(segment)
        if tag == "GS":
            return self._gs(segment)
        if tag == "ST":
            return self._st(segment)
        if tag == "SE":
            return self._se(segment)
        if tag == "GE":
            return self._ge(segment)
        return self._iea(segment)

    def _isa(self, segment: Segment) -> list[ReadItem]:
        items = self.finish(segment) if self.interchange else []
        self.interchange = _Interchange(_interchange_header(segment))
        control = segment.element(13)
        if not (control.isdigit() and len(control) == _MAX_CONTROL):
            self._interchange_error(
                "ISA13 is not a 9-digit control number",
                InterchangeNote.INVALID_CONTROL_NUMBER,
                _at(segment, 13),
                "9 digits",
                control,
            )
        return items

    def _gs(self, segment: Segment) -> list[ReadItem]:
        assert self.interchange is not None
        items = self._close_group(segment) if self.interchange.group else []
        value = segment.element
        header = GroupHeader(
            functional_id=value(1),
            sender=value(2),
            receiver=value(3),
            date=value(4),
            time=value(5),
            control_number=value(6),
            agency=value(7),
            version=value(8),
            offset=segment.offset,
        )
        group = _OpenGroup(header)
        self.interchange.group = group
        count = len(segment.elements) - 1
        if count != _GS_ELEMENTS:
            self._group_error(
                "GS does not have 8 elements",
                None,
                _at(segment, min(count, _GS_ELEMENTS + 1)),
                "8 elements",
                str(count),
            )
        control = header.control_number
        if not (control.isdigit() and len(control) <= _MAX_CONTROL):
            self._group_error(
                "GS06 is not a group control number",
                GroupSyntaxError.CONTROL_NUMBER_SYNTAX,
                _at(segment, 6),
                "1 to 9 digits",
                control,
            )
        if not header.version.startswith(SUPPORTED_VERSIONS):
            group.supported = False
            self._group_error(
                "functional group version not supported",
                GroupSyntaxError.VERSION_NOT_SUPPORTED,
                _at(segment, 8),
                " or ".join(SUPPORTED_VERSIONS),
                header.version,
            )
        return items

    def _st(self, segment: Segment) -> list[ReadItem]:
        assert self.interchange is not None
        items = self._close_set(segment) if self.interchange.transaction else []
        open_set = _OpenSet(segment)
        self.interchange.transaction = open_set
        where = {"segment_position": 1}
        group = self.interchange.group
        if group is None:
            self._set_error(
                open_set,
                "transaction set outside a functional group",
                SetSyntaxError.NOT_IN_GROUP,
                _at(segment, None, **where),
                "GS",
                "ST",
            )
        else:
            group.received += 1
            if not group.supported:
                self._set_error(
                    open_set,
                    "transaction set in an unsupported group version",
                    SetSyntaxError.NOT_SUPPORTED,
                    _at(segment, None, **where),
                    " or ".join(SUPPORTED_VERSIONS),
                    group.header.version,
                )
            if open_set.control in group.controls:
                self._set_error(
                    open_set,
                    "transaction set control number repeated in group",
                    SetSyntaxError.CONTROL_NUMBER_NOT_UNIQUE,
                    _at(segment, 2, **where),
                    "a unique ST02",
                    open_set.control,
                )
            group.controls.add(open_set.control)
        if not (len(open_set.set_id) == 3 and open_set.set_id.isdigit()):
            self._set_error(
                open_set,
                "invalid transaction set identifier",
                SetSyntaxError.INVALID_SET_ID,
                _at(segment, 1, **where),
                "3 digits",
                open_set.set_id,
            )
        if not _MIN_SET_CONTROL <= len(open_set.control) <= _MAX_CONTROL:
            self._set_error(
                open_set,
                "invalid transaction set control number",
                SetSyntaxError.INVALID_CONTROL_NUMBER,
                _at(segment, 2, **where),
                "4 to 9 characters",
                open_set.control,
            )
        elif self.reject_unsupported and open_set.set_id not in self.specs:
            self._set_error(
                open_set,
                "transaction set not supported",
                SetSyntaxError.NOT_SUPPORTED,
                _at(segment, 1, **where),
                ", ".join(sorted(self.specs)),
                open_set.set_id,
            )
        return items

    def _se(self, segment: Segment) -> list[ReadItem]:
        assert self.interchange is not None
        open_set = self.interchange.transaction
        if open_set is None:
            self._stray(segment)
            return []
        self.interchange.transaction = None
        position = len(open_set.body) + 2
        where = {"segment_position": position}
        count = segment.element(1)
        if _int(count) != position:
            self._set_error(
                open_set,
                "SE01 does not count the segments of the set",
                SetSyntaxError.SEGMENT_COUNT_MISMATCH,
                _at(segment, 1, **where),
                str(position),
                count,
            )
        if segment.element(2) != open_set.control:
            self._set_error(
                open_set,
                "SE02 does not match ST02",
                SetSyntaxError.CONTROL_NUMBER_MISMATCH,
                _at(segment, 2, **where),
                open_set.control,
                segment.element(2),
            )
        return [self._conclude(open_set, segment)]

    def _ge(self, segment: Segment) -> list[ReadItem]:
        assert self.interchange is not None
        if self.interchange.group is None:
            self._stray(segment)
            return []
        items = self._close_set(segment) if self.interchange.transaction else []
        group = self.interchange.group
        count = segment.element(1)
        if _int(count) != group.received:
            self._group_error(
                "GE01 does not count the transaction sets of the group",
                GroupSyntaxError.SET_COUNT_MISMATCH,
                _at(segment, 1),
                str(group.received),
                count,
            )
        if segment.element(2) != group.header.control_number:
            self._group_error(
                "GE02 does not match GS06",
                GroupSyntaxError.CONTROL_NUMBER_MISMATCH,
                _at(segment, 2),
                group.header.control_number,
                segment.element(2),
            )
        items.append(self._summarise_group(_int(count)))
        return items

    def _iea(self, segment: Segment) -> list[ReadItem]:
        interchange = self.interchange
        assert interchange is not None
        items = self._close_group(segment) if interchange.group else []
        count = segment.element(1)
        if _int(count) != interchange.groups:
            self._interchange_error(
                "IEA01 does not count the functional groups",
                InterchangeNote.INVALID_GROUP_COUNT,
                _at(segment, 1),
                str(interchange.groups),
                count,
            )
        if segment.element(2) != interchange.header.control_number:
            self._interchange_error(
                "IEA02 does not match ISA13",
                InterchangeNote.CONTROL_NUMBER_MISMATCH,
                _at(segment, 2),
                interchange.header.control_number,
                segment.element(2),
            )
        items.append(
            InterchangeSummary(
                interchange.header, _int(count), interchange.groups, interchange.errors
            )
        )
        self.interchange = None
        return items

    # -- closing ------------------------------------------------------------------------

    def _stray(self, segment: Segment) -> None:
        interchange = self.interchange
        assert interchange is not None
        detail = f"{segment.elements[0][:3]} segment outside a transaction set"
        if interchange.group is not None:
            self._group_error(detail, None, _at(segment), "ST", segment.elements[0])
        else:
            self._interchange_error(
                detail, InterchangeNote.INVALID_CONTENT, _at(segment), "GS", segment.elements[0]
            )

    def _conclude(self, open_set: _OpenSet, trailer: Segment) -> ReadItem:
        interchange = self.interchange
        assert interchange is not None
        group = interchange.group
        spec = self.specs.get(open_set.set_id)
        body = open_set.body
        if spec is not None:
            found = check_set(spec, body, trailer)
        else:
            found = [s.fault for s in body if isinstance(s, BadSegment)]
        if found:
            open_set.errors.extend(self._context(e, open_set) for e in found)
            self._set_error(
                open_set,
                "one or more segments in error",
                SetSyntaxError.SEGMENTS_IN_ERROR,
                _at(trailer, None, segment_position=len(body) + 2),
                "valid segments",
                None,
            )
        header = open_set.header
        group_header = group.header if group else None
        if open_set.errors:
            return RejectedSet(
                open_set.set_id,
                open_set.control,
                interchange.header,
                group_header,
                body,
                header.offset,
                open_set.errors,
            )
        if group is not None:
            group.accepted += 1
        return TransactionSet(
            open_set.set_id,
            open_set.control,
            interchange.header,
            group_header,
            body,
            header.offset,
            header.element(3),
        )

    def _close_set(self, at: Segment) -> list[ReadItem]:
        interchange = self.interchange
        assert interchange is not None
        assert interchange.transaction is not None
        open_set = interchange.transaction
        interchange.transaction = None
        self._set_error(
            open_set,
            "transaction set trailer missing",
            SetSyntaxError.TRAILER_MISSING,
            _at(at, None, segment_position=len(open_set.body) + 2),
            "SE",
            at.elements[0],
        )
        return [self._conclude(open_set, at)]

    def _summarise_group(self, declared: int | None) -> GroupSummary:
        interchange = self.interchange
        assert interchange is not None
        assert interchange.group is not None
        group = interchange.group
        interchange.group = None
        interchange.groups += 1
        return GroupSummary(
            group.header, interchange.header, declared, group.received, group.accepted, group.errors
        )

    def _close_group(self, at: Segment) -> list[ReadItem]:
        interchange = self.interchange
        assert interchange is not None
        items = self._close_set(at) if interchange.transaction else []
        self._group_error(
            "functional group trailer missing",
            GroupSyntaxError.TRAILER_MISSING,
            _at(at),
            "GE",
            at.elements[0],
        )
        items.append(self._summarise_group(None))
        return items

    def finish(self, at: Segment) -> list[ReadItem]:
        """Close whatever the input left open (it ended, or a new ISA began)."""
        interchange = self.interchange
        if interchange is None:
            return []
        items = self._close_group(at) if interchange.group else []
        if interchange.transaction:
            items.extend(self._close_set(at))
        self._interchange_error(
            "interchange ended without IEA",
            InterchangeNote.PREMATURE_END_OF_FILE,
            _at(at),
            "IEA",
            at.elements[0],
        )
        items.append(
            InterchangeSummary(interchange.header, None, interchange.groups, interchange.errors)
        )
        self.interchange = None
        return items


def read_x12(
    source: BinaryIO | bytes,
    *,
    specs: Mapping[str, SetSpec] | None = SET_SPECS,
    reject_unsupported: bool = False,
    chunk_size: int = CHUNK_SIZE,
) -> Iterator[ReadItem]:
    """Read every interchange in ``source`` and yield its sets, rejections and summaries.

    ``specs`` are the set definitions to check contents against (None checks envelopes
    only); sets without a definition pass with envelope checks unless
    ``reject_unsupported`` asks for them to be rejected (AK502 code 1).
    """
    stream: BinaryIO = io.BytesIO(source) if isinstance(source, bytes) else source
    reader = _Reader(specs, reject_unsupported)
    envelope = ENVELOPE_TAGS
    segment: Segment | None = None
    # Only envelope segments open or close a set, so the open set's body is looked up once
    # after each of them rather than for every segment.
    add: Callable[[Segment], None] | None = None
    for segment in tokenize(stream, chunk_size):
        if segment.elements[0] in envelope:
            items = reader.envelope(segment)
            interchange = reader.interchange
            open_set = interchange.transaction if interchange is not None else None
            add = open_set.body.append if open_set is not None else None
            yield from items
        elif add is not None:
            add(segment)
        else:
            reader._stray(segment)
    if segment is not None:
        yield from reader.finish(segment)
