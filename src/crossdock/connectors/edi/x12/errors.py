"""The one error type of the X12 package, which always says where in the input it happened."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Any

from crossdock.connectors.edi.x12.codes import ErrorLevel
from crossdock.errors import MappingError

_FOUND_LIMIT = 40


def _show(value: str) -> str:
    # Long or binary garbage would flood logs and dead-letter views; a prefix is enough to spot it.
    if len(value) > _FOUND_LIMIT:
        value = value[:_FOUND_LIMIT] + "..."
    return repr(value)


@dataclass(frozen=True, slots=True)
class Location:
    """Where an error sits, from the interchange down to the element, plus the byte offset."""

    offset: int | None = None
    """Byte offset in the input (None only for documents being written, which have none yet)."""
    interchange_control: str | None = None
    group_control: str | None = None
    transaction_control: str | None = None
    segment_index: int | None = None
    """1-based position of the segment in its interchange (ISA is 1)."""
    segment_position: int | None = None
    """1-based position of the segment in its transaction set (ST is 1), as AK302 reports it."""
    segment_id: str | None = None
    element_position: int | None = None
    component_position: int | None = None

    def describe(self) -> str:
        """Name the place the way an EDI analyst searches for it, outermost first."""
        parts: list[str] = []
        if self.interchange_control is not None:
            parts.append(f"interchange {self.interchange_control}")
        if self.group_control is not None:
            parts.append(f"group {self.group_control}")
        if self.transaction_control is not None:
            parts.append(f"transaction {self.transaction_control}")
        if self.segment_id is not None or self.segment_position is not None:
            seg = f"segment {self.segment_id or '?'}"
            if self.segment_position is not None:
                seg += f" #{self.segment_position} in set"
            elif self.segment_index is not None:
                seg += f" #{self.segment_index} in interchange"
            parts.append(seg)
        if self.element_position is not None:
            element = f"element {self.segment_id or ''}{self.element_position:02d}"
            if self.component_position is not None:
                element += f"-{self.component_position}"
            parts.append(element)
        if self.offset is not None:
            parts.append(f"byte {self.offset}")
        return ", ".join(parts)


class X12Error(MappingError):
    """An X12 document that cannot be read, or a part of it that must be rejected.

    Being a `MappingError` makes it permanent to the pipeline: the same bytes fail the same
    way, so retrying is pointless. `code` is the X12 error code for `level` (AK502 for a
    transaction, AK304 for a segment, AK403 for an element, AK905 for a group, TA105 for an
    interchange), which is what the 997 builder copies into the acknowledgement.
    """

    def __init__(
        self,
        detail: str,
        *,
        level: ErrorLevel,
        code: str | None = None,
        location: Location | None = None,
        expected: str | None = None,
        found: str | None = None,
    ) -> None:
        where = location or Location()
        message = detail
        if expected is not None:
            message += f"; expected {expected}"
        if found is not None:
            message += f"{',' if expected is not None else ';'} found {_show(found)}"
        super().__init__(message, where.describe())
        self.reason = detail
        """What is wrong, without the place (``detail`` has expected and found too)."""
        self.level = level
        self.code = code
        self.location = where
        self.expected = expected
        self.found = found

    # Flat accessors: callers filter dead letters by these without knowing about Location.
    @property
    def offset(self) -> int | None:
        return self.location.offset

    @property
    def interchange_control(self) -> str | None:
        return self.location.interchange_control

    @property
    def group_control(self) -> str | None:
        return self.location.group_control

    @property
    def transaction_control(self) -> str | None:
        return self.location.transaction_control

    @property
    def segment_position(self) -> int | None:
        return self.location.segment_position

    @property
    def segment_id(self) -> str | None:
        return self.location.segment_id

    @property
    def element_position(self) -> int | None:
        return self.location.element_position

    def within(self, **context: Any) -> X12Error:
        """The same error with outer context filled in where it was still unknown.

        Deep code (a mapping, a validator) knows the segment; the reader knows the
        envelopes. Only empty fields are filled, so the most precise knowledge wins.
        """
        known = {f.name for f in fields(Location)}
        updates = {
            key: value
            for key, value in context.items()
            if key in known and getattr(self.location, key) is None
        }
        if not updates:
            return self
        return X12Error(
            self.reason,
            level=self.level,
            code=self.code,
            location=replace(self.location, **updates),
            expected=self.expected,
            found=self.found,
        )
