"""The declaration of a file WMS (partner `settings`): transport, file names, record layouts.

A legacy warehouse system reads and writes files of typed records: each line starts with a
record code (`H` for an order header, `L` for its lines…) and carries its fields as CSV
columns or at fixed positions. Everything about those files is YAML here: CSV or fixed
width, the code of each record type and its fields (the canonical names of `records.py`),
widths, padding and alignment, date and number formats (implied decimals included), the
encoding, and the names Crossdock gives the files it writes. Positions are checked when the
config is validated (no overlaps, widths where fixed width needs them, the fields each
record cannot do without), so `crossdock check` names the exact setting that is wrong.
"""

from __future__ import annotations

import codecs
from datetime import UTC, datetime
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from crossdock.connectors.files.settings import Transport
from crossdock.connectors.wms.codes import Codes
from crossdock.connectors.wms.files.records import FIELDS, REQUIRED, RecordKind

KIND = "wms_files"
Align = Literal["left", "right"]


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FieldLayout(_Section):
    """One column (CSV) or one fixed-width slot of a record.

    `name` is a canonical field of the record (see `records.FIELDS`), or starts with `_`
    for a filler the WMS wants but Crossdock ignores (written as `value`). `start` (1-based,
    fixed width only) may leave a gap after the previous field; without it fields follow
    each other.
    """

    name: str = Field(min_length=1)
    width: int | None = Field(default=None, ge=1, le=10_000)
    start: int | None = Field(default=None, ge=1)
    align: Align | None = None
    """Default: numbers to the right, everything else to the left."""
    pad: str | None = Field(default=None, min_length=1, max_length=1)
    """Default: a space (write `"0"` for zero-padded numbers)."""
    format: str | None = None
    """strftime pattern of a date or time field (default: the layout's)."""
    decimals: int | None = Field(default=None, ge=0, le=12)
    """Digits after the separator a number is written with (read: any)."""
    implied_decimal: bool = False
    """Fixed-width numbers without a separator: `000012500` with 3 decimals is 12.5."""
    value: str = ""
    """What a filler field is written as."""


class RecordLayout(_Section):
    code: str = Field(min_length=1)
    fields: list[FieldLayout] = Field(min_length=1)


class FileNames(_Section):
    """Names of the files Crossdock writes; `{fulfillment_id}` (made file-name safe) and
    `{now}` (a datetime: `{now:%Y%m%d%H%M%S}`) may appear. The fulfillment id must, so a
    retried release rewrites the same file instead of adding a second one."""

    release: str = "ORD_{fulfillment_id}.txt"
    cancel: str = "CAN_{fulfillment_id}.txt"
    labels: str = "LBL_{fulfillment_id}.txt"

    @field_validator("release", "cancel", "labels")
    @classmethod
    def _placeholders(cls, value: str) -> str:
        try:
            sample = value.format(fulfillment_id="WH_OUT_1", now=datetime(2026, 1, 2, tzinfo=UTC))
        except (KeyError, IndexError, ValueError) as exc:
            raise ValueError(
                f"{value!r} may only name {{fulfillment_id}} and {{now}}: {exc!r}"
            ) from None
        if "{fulfillment_id}" not in value:
            raise ValueError(f"{value!r} must name {{fulfillment_id}}")
        if "/" in sample or "\\" in sample or sample.startswith("."):
            raise ValueError(f"{value!r} must be a plain file name, not a path or a dot-file")
        return value


