"""Separators are read from each ISA: unusual characters, line breaks, BOM and indentation."""

from __future__ import annotations

import pytest

from crossdock.connectors.edi.x12 import Separators, TransactionSet, X12Error, read_x12
from tests.edi_x12.x12_helpers import interchange, po_set, read_all


def _bodies(data: bytes) -> list[list[list[str]]]:
    return [
        [s.elements for s in i.segments] for i in read_x12(data) if isinstance(i, TransactionSet)
    ]


BASELINE = _bodies(interchange([po_set()]))


@pytest.mark.parametrize(
    "separators",
    [
        Separators("*", ">", "^", "~", ""),
        Separators("|", "^", None, "~", ""),
        Separators("^", ">", None, "|", "\r\n"),
        Separators("*", ":", "^", "\n", ""),
        Separators("*", ">", "^", "\r", "\n"),
        Separators("!", "\\", "{", "'", "\n"),
    ],
    ids=["tilde", "pipe", "caret-crlf", "newline", "crlf", "odd"],
)
def test_the_same_document_reads_the_same_with_any_separators(separators: Separators) -> None:
    data = interchange([po_set()], separators, control_version="00501", version="005010")
    items = list(read_x12(data))
    assert items[0].interchange.separators == separators  # type: ignore[union-attr]
    assert _bodies(data) == BASELINE


def test_bom_and_indentation_are_tolerated() -> None:
    lines = interchange([po_set()], Separators(suffix="\r\n")).split(b"\r\n")
    indented = b"\xef\xbb\xbf" + b"\r\n".join(
        b"    " * (i % 3) + line for i, line in enumerate(lines)
    )
    assert _bodies(indented) == BASELINE


def test_repetition_separator_only_from_00402() -> None:
    old = list(read_x12(interchange([po_set()], control_version="00401")))
    new = list(read_x12(interchange([po_set()], control_version="00501")))
    assert old[0].interchange.separators.repetition is None  # type: ignore[union-attr]
    assert new[0].interchange.separators.repetition == "^"  # type: ignore[union-attr]


def test_components_are_split_on_demand() -> None:
    body = [["REF", "ZZ", "A", "B"], *po_set().segments]
    data = interchange([po_set(body=[["N9", "AH", "X"], ["AK4", ["3", "1"]]])])
    (transaction,) = [i for i in read_x12(data, specs=None) if isinstance(i, TransactionSet)]
    assert transaction.segments[1].components(1) == ["3", "1"]
    assert body


def test_several_interchanges_with_different_separators_in_one_file() -> None:
    data = (
        interchange([po_set()]) + b"\n" + interchange([po_set()], Separators("|", "^", None, "\n"))
    )
    assert len(_bodies(data)) == 2


@pytest.mark.parametrize(
    ("data", "offset"),
    [
        (b"", None),
        (b"GS*PO*X~", 0),
        (b"  \n\nHELLO", 4),
        (b"ISA*00*", 0),
        (b"ISAA00A          A00A          AZZA", 3),
    ],
)
def test_unreadable_starts_raise_with_a_position(data: bytes, offset: int | None) -> None:
    if offset is None:
        assert read_all(data) == []
        return
    with pytest.raises(X12Error) as caught:
        read_all(data)
    assert caught.value.offset is not None
    assert caught.value.offset >= offset


def test_separator_must_not_repeat() -> None:
    good = interchange([po_set()])
    bad = good[:104] + b"*" + good[105:]  # ISA16 made equal to the element separator
    with pytest.raises(X12Error, match="ISA"):
        read_all(bad)
