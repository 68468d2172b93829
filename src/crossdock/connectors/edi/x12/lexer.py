"""Streaming tokenizer: bytes in fixed-size chunks to X12 segments, with their positions.

Work is done with ``bytes.split`` on whole chunks rather than per character, so the cost per
segment is a handful of C calls; memory holds one chunk plus one partial segment. Each
interchange's separators come from its own ISA, so a file may concatenate interchanges
written by different translators.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

from crossdock.connectors.edi.x12.codes import ElementSyntaxError, ErrorLevel, InterchangeNote
from crossdock.connectors.edi.x12.errors import Location, X12Error
from crossdock.connectors.edi.x12.separators import ISA_SCAN_LIMIT, Separators, read_isa

CHUNK_SIZE = 64 * 1024
MIN_CHUNK_SIZE = ISA_SCAN_LIMIT
BOM = b"\xef\xbb\xbf"
WHITESPACE = b" \t\r\n\x0b\x0c"
"""Tolerated around segments: line breaks after terminators and indentation of lines."""


class Segment:
    """One segment: ``elements[0]`` is the segment id, so ``elements[1]`` is element 01.

    Components and repetitions are split only when asked for, because most elements have
    none and splitting every element would double the reader's cost.
    """

    __slots__ = ("elements", "index", "offset", "separators")

    def __init__(
        self, elements: list[str], index: int, offset: int, separators: Separators
    ) -> None:
        self.elements = elements
        self.index = index
        """1-based position of the segment in its interchange (ISA is 1)."""
        self.offset = offset
        """Byte offset of the segment's first character in the input."""
        self.separators = separators

    @property
    def tag(self) -> str:
        return self.elements[0]

    def element(self, position: int) -> str:
        """Element ``position`` (1-based) or an empty string when the segment is shorter."""
        try:  # the mappings ask for present elements far more often than for absent ones
            return self.elements[position]
        except IndexError:
            return ""

    def components(self, position: int) -> list[str]:
        """The components of a composite element; a simple element gives one component."""
        return self.element(position).split(self.separators.component)

    def repeats(self, position: int) -> list[str]:
        """The repetitions of an element (005010); without a repetition separator, one value."""
        value = self.element(position)
        if self.separators.repetition is None:
            return [value]
        return value.split(self.separators.repetition)

    def __repr__(self) -> str:
        return f"Segment({self.separators.element.join(self.elements)!r} @ {self.offset})"


class BadSegment(Segment):
    """A segment whose bytes are not UTF-8; kept (with the bad bytes escaped) so the reader
    can reject just its transaction set instead of the whole file."""

    __slots__ = ("fault",)

    def __init__(
        self,
        elements: list[str],
        index: int,
        offset: int,
        separators: Separators,
        fault: X12Error,
    ) -> None:
        super().__init__(elements, index, offset, separators)
        self.fault = fault


def _bad_segment(
    raw: bytes, error: UnicodeDecodeError, index: int, offset: int, separators: Separators
) -> BadSegment:
    text = raw.decode("utf-8", "surrogateescape")
    elements = text.split(separators.element)
    position = raw[: error.start].count(separators.element.encode("ascii"))
    fault = X12Error(
        "element holds bytes that are not UTF-8 text",
        level=ErrorLevel.ELEMENT,
        code=ElementSyntaxError.INVALID_CHARACTER,
        location=Location(
            offset=offset + error.start,
            segment_index=index,
            segment_id=elements[0][:3] if position else None,
            element_position=position or None,
        ),
        expected="UTF-8 text",
        found=raw[error.start : error.end + 8].decode("latin-1"),
    )
    return BadSegment(elements, index, offset, separators, fault)


class _Scanner:
    """The buffer of unread bytes and where it sits in the input."""

    def __init__(self, stream: BinaryIO, chunk_size: int) -> None:
        self.read = stream.read
        self.chunk_size = max(chunk_size, MIN_CHUNK_SIZE)
        self.buf = bytes(self.read(self.chunk_size) or b"")
        self.eof = not self.buf
        self.base = 0  # offset in the input of buf[0]
        if self.buf.startswith(BOM):
            self.buf = self.buf[len(BOM) :]
            self.base = len(BOM)

    def more(self) -> bytes:
        data = b"" if self.eof else bytes(self.read(self.chunk_size) or b"")
        self.eof = not data
        return data

    def skip_to(self, rel: int) -> None:
        rel = min(rel, len(self.buf))
        self.base += rel
        self.buf = self.buf[rel:]

    def header(self) -> Segment | None:
        """Skip blank space, buffer a whole ISA and read its separators; None at the end."""
        while True:
            stripped = self.buf.lstrip(WHITESPACE)
            self.skip_to(len(self.buf) - len(stripped))
            if self.eof or len(self.buf) >= ISA_SCAN_LIMIT:
                break
            self.buf += self.more()
        if not self.buf:
            return None
        if not self.buf.startswith(b"ISA"):
            raise X12Error(
                "content where an interchange header must start",
                level=ErrorLevel.INTERCHANGE,
                code=InterchangeNote.INVALID_CONTENT,
                location=Location(offset=self.base),
                expected="ISA",
                found=self.buf[:20].decode("latin-1"),
            )
        header = read_isa(self.buf, self.base)
        isa = Segment(list(header.fields), 1, self.base, header.separators)
        self.skip_to(header.length)
        return isa

    def body(self, separators: Separators) -> Iterator[Segment]:
        """Segments after an ISA up to its IEA (or a next ISA, or the end of input)."""
        terminator = separators.segment.encode("ascii")
        step = len(terminator)
        element = separators.element
        index = 1
        while True:
            data = self.more()
            if data:
                self.buf += data
            buf, base = self.buf, self.base
            parts = buf.split(terminator)
            if not self.eof:
                parts.pop()  # incomplete: it comes back with the next chunk
            rel = 0
            for part in parts:
                start = rel
                rel += len(part) + step
                raw = part.strip(WHITESPACE)
                if raw is part:  # nothing around the segment: the usual case, no search
                    offset = base + start
                elif not raw:
                    continue
                else:  # the first byte of `raw` is the first one that is not white space
                    offset = base + start + part.find(raw[:1])
                index += 1
                try:
                    elements = raw.decode("utf-8").split(element)
                except UnicodeDecodeError as exc:
                    yield _bad_segment(raw, exc, index, offset, separators)
                    continue
                tag = elements[0]
                if tag == "ISA":
                    # A new interchange without an IEA before it: its separators are re-read.
                    self.skip_to(start)
                    return
                yield Segment(elements, index, offset, separators)
                if tag == "IEA":
                    self.skip_to(rel)
                    return
            if self.eof:
                self.skip_to(len(buf))
                return
            self.skip_to(rel)


def tokenize(stream: BinaryIO, chunk_size: int = CHUNK_SIZE) -> Iterator[Segment]:
    """Yield every segment of every interchange in ``stream``.

    Raises `X12Error` only for what makes the rest unreadable: content where an ISA must be,
    or an ISA whose separators cannot be read. Everything else is the reader's to judge.
    """
    scanner = _Scanner(stream, chunk_size)
    while True:
        isa = scanner.header()
        if isa is None:
            return
        yield isa
        yield from scanner.body(isa.separators)
