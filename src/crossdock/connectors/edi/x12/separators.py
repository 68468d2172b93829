"""Separators of an interchange, read from its ISA segment, which is the only place they live.

An ISA is 106 characters of fixed-width fields: the element separator is the byte right after
``ISA``, the component separator is ISA16, and whatever follows ISA16 is the segment
terminator. From control version 00402 on, ISA11 carries the repetition separator; in 00401
and before it is the standards identifier ``U``. Senders often follow the terminator with a
line break (``~`` then CR LF) or use a line break as the terminator itself; both are accepted.
"""

from __future__ import annotations

from dataclasses import dataclass

from crossdock.connectors.edi.x12.codes import ErrorLevel, InterchangeNote
from crossdock.connectors.edi.x12.errors import Location, X12Error

ISA_LENGTH = 106
"""ISA through its terminator, when the sender respects the fixed widths."""
ISA_ELEMENT_COUNT = 16
ISA_SCAN_LIMIT = 512
"""How far to look for ISA16 when a sender did not pad the fixed-width fields."""
LINE_BREAKS = b"\r\n"
_REPETITION_FROM_VERSION = "00402"


def _is_usable_delimiter(char: str, *, line_break_ok: bool) -> bool:
    if len(char) != 1 or not char.isascii() or char.isalnum():
        return False
    if char in "\r\n":
        return line_break_ok
    return not char.isspace() and char.isprintable()


@dataclass(frozen=True, slots=True)
class Separators:
    """The four delimiters of one interchange plus the line break written after each segment."""

    element: str = "*"
    component: str = ">"
    repetition: str | None = "^"
    """None when the interchange has no repetition separator (control versions before 00402)."""
    segment: str = "~"
    suffix: str = ""
    """Written after each terminator, e.g. ``"\\r\\n"`` for one segment per line."""

    def problem(self) -> str | None:
        """Why these separators cannot delimit X12, or None when they can."""
        named = {"element": self.element, "component": self.component, "segment": self.segment}
        if self.repetition is not None:
            named["repetition"] = self.repetition
        for name, char in named.items():
            if not _is_usable_delimiter(char, line_break_ok=name == "segment"):
                return f"{name} separator {char!r} is not a single punctuation character"
        if len(set(named.values())) != len(named):
            return f"separators must all differ, got {named}"
        if self.suffix.strip("\r\n") or (self.segment == "\n" and self.suffix):
            return f"segment suffix {self.suffix!r} must be line breaks after the terminator"
        return None

    @property
    def text(self) -> str:
        """All characters that cannot appear inside a value of this interchange."""
        return self.element + self.component + (self.repetition or "") + self.segment


@dataclass(frozen=True, slots=True)
class IsaHeader:
    """What the ISA segment says, with the separators it declares."""

    fields: tuple[str, ...]
    """ISA00..ISA16 where ISA00 is the tag, so that ``fields[13]`` is ISA13."""
    separators: Separators
    length: int
    """Bytes from ``I`` of ISA through the terminator (not the line break after it)."""


def _fail(detail: str, code: InterchangeNote, offset: int, found: str | None = None) -> X12Error:
    return X12Error(
        detail,
        level=ErrorLevel.INTERCHANGE,
        code=code,
        location=Location(offset=offset, segment_id="ISA", segment_index=1),
        found=found,
        expected="an ISA segment of 16 elements followed by a segment terminator",
    )


def read_isa(data: bytes, offset: int) -> IsaHeader:
    """Read the separators and fields of the ISA that starts ``data``.

    ``offset`` is where ``data`` starts in the input, so errors point at the right byte.
    Fixed widths are not enforced: some senders trim ISA06/ISA08, and the separators are
    found by counting element separators, which is exactly as reliable.
    """
    if len(data) < 4 or not data.startswith(b"ISA"):
        raise _fail(
            "interchange does not start with ISA",
            InterchangeNote.INVALID_CONTENT,
            offset,
            data[:10].decode("latin-1"),
        )
    element_byte = data[3:4]
    element = element_byte.decode("latin-1")
    if not _is_usable_delimiter(element, line_break_ok=False):
        raise _fail(
            "invalid element separator",
            InterchangeNote.INVALID_ELEMENT_SEPARATOR,
            offset + 3,
            element,
        )
    window = data[:ISA_SCAN_LIMIT]
    position = 3
    for _ in range(ISA_ELEMENT_COUNT - 1):
        position = window.find(element_byte, position + 1)
        if position < 0:
            raise _fail(
                "ISA segment is truncated",
                InterchangeNote.PREMATURE_END_OF_FILE,
                offset + len(window),
            )
    # position is now the separator before ISA16; ISA16 is one byte, the terminator follows.
    if len(window) < position + 3:
        raise _fail(
            "ISA segment ends before its terminator",
            InterchangeNote.PREMATURE_END_OF_FILE,
            offset + len(window),
        )
    component = window[position + 1 : position + 2].decode("latin-1")
    terminator = window[position + 2 : position + 3].decode("latin-1")
    after = window[position + 3 : position + 5]
    suffix = ""
    if terminator == "\r" and after[:1] == b"\n":
        suffix = "\n"
    elif terminator not in "\r\n":
        while after[:1] in (b"\r", b"\n") and after[:1]:
            suffix += after[:1].decode("ascii")
            after = after[1:]
    try:
        text = window[: position + 2].decode("ascii")
    except UnicodeDecodeError as exc:
        raise _fail(
            "ISA contains non-ASCII bytes", InterchangeNote.INVALID_CONTENT, offset + exc.start
        ) from None
    values = tuple(text.split(element))
    if len(values) != ISA_ELEMENT_COUNT + 1:
        raise _fail(
            "ISA does not have 16 elements", InterchangeNote.INVALID_CONTROL_STRUCTURE, offset, text
        )
    version = values[12]
    repetition: str | None = None
    if version >= _REPETITION_FROM_VERSION and _is_usable_delimiter(
        values[11], line_break_ok=False
    ):
        repetition = values[11]
    separators = Separators(element, component, repetition, terminator, suffix)
    problem = separators.problem()
    if problem is not None:
        code = (
            InterchangeNote.INVALID_SEGMENT_TERMINATOR
            if "segment" in problem
            else InterchangeNote.INVALID_COMPONENT_SEPARATOR
        )
        raise _fail(problem, code, offset + position + 1, component + terminator)
    return IsaHeader(values, separators, position + 3)
