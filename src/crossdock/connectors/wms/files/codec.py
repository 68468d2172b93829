"""Typed records ↔ the bytes of a CSV or fixed-width file, as a layout declares them (pure).

Reading names the file, line and column of anything that does not fit (an unknown record
code, a number that is not one, a date in another format, a required field left empty), so
the person looking at the rejected file knows where to look. Writing refuses what the
layout cannot carry (a value wider than its slot, a character the encoding lacks) instead
of truncating it: a cut SKU or quantity would be worse than no file.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

from crossdock.connectors.files.errors import FileFormatError, UnwritableRecord
from crossdock.connectors.wms.files.records import FIELDS, REQUIRED, FieldType
from crossdock.connectors.wms.files.settings import FieldLayout, Layout, RecordLayout, positions


@dataclass(frozen=True)
class Record:
    """One line of a file: its type, its canonical values (absent when empty), its line."""

    kind: str
    values: Mapping[str, Any]
    line: int = 0


# -- reading ---------------------------------------------------------------------------------


def decode(body: bytes, layout: Layout, file: str) -> list[Record]:
    """Every non-blank line of `body` as a record, or the first problem found."""
    try:
        text = body.decode(layout.encoding)
    except UnicodeDecodeError as exc:
        line = body[: exc.start].count(b"\n") + 1
        raise FileFormatError(
            file, line, None, f"not {layout.encoding}: byte {body[exc.start]:#04x}"
        ) from None
    by_code = {record.code: (kind, record) for kind, record in layout.records.items()}
    found: list[Record] = []
    for number, raw in enumerate(text.removeprefix("\ufeff").splitlines(), start=1):
        if raw.strip():
            found.append(_decode_line(raw, number, layout, by_code, file))
    return found


def _decode_line(
    raw: str,
    number: int,
    layout: Layout,
    by_code: Mapping[str, tuple[str, RecordLayout]],
    file: str,
) -> Record:
    cells = _cells(raw, layout)
    code = cells[0][1].strip()
    if code not in by_code:
        known = ", ".join(sorted(by_code))
        raise FileFormatError(file, number, 1, f"record code {code!r} is not one of {known}")
    kind, record = by_code[code]
    if layout.format == "csv" and len(cells) - 1 > len(record.fields):
        raise FileFormatError(
            file,
            number,
            len(record.fields) + 2,
            f"{kind} has {len(record.fields)} fields after its code, the line {len(cells) - 1}",
        )
    slots: list[tuple[int, str]] = cells[1:]
    if layout.format == "fixed":
        slots, end = _slots(raw, layout, record)
        if raw[end:].strip():
            raise FileFormatError(
                file, number, end + 1, f"{kind} records end at column {end}, the line goes on"
            )
    values: dict[str, Any] = {}
    types = FIELDS[kind]
    for index, spec in enumerate(record.fields):
        column, text = slots[index] if index < len(slots) else (None, "")
        if spec.name.startswith("_") or not text.strip():
            continue
        try:
            values[spec.name] = _parse(text, types[spec.name], spec, layout)
        except ValueError as exc:
            raise FileFormatError(file, number, column, f"{spec.name}: {exc}") from None
    for name in sorted(REQUIRED[kind] - set(values)):
        column = _column_of(layout, record, name)
        raise FileFormatError(file, number, column, f"{kind} has no {name}")
    return Record(kind, values, number)


def _cells(raw: str, layout: Layout) -> list[tuple[int, str]]:
    """(column, text) pairs: CSV cells numbered from 1, or the fixed-width record code."""
    if layout.format == "fixed":
        return [(1, raw[: layout.code_width])]
    row = next(csv.reader([raw], delimiter=layout.delimiter, quotechar=layout.quote))
    return [(index, cell) for index, cell in enumerate(row or [""], start=1)]


def _slots(raw: str, layout: Layout, record: RecordLayout) -> tuple[list[tuple[int, str]], int]:
    """The (column, text) of each field, and the column the record ends at."""
    spans = positions(layout, record)
    end = max(start + width - 1 for start, width in spans)
    return [(start, raw[start - 1 : start - 1 + width]) for start, width in spans], end


def _column_of(layout: Layout, record: RecordLayout, name: str) -> int | None:
    for index, spec in enumerate(record.fields):
        if spec.name == name:
            return positions(layout, record)[index][0] if layout.format == "fixed" else index + 2
    return None


def _parse(text: str, kind: FieldType, spec: FieldLayout, layout: Layout) -> Any:
    value = _unpad(text, kind, spec)
    if kind == "text":
        return value
    if kind == "decimal":
        return _number(value, spec, layout)
    if kind == "bool":
        if value not in layout.booleans:
            raise ValueError(
                f"{value!r} is neither {layout.booleans[0]!r} nor {layout.booleans[1]!r}"
            )
        return value == layout.booleans[0]
    pattern = spec.format or (layout.date_format if kind == "date" else layout.datetime_format)
    try:
        moment = datetime.strptime(value, pattern)  # noqa: DTZ007 - the zone is set below
    except ValueError:
        raise ValueError(f"{value!r} does not match the format {pattern!r}") from None
    if kind == "date":
        return moment.date()
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(layout.timezone))
    return moment.astimezone(UTC)


def _unpad(text: str, kind: FieldType, spec: FieldLayout) -> str:
    pad = spec.pad or " "
    stripped = text.strip()
    if pad == " ":
        return stripped
    if _align(kind, spec) == "right":
        sign = "-" if stripped.startswith("-") else ""
        return sign + (stripped.removeprefix("-").lstrip(pad) or "0")
    return stripped.rstrip(pad)


def _number(value: str, spec: FieldLayout, layout: Layout) -> Decimal:
    if layout.decimal_separator == ",":
        value = value.replace(",", ".")
    if spec.implied_decimal and not value.lstrip("-").isdigit():
        raise ValueError(f"{value!r} is not a number of digits (implied decimals)")
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise ValueError(f"{value!r} is not a number") from None
    if not number.is_finite():
        raise ValueError(f"{value!r} is not a number")
    return number.scaleb(-(spec.decimals or 0)) if spec.implied_decimal else number


# -- writing ---------------------------------------------------------------------------------


def encode(records: Iterable[tuple[str, Mapping[str, Any]]], layout: Layout) -> bytes:
    """The file for `records` ((kind, values) in file order), ending with a line ending."""
    lines = [_encode_record(kind, values, layout) for kind, values in records]
    text = "".join(line + layout.line_ending for line in lines)
    try:
        return text.encode(layout.encoding)
    except UnicodeEncodeError as exc:
        raise UnwritableRecord(
            f"{text[exc.start : exc.end]!r} cannot be written in {layout.encoding}"
        ) from None


def _encode_record(kind: str, values: Mapping[str, Any], layout: Layout) -> str:
    record = next((r for k, r in layout.records.items() if k == kind), None)
    if record is None:
        raise UnwritableRecord(f"the layout declares no {kind} record")
    texts = [
        spec.value
        if spec.name.startswith("_")
        else _format(values.get(spec.name), kind, spec, layout)
        for spec in record.fields
    ]
    if layout.format == "csv":
        buffer = io.StringIO()
        writer = csv.writer(
            buffer, delimiter=layout.delimiter, quotechar=layout.quote, lineterminator=""
        )
        writer.writerow([record.code, *texts])
        return buffer.getvalue()
    return _fixed(kind, record, texts, layout)


def _fixed(kind: str, record: RecordLayout, texts: Sequence[str], layout: Layout) -> str:
    line = record.code.ljust(layout.code_width or 0)
    for spec, (start, width), text in zip(
        record.fields, positions(layout, record), texts, strict=True
    ):
        if len(text) > width:
            raise UnwritableRecord(
                f"{kind}.{spec.name}: {text!r} is wider than its {width} characters"
            )
        line = line.ljust(start - 1) + _padded(
            text, width, spec, FIELDS[kind].get(spec.name, "text")
        )
    return line


def _padded(text: str, width: int, spec: FieldLayout, kind: FieldType) -> str:
    pad = spec.pad or " "
    if _align(kind, spec) == "left":
        return text.ljust(width, pad)
    if pad != " " and text.startswith("-"):
        return "-" + text[1:].rjust(width - 1, pad)
    return text.rjust(width, pad)


def _align(kind: FieldType, spec: FieldLayout) -> str:
    return spec.align or ("right" if kind == "decimal" else "left")


def _format(value: Any, kind: str, spec: FieldLayout, layout: Layout) -> str:
    if value is None:
        return ""
    field_type = FIELDS[kind][spec.name]
    if field_type == "decimal":
        number = Decimal(str(value))
        if spec.implied_decimal:
            return str(int(number.scaleb(spec.decimals or 0).to_integral_value()))
        text = f"{number:.{spec.decimals}f}" if spec.decimals is not None else _plain(number)
        return text.replace(".", layout.decimal_separator)
    if field_type == "bool":
        return layout.booleans[0] if value else layout.booleans[1]
    if field_type == "datetime" and isinstance(value, datetime):
        moment = value.astimezone(ZoneInfo(layout.timezone)) if value.tzinfo else value
        return moment.strftime(spec.format or layout.datetime_format)
    if field_type == "date" and isinstance(value, date):
        return value.strftime(spec.format or layout.date_format)
    return str(value)


def _plain(number: Decimal) -> str:
    """`2.000` → `2`, `1.50` → `1.5`, never an exponent."""
    return format(number.normalize(), "f")
