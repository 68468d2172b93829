"""The identity of a received interchange: its sender and control number, read from the
envelope alone, so the same interchange picked up twice is one inbox message.

X12: ISA06 (sender id, with its ISA05 qualifier) and ISA13. EDIFACT: UNB S002 (sender) and
0020. A file whose envelope cannot be read is still stored, under the digest of its bytes,
and its translation fails visibly.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from itertools import islice

from crossdock.connectors.edi.edifact.errors import EdifactError
from crossdock.connectors.edi.edifact.syntax import decode, segments, service_characters
from crossdock.connectors.edi.x12.errors import X12Error
from crossdock.connectors.edi.x12.separators import read_isa

BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class InterchangeKey:
    standard: str
    sender: str
    receiver: str
    control_number: str

    @property
    def dedup_key(self) -> str:
        return f"{self.standard}:{self.sender}:{self.control_number}"


def identify(body: bytes) -> InterchangeKey | None:
    start = body.removeprefix(BOM).lstrip(b" \t\r\n")
    if start.startswith(b"ISA"):
        return _x12(start, len(body) - len(start))
    if start.startswith((b"UNA", b"UNB")):
        return _edifact(start)
    return None


def dedup_key(body: bytes) -> str:
    key = identify(body)
    return key.dedup_key if key else f"sha256:{hashlib.sha256(body).hexdigest()}"


def _x12(data: bytes, offset: int) -> InterchangeKey | None:
    try:
        isa = read_isa(data, offset)
    except X12Error:
        return None
    fields = isa.fields
    return InterchangeKey(
        "x12",
        f"{fields[5].strip()}/{fields[6].strip()}",
        f"{fields[7].strip()}/{fields[8].strip()}",
        fields[13].strip(),
    )


def _edifact(data: bytes) -> InterchangeKey | None:
    try:
        characters, text = service_characters(decode(data[:4096]))
        first = next(islice(segments(text, characters), 1), None)
    except (EdifactError, ValueError):
        return None
    if first is None or first.tag != "UNB" or not first.value(5):
        return None
    return InterchangeKey(
        "edifact",
        f"{first.value(2, 2)}/{first.value(2, 1)}",
        f"{first.value(3, 2)}/{first.value(3, 1)}",
        first.value(5),
    )
