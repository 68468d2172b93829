"""Shared builders for the X12 tests: fixture paths and small interchanges made to order."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from crossdock.connectors.edi.x12 import (
    OutgoingGroup,
    OutgoingInterchange,
    OutgoingSet,
    ReadItem,
    Separators,
    read_x12,
    serialize,
)
from crossdock.connectors.edi.x12.writer import OutSegment

FIXTURES = Path(__file__).parent.parent / "fixtures" / "x12"
CREATED = datetime(2024, 3, 5, 14, 30)

PO_BODY: list[OutSegment] = [
    ["BEG", "00", "SA", "P00042", "", "20240305"],
    ["CUR", "BY", "EUR"],
    ["N1", "VN", "Acme Supplies"],
    ["N3", "Main Street 1"],
    ["N4", "Utrecht", "", "3511AB", "NL"],
    ["PO1", "1", "10", "EA", "2.50", "", "BP", "SKU-1"],
    ["PO1", "2", "4", "CA", "", "", "BP", "SKU-2"],
    ["CTT", "2"],
]


def interchange(
    sets: list[OutgoingSet],
    separators: Separators | None = None,
    control_version: str = "00401",
    version: str = "004010",
) -> bytes:
    return serialize(
        OutgoingInterchange(
            sender_qualifier="ZZ",
            sender_id="CROSSDOCK",
            receiver_qualifier="ZZ",
            receiver_id="PARTNER",
            control_number=42,
            created=CREATED,
            groups=[OutgoingGroup("CROSSDOCK", "PARTNER", 7, sets, version=version)],
            control_version=control_version,
            separators=separators or Separators(),
        )
    )


def po_set(control: str = "0001", body: list[OutSegment] | None = None) -> OutgoingSet:
    return OutgoingSet("850", control, body if body is not None else PO_BODY)


def read_all(data: bytes) -> list[ReadItem]:
    return list(read_x12(data))
