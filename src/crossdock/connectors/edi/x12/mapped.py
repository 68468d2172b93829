"""Reading and mapping in one pass, where a set that does not map is rejected like a set
that does not parse: its 997 says AK5 ``R`` with the mapping error's place, the others in
the group stay accepted, and the group's AK9 counts it."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from typing import TypeVar

from crossdock.connectors.edi.x12.codes import ErrorLevel, SetSyntaxError
from crossdock.connectors.edi.x12.errors import Location, X12Error
from crossdock.connectors.edi.x12.model import GroupSummary, ReadItem, RejectedSet, TransactionSet

T = TypeVar("T")


def _rejected(transaction: TransactionSet, error: X12Error) -> RejectedSet:
    errors = [error]
    if error.level in (ErrorLevel.SEGMENT, ErrorLevel.ELEMENT):
        group = transaction.group
        errors.append(
            X12Error(
                "one or more segments in error",
                level=ErrorLevel.TRANSACTION,
                code=SetSyntaxError.SEGMENTS_IN_ERROR,
                location=Location(
                    offset=transaction.offset,
                    interchange_control=transaction.interchange.control_number,
                    group_control=group.control_number if group else None,
                    transaction_control=transaction.control_number,
                    segment_position=1,
                    segment_id="ST",
                ),
            )
        )
    return RejectedSet(
        transaction.set_id,
        transaction.control_number,
        transaction.interchange,
        transaction.group,
        transaction.segments,
        transaction.offset,
        errors,
    )


def map_sets(
    items: Iterable[ReadItem], mappings: dict[str, Callable[[TransactionSet], T]]
) -> Iterator[tuple[ReadItem, T | None]]:
    """Each item the reader yields, with its canonical document when it is a set that mapped.

    A set whose mapping raises `X12Error` comes out as a `RejectedSet` holding that error
    (and AK502 code 5 when the error is at a segment or element); the group summary after it
    counts one set fewer accepted. Sets without a mapping pass through with ``None``.
    """
    failed = 0
    for item in items:
        if isinstance(item, TransactionSet) and item.set_id in mappings:
            try:
                document = mappings[item.set_id](item)
            except X12Error as error:
                failed += item.group is not None
                yield _rejected(item, error.within(transaction_control=item.control_number)), None
                continue
            yield item, document
        elif isinstance(item, GroupSummary):
            yield replace(item, accepted=item.accepted - failed), None
            failed = 0
        else:
            yield item, None
