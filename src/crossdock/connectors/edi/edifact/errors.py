"""The one error type of the EDIFACT package, which always says where in the input it happened."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Any

from crossdock.errors import MappingError

_FOUND_LIMIT = 40


def _show(value: str) -> str:
    # Binary garbage in a dead-letter view helps nobody; a prefix is enough to spot it.
    if len(value) > _FOUND_LIMIT:
        value = value[:_FOUND_LIMIT] + "..."
    return repr(value)


@dataclass(frozen=True, slots=True)
class Place:
    """Where an error sits, outermost first, in the terms a CONTRL reports it."""

    interchange_ref: str | None = None
    """UNB 0020, the interchange control reference."""
    group_ref: str | None = None
    message_ref: str | None = None
    """UNH 0062, the message reference number."""
    segment_position: int | None = None
    """1-based position of the segment: in its message (UNH is 1) when inside one, as UCS
    0096 counts, else in the interchange (UNB is 1); 0 is the UNA, which comes before both."""
    segment_tag: str | None = None
    element_position: int | None = None
    """1-based position of the data element after the tag, as UCD 0098 counts."""
    component_position: int | None = None

    def describe(self) -> str:
        """Name the place the way an EDI analyst searches for it."""
        parts: list[str] = []
        if self.interchange_ref is not None:
            parts.append(f"interchange {self.interchange_ref}")
        if self.group_ref is not None:
            parts.append(f"group {self.group_ref}")
        if self.message_ref is not None:
            parts.append(f"message {self.message_ref}")
        if self.segment_tag is not None or self.segment_position is not None:
            segment = f"segment {self.segment_tag or '?'}"
            if self.segment_position is not None:
                scope = "message" if self.message_ref is not None else "interchange"
                segment += f" #{self.segment_position} in {scope}"
            parts.append(segment)
        if self.element_position is not None:
            element = f"element {self.element_position}"
            if self.component_position is not None:
                element += f":{self.component_position}"
            parts.append(element)
        return ", ".join(parts)


class EdifactError(MappingError):
    """An EDIFACT interchange, or a message in it, that cannot be read or mapped.

    A `MappingError`, so the pipeline treats it as permanent: the same bytes fail the same
    way. `code` is the UN/EDIFACT syntax error code (data element 0085) that a CONTRL
    reports for it, when the error is one a CONTRL can report.
    """

    def __init__(
        self,
        reason: str,
        *,
        place: Place | None = None,
        code: str | None = None,
        expected: str | None = None,
        found: str | None = None,
    ) -> None:
        where = place or Place()
        detail = reason
        if expected is not None:
            detail += f"; expected {expected}"
        if found is not None:
            detail += f"{',' if expected is not None else ';'} found {_show(found)}"
        super().__init__(detail, where.describe())
        self.reason = reason
        self.location = where
        self.code = code
        self.expected = expected
        self.found = found

    @property
    def interchange_ref(self) -> str | None:
        return self.location.interchange_ref

    @property
    def message_ref(self) -> str | None:
        return self.location.message_ref

    @property
    def segment_position(self) -> int | None:
        return self.location.segment_position

    @property
    def segment_tag(self) -> str | None:
        return self.location.segment_tag

    @property
    def element_position(self) -> int | None:
        return self.location.element_position

    def within(self, **context: Any) -> EdifactError:
        """The same error with outer context filled in where still unknown.

        A mapping knows the segment, the reader knows the envelopes; only empty fields are
        filled so the most precise knowledge wins.
        """
        known = {f.name for f in fields(Place)}
        updates = {
            key: value
            for key, value in context.items()
            if key in known and getattr(self.location, key) is None
        }
        if not updates:
            return self
        return EdifactError(
            self.reason,
            place=replace(self.location, **updates),
            code=self.code,
            expected=self.expected,
            found=self.found,
        )
