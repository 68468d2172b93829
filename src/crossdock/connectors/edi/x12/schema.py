"""Segment and transaction set definitions, and the syntax check a 997 reports on.

Definitions are data (element type, length, requirement, codes), so adding a set is a table,
not code. The check follows X12.6 syntax rules: numeric lengths exclude sign and decimal
point, dates are CCYYMMDD (or YYMMDD), times HHMM[SS[d..]].
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from crossdock.connectors.edi.x12.codes import ElementSyntaxError, ErrorLevel, SegmentSyntaxError
from crossdock.connectors.edi.x12.errors import Location, X12Error
from crossdock.connectors.edi.x12.lexer import BadSegment, Segment

TAG_PATTERN = re.compile(r"[A-Z][A-Z0-9]{1,2}")
_NUMBER = re.compile(r"-?[0-9]+")
_DECIMAL = re.compile(r"-?(?:[0-9]+\.?[0-9]*|\.[0-9]+)")
_DIGITS = re.compile(r"[0-9]+")
_SHORT_DATE = 6
_LONG_DATE = 8
_TIME_LENGTHS = frozenset({4, 6, 7, 8})


@dataclass(frozen=True, slots=True)
class ElementDef:
    """One simple data element as the standard defines it."""

    kind: str
    """``AN``, ``ID``, ``DT``, ``TM``, ``R``, ``N0``..``N9``, or ``C`` for a composite
    (composites are checked for presence only)."""
    min_length: int
    max_length: int
    required: bool = False
    codes: frozenset[str] | None = None


def element(
    kind: str, low: int, high: int, *, required: bool = False, codes: str = ""
) -> ElementDef:
    """Shorthand for the tables: ``codes`` is a space-separated list of allowed values."""
    return ElementDef(kind, low, high, required, frozenset(codes.split()) if codes else None)


@dataclass(frozen=True, slots=True)
class SegmentDef:
    """A segment's elements; ``elements=()`` with ``max_elements`` only bounds the count."""

    tag: str
    elements: tuple[ElementDef, ...] = ()
    max_elements: int = 0
    limit: int = field(init=False)
    """How many elements the segment may have; computed once, checked per segment."""
    required: tuple[int, ...] = field(init=False)
    """Positions of the mandatory elements, so absent trailing elements cost nothing."""
    fast: re.Pattern[str] = field(init=False, repr=False, compare=False)
    """Matches the segment's elements joined by `JOINER` exactly when none is in error,
    except for calendar dates, which `dates` lists for a second look."""
    dates: tuple[int, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "limit", max(self.max_elements, len(self.elements)))
        required = tuple(i for i, e in enumerate(self.elements, 1) if e.required)
        object.__setattr__(self, "required", required)
        object.__setattr__(self, "fast", re.compile(_segment_pattern(self), re.DOTALL))
        dates = tuple(i for i, e in enumerate(self.elements, 1) if e.kind == "DT")
        object.__setattr__(self, "dates", dates)


@dataclass(frozen=True, slots=True)
class SetSpec:
    """Which segments a transaction set may hold and which it must hold."""

    set_id: str
    segments: Mapping[str, SegmentDef]
    mandatory: tuple[str, ...]


JOINER = "\x1d"
"""Joins a segment's elements for the fast check; a value holding it takes the slow path."""
_ANY = "[^\x1d]"


def _element_pattern(definition: ElementDef) -> str:
    """A regular expression for one valid, non-empty value of ``definition``."""
    kind, low, high = definition.kind, definition.min_length, definition.max_length
    if kind == "C":
        return f"{_ANY}+"
    if definition.codes is not None:
        return "(?:" + "|".join(re.escape(c) for c in sorted(definition.codes, key=len)[::-1]) + ")"
    if kind in ("AN", "ID"):
        return f"{_ANY}{{{low},{high}}}"
    if kind == "DT":
        return "(?:[0-9]{8}|[0-9]{6})"
    if kind == "TM":
        return "(?:[01][0-9]|2[0-3])[0-5][0-9](?:[0-5][0-9](?:[0-9]{1,2})?)?"
    if kind[0] == "N":
        return f"-?[0-9]{{{low},{high}}}"
    # R: one optional point, and between low and high digits (sign and point not counted).
    end = f"(?:{JOINER}|\\Z)"
    return f"-?(?=\\.?(?:[0-9]\\.?){{{low},{high}}}{end})(?:[0-9]+\\.?[0-9]*|\\.[0-9]+)"


