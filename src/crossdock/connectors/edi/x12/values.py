"""Conversions between X12 element values and canonical values, failing with a located error.

Mappings call these with the segment and its position in the set, so a bad date in a PO1
comes back as "transaction 0001, segment PO1 #12 in set, element PO104" and not as a bare
ValueError from somewhere in the standard library.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import TypeVar

from pydantic import ValidationError

from crossdock.connectors.edi.x12.codes import ElementSyntaxError, ErrorLevel, SegmentSyntaxError
from crossdock.connectors.edi.x12.errors import Location, X12Error
from crossdock.connectors.edi.x12.lexer import Segment
from crossdock.connectors.edi.x12.model import TransactionSet

T = TypeVar("T")

X12_TO_UNECE = {
    "EA": "C62",
    "CA": "CS",
    "LB": "LBR",
    "KG": "KGM",
    "DZ": "DZN",
    "GA": "GLL",
    "PL": "PF",
}
"""X12 unit of measure codes (element 355) whose UN/ECE Recommendation 20 code differs."""
UNECE_TO_X12 = {unece: x12 for x12, unece in X12_TO_UNECE.items()}

_SHORT_DATE = 6
_LONG_DATE = 8


def position_of(index: int) -> int:
    """Position in the set (ST is 1) of ``TransactionSet.segments[index]``."""
    return index + 2


def located(
    transaction: TransactionSet,
    segment: Segment,
    position: int,
    element: int | None,
    detail: str,
    *,
    expected: str | None = None,
    found: str | None = None,
    code: str | None = None,
) -> X12Error:
    """An error at one element (or, with ``element=None``, one segment) of a set."""
    group = transaction.group
    return X12Error(
        detail,
        level=ErrorLevel.ELEMENT if element is not None else ErrorLevel.SEGMENT,
        code=code,
        location=Location(
            offset=segment.offset,
            interchange_control=transaction.interchange.control_number,
            group_control=group.control_number if group else None,
            transaction_control=transaction.control_number,
            segment_index=segment.index,
            segment_position=position,
            segment_id=segment.elements[0],
            element_position=element,
        ),
        expected=expected,
        found=found,
    )


def missing_segment(transaction: TransactionSet, tag: str) -> X12Error:
    """A segment the mapping needs is absent; the place is the set's trailer."""
    group = transaction.group
    return X12Error(
        f"mandatory segment {tag} missing",
        level=ErrorLevel.SEGMENT,
        code=SegmentSyntaxError.MANDATORY_SEGMENT_MISSING,
        location=Location(
            offset=transaction.offset,
            interchange_control=transaction.interchange.control_number,
            group_control=group.control_number if group else None,
            transaction_control=transaction.control_number,
            segment_position=len(transaction.segments) + 2,
            segment_id=tag,
        ),
        expected=tag,
    )


def x12_date(
    transaction: TransactionSet, segment: Segment, position: int, element: int
) -> date | None:
    """CCYYMMDD (or YYMMDD, read as 20YY) to a date; empty gives None."""
    value = segment.element(element)
    if not value:
        return None
    day: date | None = None
    if value.isdigit() and len(value) in (_SHORT_DATE, _LONG_DATE):
        full = value if len(value) == _LONG_DATE else "20" + value
        try:
            day = date(int(full[:4]), int(full[4:6]), int(full[6:8]))
        except ValueError:
            day = None
    if day is None:
        raise located(
            transaction,
            segment,
            position,
            element,
            "invalid date",
            expected="CCYYMMDD",
            found=value,
            code=ElementSyntaxError.INVALID_DATE,
        )
    return day


def x12_decimal(
    transaction: TransactionSet, segment: Segment, position: int, element: int
) -> Decimal | None:
    """An R or N element to an exact Decimal (``007`` and ``20.`` normalise); empty is None."""
    value = segment.element(element)
    if not value:
        return None
    try:
        number = Decimal(value)
    except InvalidOperation:
        number = Decimal("NaN")
    if not number.is_finite() or not all(c.isdigit() or c in ".-" for c in value):
        raise located(
            transaction,
            segment,
            position,
            element,
            "invalid number",
            expected="a decimal number",
            found=value,
            code=ElementSyntaxError.INVALID_CHARACTER,
        )
    return number + 0  # normalises -0 and leading zeros without losing the scale


def midnight_utc(day: date) -> datetime:
    """X12 dates carry no zone; they become midnight UTC so the canonical timestamp is aware."""
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def x12_unit(code: str) -> str:
    return X12_TO_UNECE.get(code, code)


def canonical_unit(code: str) -> str:
    return UNECE_TO_X12.get(code, code)


def fmt_date(day: date) -> str:
    return day.strftime("%Y%m%d")


def fmt_decimal(value: Decimal) -> str:
    return format(value, "f")


def build(transaction: TransactionSet, factory: Callable[[], T]) -> T:
    """Run a canonical constructor; a validation failure becomes an X12Error on the set."""
    try:
        return factory()
    except ValidationError as exc:
        group = transaction.group
        first = exc.errors()[0]
        raise X12Error(
            "transaction set does not make a valid canonical document",
            level=ErrorLevel.TRANSACTION,
            location=Location(
                offset=transaction.offset,
                interchange_control=transaction.interchange.control_number,
                group_control=group.control_number if group else None,
                transaction_control=transaction.control_number,
                segment_position=1,
                segment_id="ST",
            ),
            expected=".".join(str(part) for part in first["loc"]) + ": " + first["msg"],
            found=str(first.get("input"))[:80],
        ) from None


def id_pairs(segment: Segment, first: int, last: int) -> dict[str, str]:
    """Product ids given as qualifier/value pairs from ``first`` to ``last`` (qualifier
    positions), first occurrence of a qualifier winning, empty pairs skipped."""
    pairs: dict[str, str] = {}
    values = segment.elements[first : last + 2]
    for qualifier, value in zip(values[::2], values[1::2], strict=False):
        if qualifier and value:
            pairs.setdefault(qualifier, value)
    return pairs


def code_of(
    transaction: TransactionSet,
    segment: Segment,
    position: int,
    element: int,
    table: Mapping[str, T],
    what: str,
) -> T:
    """Look a code up in one of the mapping tables; an unknown code is an AK4 code 7."""
    value = segment.element(element)
    found = table.get(value)
    if found is None:
        raise located(
            transaction,
            segment,
            position,
            element,
            f"{what} not supported",
            expected="one of " + ", ".join(sorted(table)),
            found=value,
            code=ElementSyntaxError.INVALID_CODE_VALUE,
        )
    return found
