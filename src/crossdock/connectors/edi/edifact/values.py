"""Value readers shared by the message mappings; each failure names its segment and element."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import TypeVar

from pydantic import ValidationError

from crossdock.connectors.edi.edifact.codes import SyntaxErrorCode
from crossdock.connectors.edi.edifact.errors import EdifactError, Place
from crossdock.connectors.edi.edifact.model import Message
from crossdock.connectors.edi.edifact.syntax import Segment

T = TypeVar("T")
DATE_FORMATS = {"102": "%Y%m%d", "203": "%Y%m%d%H%M", "204": "%Y%m%d%H%M%S"}
"""2379 date/time format codes: CCYYMMDD, CCYYMMDDHHMM, CCYYMMDDHHMMSS."""
DEFAULT_UNIT = "C62"
"""Rec. 20 "one": a QTY without 6411 counts pieces, which is how EANCOM reads it."""


def at(
    message: Message,
    segment: Segment | None,
    element: int | None,
    reason: str,
    *,
    code: str | None = None,
    expected: str | None = None,
    found: str | None = None,
    component: int | None = None,
) -> EdifactError:
    """An error placed at a segment (or at the message when None) of a checked message."""
    return EdifactError(
        reason,
        place=Place(
            interchange_ref=message.interchange.reference,
            group_ref=message.group_ref,
            message_ref=message.reference,
            segment_position=message.position_of(segment) if segment else 1,
            segment_tag=segment.tag if segment else "UNH",
            element_position=element,
            component_position=component,
        ),
        code=code,
        expected=expected,
        found=found,
    )


def missing(message: Message, tag: str, what: str) -> EdifactError:
    return at(
        message,
        None,
        None,
        f"message has no {tag}",
        code=SyntaxErrorCode.MISSING,
        expected=f"{tag} ({what})",
    )


def decimal(message: Message, segment: Segment, element: int, component: int) -> Decimal | None:
    """A numeric component; both decimal marks are accepted, as syntax 3 allows on receipt."""
    raw = segment.value(element, component)
    if not raw:
        return None
    try:
        value = Decimal(raw.replace(",", "."))
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite():
        raise at(
            message,
            segment,
            element,
            "not a number",
            code=SyntaxErrorCode.INVALID_VALUE,
            expected="a decimal number",
            found=raw,
            component=component,
        )
    return value


def stamp(message: Message, segment: Segment) -> datetime:
    """DTM C507 as an aware instant; EDIFACT dates carry no zone, so UTC is assumed."""
    raw, fmt = segment.value(1, 2), segment.value(1, 3) or "102"
    pattern = DATE_FORMATS.get(fmt)
    if pattern is None:
        raise at(
            message,
            segment,
            1,
            "date format not supported",
            code=SyntaxErrorCode.VALUE_NOT_SUPPORTED_IN_POSITION,
            expected="format 102, 203 or 204",
            found=fmt,
            component=3,
        )
    try:
        return datetime.strptime(raw, pattern).replace(tzinfo=UTC)
    except ValueError:
        raise at(
            message,
            segment,
            1,
            "date does not match its format",
            code=SyntaxErrorCode.INVALID_VALUE,
            expected=f"a date in format {fmt}",
            found=raw,
            component=2,
        ) from None


def day(message: Message, segment: Segment) -> date:
    return stamp(message, segment).date()


def fmt_stamp(value: datetime) -> list[str]:
    """DTM C507 value and format: 102 for midnight UTC, 203 otherwise, so reads round-trip."""
    value = value.astimezone(UTC)
    if (value.hour, value.minute) == (0, 0):
        return [value.strftime("%Y%m%d"), "102"]
    return [value.strftime("%Y%m%d%H%M"), "203"]


def fmt_decimal(value: Decimal) -> str:
    return format(value, "f")


def build(message: Message, factory: Callable[[], T]) -> T:
    """Run a canonical constructor; a validation failure becomes an error on the message."""
    try:
        return factory()
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise at(
            message,
            None,
            None,
            "message does not make a valid canonical document",
            expected=f"{where}: {first['msg']}",
        ) from None