def _segment_pattern(definition: SegmentDef) -> str:
    """All elements as nested optional groups: an element may be absent only if every
    element after it may be too; unchecked elements beyond the definitions are anything."""
    elements = definition.elements
    extra = definition.limit - len(elements)
    tail = f"(?:{JOINER}{_ANY}*){{0,{extra}}}" if extra > 0 else ""
    last_required = max(definition.required, default=0)
    pattern = tail
    for position in range(len(elements), 0, -1):
        element_def = elements[position - 1]
        body = _element_pattern(element_def)
        value = body if element_def.required else f"(?:{body})?"
        joiner = JOINER if position > 1 else ""
        group = f"{joiner}{value}{pattern}"
        pattern = group if position <= last_required or position == 1 else f"(?:{group})?"
    if not elements:
        pattern = f"{_ANY}*{tail}" if definition.limit else ".*"
    return pattern


def segment_table(definitions: Sequence[SegmentDef]) -> dict[str, SegmentDef]:
    return {definition.tag: definition for definition in definitions}


def _is_date(value: str) -> bool:
    if not _DIGITS.fullmatch(value) or len(value) not in (_SHORT_DATE, _LONG_DATE):
        return False
    year = int(value[:-4]) + (2000 if len(value) == _SHORT_DATE else 0)
    try:
        date(year, int(value[-4:-2]), int(value[-2:]))
    except ValueError:
        return False
    return True


def _is_time(value: str) -> bool:
    if not _DIGITS.fullmatch(value) or len(value) not in _TIME_LENGTHS:
        return False
    seconds_ok = len(value) < 6 or int(value[4:6]) < 60
    return int(value[:2]) < 24 and int(value[2:4]) < 60 and seconds_ok


def _element_problem(definition: ElementDef, value: str) -> tuple[ElementSyntaxError, str] | None:
    kind = definition.kind
    length = len(value)
    if kind == "AN" or (kind == "ID" and definition.codes is None):
        if definition.min_length <= length <= definition.max_length:
            return None
    elif kind == "C":
        return None
    if kind == "DT":
        return None if _is_date(value) else (ElementSyntaxError.INVALID_DATE, "CCYYMMDD")
    if kind == "TM":
        return None if _is_time(value) else (ElementSyntaxError.INVALID_TIME, "HHMM[SS]")
    if kind[0] == "N":
        if not _NUMBER.fullmatch(value):
            return ElementSyntaxError.INVALID_CHARACTER, "digits"
        length -= value.startswith("-")
    elif kind == "R":
        if not _DECIMAL.fullmatch(value):
            return ElementSyntaxError.INVALID_CHARACTER, "a decimal number"
        length -= value.startswith("-") + ("." in value)
    if length < definition.min_length:
        return ElementSyntaxError.TOO_SHORT, f"at least {definition.min_length} characters"
    if length > definition.max_length:
        return ElementSyntaxError.TOO_LONG, f"at most {definition.max_length} characters"
    if definition.codes is not None and value not in definition.codes:
        return ElementSyntaxError.INVALID_CODE_VALUE, "one of " + ", ".join(
            sorted(definition.codes)
        )
    return None


def _element_error(
    segment: Segment,
    position: int,
    element_position: int,
    code: ElementSyntaxError,
    expected: str,
    found: str | None,
) -> X12Error:
    return X12Error(
        "data element error",
        level=ErrorLevel.ELEMENT,
        code=code,
        location=Location(
            offset=segment.offset,
            segment_index=segment.index,
            segment_position=position,
            segment_id=segment.elements[0],
            element_position=element_position,
        ),
        expected=expected,
        found=found,
    )