class Layout(_Section):
    format: Literal["csv", "fixed"]
    encoding: str = "utf-8"
    delimiter: str = Field(default=",", min_length=1, max_length=1)
    quote: str = Field(default='"', min_length=1, max_length=1)
    line_ending: Literal["\n", "\r\n"] = "\r\n"
    code_width: int | None = Field(default=None, ge=1, le=20)
    """Fixed width: the record code fills the first `code_width` characters."""
    datetime_format: str = "%Y%m%d%H%M%S"
    date_format: str = "%Y%m%d"
    timezone: str = "UTC"
    """The zone of date-times written without an offset."""
    decimal_separator: Literal[".", ","] = "."
    booleans: tuple[str, str] = ("Y", "N")
    """How true and false are written."""
    records: dict[RecordKind, RecordLayout] = Field(min_length=1)

    @field_validator("encoding")
    @classmethod
    def _known_encoding(cls, value: str) -> str:
        try:
            codecs.lookup(value)
        except LookupError:
            raise ValueError(f"{value!r} is not an encoding Python knows") from None
        return value

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"{value!r} is not an IANA time zone") from None
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Layout:
        problems: list[str] = []
        codes: dict[str, str] = {}
        for kind, record in self.records.items():
            place = f"records.{kind}"
            if record.code in codes:
                problems.append(f"{place}.code: {record.code!r} is also {codes[record.code]}'s")
            codes[record.code] = kind
            problems.extend(_field_problems(self, kind, record, place))
        problems.extend(
            f"records: {kind} is required (releases and ship confirmations)"
            for kind in ("order", "order_line", "shipment", "ship_line")
            if kind not in self.records
        )
        if problems:
            raise ValueError("; ".join(problems))
        return self


def _field_problems(layout: Layout, kind: str, record: RecordLayout, place: str) -> list[str]:
    problems: list[str] = []
    known = FIELDS[kind]
    names = [f.name for f in record.fields]
    for index, spec in enumerate(record.fields):
        where = f"{place}.fields[{index}]"
        if not spec.name.startswith("_") and spec.name not in known:
            problems.append(f"{where}.name: {kind} has no field {spec.name!r} ({', '.join(known)})")
        if names.count(spec.name) > 1 and not spec.name.startswith("_"):
            problems.append(f"{where}.name: {spec.name!r} appears twice")
        if layout.format == "fixed" and spec.width is None:
            problems.append(f"{where}.width: fixed-width fields need a width")
        if layout.format == "csv" and (spec.start is not None or spec.implied_decimal):
            problems.append(f"{where}: start and implied_decimal are for fixed-width files")
    problems.extend(
        f"{place}.fields: {kind} needs a {name!r} field"
        for name in sorted(REQUIRED[kind] - set(names))
    )
    if layout.format == "fixed":
        if layout.code_width is None:
            problems.append("code_width: fixed-width files need the width of the record code")
        elif len(record.code) > layout.code_width:
            problems.append(f"{place}.code: longer than code_width {layout.code_width}")
        else:
            problems.extend(_position_problems(layout.code_width, record, place))
    return problems


def _position_problems(code_width: int, record: RecordLayout, place: str) -> list[str]:
    position = code_width + 1
    problems: list[str] = []
    for index, spec in enumerate(record.fields):
        if spec.start is not None and spec.start < position:
            problems.append(
                f"{place}.fields[{index}].start: {spec.start} overlaps what ends at {position - 1}"
            )
        position = max(position, spec.start or position) + (spec.width or 0)
    return problems


class FileWmsSettings(_Section):
    """A partner of kind `wms_files`."""

    transport: Transport
    layout: Layout
    files: FileNames = FileNames()
    codes: Codes = Codes()
    # Whether the WMS books the carrier itself and reports tracking numbers when shipping;
    # if not, Crossdock books the labels and sends them as `label` records.
    books_carrier: bool = True

    @model_validator(mode="after")
    def _labels_declared(self) -> FileWmsSettings:
        if not self.books_carrier and "label" not in self.layout.records:
            raise ValueError("books_carrier is false: layout.records needs a label record")
        return self


def positions(layout: Layout, record: RecordLayout) -> list[tuple[int, int]]:
    """(start, width) of each field of a fixed-width record, 1-based."""
    position = (layout.code_width or 0) + 1
    found: list[tuple[int, int]] = []
    for spec in record.fields:
        start = spec.start or position
        found.append((start, spec.width or 0))
        position = start + (spec.width or 0)
    return found
