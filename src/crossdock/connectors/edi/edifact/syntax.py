"""EDIFACT segments in and out: pydifact tokenizes, this module keeps positions and components.

pydifact's own parser flattens a one-component element to a string and drops the segment's
position, both of which a located error and a CONTRL need, so only its tokenizer and its
service-character handling (`Characters`) are used here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from pydifact.control.characters import Characters
from pydifact.exceptions import EDISyntaxError, ValidationError
from pydifact.token import Token
from pydifact.tokenizer import Tokenizer

from crossdock.connectors.edi.edifact.codes import SyntaxErrorCode
from crossdock.connectors.edi.edifact.errors import EdifactError, Place

UNA_LENGTH = 9
DEFAULT_SERVICE_CHARACTERS = ":+,? '"
"""ISO 9735 defaults when no UNA is sent: component, element, decimal, release, space, end."""
_TAG = re.compile(r"^[A-Z][A-Z0-9]{2}$")
_UNICODE_SYNTAXES = ("UNOW", "UNOY")
_SYNTAX_ID = re.compile(rb"UNB.(UNO[A-Z])")

OutElement = str | Sequence[str]
OutSegment = Sequence[OutElement]
"""A segment to write: the tag, then elements, each a value or a list of components."""


@dataclass(frozen=True, slots=True)
class Segment:
    """One segment as read: its tag, its elements as component tuples, and where it was."""

    tag: str
    elements: tuple[tuple[str, ...], ...]
    position: int
    """1-based position in the input (a UNA does not count)."""

    def value(self, element: int, component: int = 1) -> str:
        """The component at 1-based positions, or "" when the sender left it out."""
        if element > len(self.elements):
            return ""
        parts = self.elements[element - 1]
        return parts[component - 1] if component <= len(parts) else ""


def decode(data: bytes | str) -> str:
    """Text from bytes: UTF-8 for the Unicode syntaxes (UNOW, UNOY), else ISO 8859-1.

    Latin-1 maps every byte, so UNOA to UNOC (and garbage) decode without loss and bad
    characters surface as located errors later instead of a bare UnicodeDecodeError.
    """
    if isinstance(data, str):
        return data
    syntax = _SYNTAX_ID.search(data[:200])
    if syntax is not None and syntax.group(1).decode("ascii") in _UNICODE_SYNTAXES:
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise EdifactError(
                "interchange is not valid UTF-8",
                place=Place(segment_position=1, segment_tag="UNB"),
                code=SyntaxErrorCode.INVALID_VALUE,
                expected="UTF-8 text, as UNB 0001 says",
                found=data[exc.start : exc.start + 8].hex(),
            ) from exc
    return data.decode("latin-1")


def service_characters(text: str) -> tuple[Characters, str]:
    """The service characters from a UNA (or the syntax defaults) and the text after it."""
    start = text.lstrip("\ufeff\r\n ")
    if not start.startswith("UNA"):
        return Characters.from_str(DEFAULT_SERVICE_CHARACTERS), start
    if len(start) < UNA_LENGTH:
        raise EdifactError(
            "UNA is cut short",
            place=Place(segment_position=0, segment_tag="UNA"),
            code=SyntaxErrorCode.MISSING,
            expected="six service characters",
            found=start[3:],
        )
    advice = start[3:UNA_LENGTH]
    try:
        characters = Characters.from_str(advice)
    except ValidationError as exc:  # pragma: no cover - the length is checked above
        raise EdifactError(
            "UNA is unreadable", place=Place(segment_position=0, segment_tag="UNA")
        ) from exc
    used = (
        characters.component_separator,
        characters.data_separator,
        characters.escape_character,
        characters.segment_terminator,
    )
    if len(set(used)) != len(used) or any(c.isalnum() for c in used):
        # A separator that doubles as another (or as data) makes every later split a guess.
        raise EdifactError(
            "UNA advises a character twice or a letter or digit as a service character",
            place=Place(segment_position=0, segment_tag="UNA"),
            code=SyntaxErrorCode.INVALID_SERVICE_CHARACTER,
            expected="four distinct non-alphanumeric service characters",
            found=advice,
        )
    return characters, start[UNA_LENGTH:].lstrip("\r\n")


def segments(text: str, characters: Characters) -> Iterator[Segment]:
    """Segments in input order; any tokenizer failure becomes a located `EdifactError`."""
    elements: list[list[str]] = [[""]]
    position = 1
    tokens = Tokenizer().get_tokens(text, characters)
    while True:
        try:
            token = next(tokens, None)
        except (EDISyntaxError, AssertionError, IndexError, TypeError) as exc:
            # pydifact signals a truncated escape with an assert; all of these mean the
            # input ended or broke inside this segment.
            raise EdifactError(
                "segment cannot be tokenized",
                place=Place(segment_position=position, segment_tag=_tag_of(elements)),
                code=SyntaxErrorCode.INVALID_VALUE,
                expected="a segment ending in the segment terminator",
                found=str(exc) or type(exc).__name__,
            ) from exc
        if token is None:
            break
        if token.type is Token.Type.CONTENT:
            elements[-1][-1] += token.value
        elif token.type is Token.Type.COMPONENT_SEPARATOR:
            elements[-1].append("")
        elif token.type is Token.Type.DATA_SEPARATOR:
            elements.append([""])
        else:
            yield _finish(elements, position)
            elements = [[""]]
            position += 1
    if elements != [[""]]:
        raise EdifactError(
            "input ends inside a segment",
            place=Place(segment_position=position, segment_tag=_tag_of(elements)),
            code=SyntaxErrorCode.MISSING,
            expected="the segment terminator",
        )


def _tag_of(elements: list[list[str]]) -> str | None:
    return elements[0][0][:3] or None


def _finish(elements: list[list[str]], position: int) -> Segment:
    tag = elements[0]
    if len(tag) != 1 or not _TAG.match(tag[0]):
        raise EdifactError(
            "segment tag is not valid",
            place=Place(segment_position=position, segment_tag=tag[0][:3] or None),
            code=SyntaxErrorCode.INVALID_VALUE,
            expected="three upper-case letters or digits",
            found=characters_of(tag),
        )
    return Segment(tag[0], tuple(tuple(e) for e in elements[1:]), position)


def characters_of(parts: list[str]) -> str:
    return ":".join(parts)


def _escape(value: str, characters: Characters) -> str:
    specials = {
        characters.component_separator,
        characters.data_separator,
        characters.escape_character,
        characters.segment_terminator,
    }
    return "".join(characters.escape_character + c if c in specials else c for c in value)


def _element(element: OutElement, characters: Characters) -> str:
    parts = [element] if isinstance(element, str) else list(element)
    while parts and not parts[-1]:
        parts.pop()
    return characters.component_separator.join(_escape(p, characters) for p in parts)


def serialize(out: Sequence[OutSegment], characters: Characters, *, una: bool = True) -> str:
    """Text for segments, escaping service characters and trimming trailing empties."""
    text = characters.service_string_advice if una else ""
    for segment in out:
        tag, *rest = segment
        elements = [_element(e, characters) for e in rest]
        while elements and not elements[-1]:
            elements.pop()
        text += characters.data_separator.join([str(tag), *elements])
        text += characters.segment_terminator
    return text
