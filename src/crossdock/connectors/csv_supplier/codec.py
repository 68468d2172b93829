"""CSV rows ↔ bytes, as a supplier's document layout declares them (pure).

Reading checks the header row against the declared columns (in any order) and parses every
cell by its field's type, naming the file, line and column of the first thing that does not
fit: a header that is missing or unknown, a row with too many or too few cells, a number
that is not one, a date in another format, a required cell left empty. Writing emits the
header row and the columns in the declared order.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from crossdock.connectors.csv_supplier.fields import FIELDS, REQUIRED, DocumentKind, FieldType
from crossdock.connectors.csv_supplier.settings import Column, CsvFormat, DocumentLayout
from crossdock.connectors.files.errors import FileFormatError, UnwritableRecord

__all__ = ["FileFormatError", "Row", "UnwritableRecord", "read_rows", "write_rows"]


@dataclass(frozen=True)
class Row:
    """One data row: its canonical values (absent when empty), its line and field columns."""

    values: Mapping[str, Any]
    line: int
    columns: Mapping[str, int]

    def column(self, name: str) -> int | None:
        return self.columns.get(name)


def read_rows(
    body: bytes, kind: DocumentKind, layout: DocumentLayout, fmt: CsvFormat, file: str
) -> list[Row]:
    """Every non-blank data row of `body`, or the first problem found."""
    try:
        text = body.decode(fmt.encoding).removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        line = body[: exc.start].count(b"\n") + 1
        raise FileFormatError(
            file, line, None, f"not {fmt.encoding}: byte {body[exc.start]:#04x}"
        ) from None
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=fmt.delimiter, quotechar=fmt.quote)
    header: dict[int, Column] | None = None
    rows: list[Row] = []
    try:
        for cells in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            if header is None:
                header = _header(cells, layout, file, line)
                continue
            rows.append(_row(cells, header, kind, fmt, file, line))
    except csv.Error as exc:
        raise FileFormatError(file, reader.line_num, None, f"not CSV: {exc}") from None
    if header is None:
        raise FileFormatError(file, 1, None, "the file is empty: no header row")
    return rows


def _header(
    cells: Sequence[str], layout: DocumentLayout, file: str, line: int
) -> dict[int, Column]:
    declared = {column.title.strip().casefold(): column for column in layout.resolved()}
    found: dict[int, Column] = {}
    for index, cell in enumerate(cells, start=1):
        column = declared.pop(cell.strip().casefold(), None)
        if column is None:
            raise FileFormatError(
                file, line, index, f"header {cell!r} is not a declared column (or is repeated)"
            )
        found[index] = column
    if declared:
        missing = ", ".join(repr(column.title) for column in declared.values())
        raise FileFormatError(file, line, None, f"the header row lacks {missing}")
    return found


def _row(
    cells: Sequence[str],
    header: Mapping[int, Column],
    kind: DocumentKind,
    fmt: CsvFormat,
    file: str,
    line: int,
) -> Row:
    if len(cells) != len(header):
        raise FileFormatError(
            file,
            line,
            min(len(cells), len(header)) + 1,
            f"the row has {len(cells)} cells, the header {len(header)}",
        )
    values: dict[str, Any] = {}
    columns: dict[str, int] = {}
    types = FIELDS[kind]
    for index, cell in enumerate(cells, start=1):
        declared = header[index]
        columns[declared.field] = index
        if not cell.strip():
            continue
        try:
            values[declared.field] = _parse(cell.strip(), types[declared.field], fmt)
        except ValueError as exc:
            raise FileFormatError(file, line, index, f"{declared.title}: {exc}") from None
    for name in sorted(REQUIRED[kind] - set(values)):
        raise FileFormatError(file, line, columns.get(name), f"{kind} row has no {name}")
    return Row(values, line, columns)


def _parse(text: str, kind: FieldType, fmt: CsvFormat) -> Any:
    if kind == "text":
        return text
    if kind == "decimal":
        value = text.replace(",", ".") if fmt.decimal_separator == "," else text
        try:
            number = Decimal(value)
        except InvalidOperation:
            raise ValueError(f"{text!r} is not a number") from None
        if not number.is_finite():
            raise ValueError(f"{text!r} is not a number")
        return number
    try:
        return datetime.strptime(text, fmt.date_format).date()  # noqa: DTZ007 - a date
    except ValueError:
        raise ValueError(f"{text!r} does not match the date format {fmt.date_format!r}") from None


def write_rows(rows: Iterable[Mapping[str, Any]], layout: DocumentLayout, fmt: CsvFormat) -> bytes:
    """The file for `rows` (canonical values by field), header row first."""
    columns = layout.resolved()
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=fmt.delimiter, quotechar=fmt.quote, lineterminator="\r\n")
    writer.writerow([column.title for column in columns])
    for row in rows:
        writer.writerow([_format(row.get(column.field), fmt) for column in columns])
    text = buffer.getvalue()
    try:
        return text.encode(fmt.encoding)
    except UnicodeEncodeError as exc:
        raise UnwritableRecord(
            f"{text[exc.start : exc.end]!r} cannot be written in {fmt.encoding}"
        ) from None


def _format(value: Any, fmt: CsvFormat) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        text = format(value.normalize() if value == value.to_integral() else value, "f")
        return text.replace(".", fmt.decimal_separator)
    if isinstance(value, date):
        return value.strftime(fmt.date_format)
    return str(value)