def check_segment(definition: SegmentDef, segment: Segment, position: int) -> list[X12Error]:
    """Element errors of one segment (AK4 material), in element order.

    Almost every segment is valid, so one regular expression over the whole segment decides
    that first; only a segment it refuses is inspected element by element for the errors.
    """
    values = segment.elements
    joined = JOINER.join(values[1:])
    if joined.count(JOINER) == len(values) - 2 and definition.fast.fullmatch(joined):
        dates = definition.dates
        if not dates or all(_is_date(values[p]) for p in dates if p < len(values) and values[p]):
            return []
    return _segment_errors(definition, segment, position)


def _segment_errors(definition: SegmentDef, segment: Segment, position: int) -> list[X12Error]:
    errors: list[X12Error] = []
    values = segment.elements
    present = len(values) - 1
    limit = definition.limit
    if limit and present > limit:
        errors.append(
            _element_error(
                segment,
                position,
                limit + 1,
                ElementSyntaxError.TOO_MANY_ELEMENTS,
                f"{limit} elements",
                values[-1],
            )
        )
    defs = definition.elements
    # Only the elements present are inspected; absent ones matter only when mandatory.
    for pos in range(1, min(present, len(defs)) + 1):
        value = values[pos]
        element_def = defs[pos - 1]
        if not value:
            if element_def.required:
                errors.append(
                    _element_error(
                        segment,
                        position,
                        pos,
                        ElementSyntaxError.MANDATORY_MISSING,
                        "a value",
                        None,
                    )
                )
            continue
        problem = _element_problem(element_def, value)
        if problem is not None:
            errors.append(_element_error(segment, position, pos, problem[0], problem[1], value))
    errors.extend(
        _element_error(
            segment, position, pos, ElementSyntaxError.MANDATORY_MISSING, "a value", None
        )
        for pos in definition.required
        if pos > present
    )
    return errors


def _segment_error(
    segment: Segment, position: int, code: SegmentSyntaxError, detail: str, expected: str
) -> X12Error:
    return X12Error(
        detail,
        level=ErrorLevel.SEGMENT,
        code=code,
        location=Location(
            offset=segment.offset,
            segment_index=segment.index,
            segment_position=position,
            segment_id=segment.elements[0][:3],
        ),
        expected=expected,
        found=segment.elements[0],
    )


def check_set(spec: SetSpec, body: Sequence[Segment], trailer: Segment) -> list[X12Error]:
    """All segment and element errors of a set's body (ST and SE are the reader's)."""
    errors: list[X12Error] = []
    seen: set[str] = set()
    table = spec.segments
    for position, segment in enumerate(body, 2):
        tag = segment.elements[0]
        if isinstance(segment, BadSegment):
            errors.append(
                segment.fault.within(segment_position=position, segment_id=tag[:3] or None)
            )
            continue
        definition = table.get(tag)
        if definition is None:
            if TAG_PATTERN.fullmatch(tag):
                code = SegmentSyntaxError.UNEXPECTED_SEGMENT
                detail = f"segment not expected in a {spec.set_id}"
            else:
                code = SegmentSyntaxError.UNRECOGNIZED_SEGMENT_ID
                detail = "unrecognized segment id"
            errors.append(_segment_error(segment, position, code, detail, "a segment of the set"))
            continue
        seen.add(tag)
        if not (definition.elements or definition.max_elements):
            continue
        # check_segment's fast path, inlined: this loop runs once per segment of the file.
        # Segments with dates take the full check anyway: no join for them.
        if not definition.dates:
            values = segment.elements
            joined = JOINER.join(values[1:])
            if joined.count(JOINER) == len(values) - 2 and definition.fast.fullmatch(joined):
                continue
        errors.extend(check_segment(definition, segment, position))
    for tag in spec.mandatory:
        if tag in seen:
            continue
        # AK3 names the missing segment at the position where the set ended without it.
        errors.append(
            X12Error(
                f"mandatory segment {tag} missing",
                level=ErrorLevel.SEGMENT,
                code=SegmentSyntaxError.MANDATORY_SEGMENT_MISSING,
                location=Location(
                    offset=trailer.offset,
                    segment_index=trailer.index,
                    segment_position=len(body) + 2,
                    segment_id=tag,
                ),
                expected=tag,
                found=trailer.elements[0],
            )
        )
    return errors
