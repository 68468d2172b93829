"""What goes wrong with a file a partner exchanges, whatever its format (a WMS's CSV or
fixed-width records, a supplier's CSV): one error that names file, line and column, and one
for what Crossdock cannot write without cutting it."""

from __future__ import annotations

from crossdock.errors import MappingError, PermanentError


class FileFormatError(MappingError):
    """A line of a received file does not fit the partner's layout."""

    def __init__(self, file: str, line: int, column: int | None, detail: str) -> None:
        where = f"{file} line {line}" + (f" column {column}" if column else "")
        self.file, self.line, self.column = file, line, column
        super().__init__(detail, where)


class UnwritableRecord(PermanentError):
    """A value the layout cannot carry; retrying cannot help, the layout or data must change."""
