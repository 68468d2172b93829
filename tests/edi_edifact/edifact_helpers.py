"""Shared builders for the EDIFACT tests: small interchanges written segment by segment."""

from __future__ import annotations

from pathlib import Path

FIXTURES = Path(__file__).parent.parent / "fixtures" / "edifact"
DESADV_FIXTURE = FIXTURES / "bots-desadv1-D96A-EAN005.edi"
ORDERS_FIXTURE = FIXTURES / "oca-edi-Retail_EDIFACT_ORDERS_sample1.edi"


def orders_body(number: str = "PO1", directory: tuple[str, str] = ("D", "96A")) -> list[str]:
    """An ORDERS body with a full supplier address, so no partner defaults are needed."""
    version, release = directory
    return [
        f"UNH+{{ref}}+ORDERS:{version}:{release}:UN:EAN008",
        f"BGM+220+{number}+9",
        "DTM+137:20240105:102",
        "DTM+2:20240120:102",
        "NAD+BY+5412345000013::9",
        "NAD+SU+4012345500004::9++Acme GmbH+Hauptstr. 1:Hof 2+Berlin++10115+DE",
        "NAD+DP+5412345678908::9",
        "CUX+2:EUR:9",
        "LIN+1++4000862141404:EN",
        "PIA+1+ACME-1:SA+B-77:IN",
        "IMD+F++:::Blue widget",
        "QTY+21:48:PCE",
        "PRI+AAA:2,50",
        "LIN+2++4000862141411:EN",
        "QTY+21:10",
        "DTM+2:20240125:102",
        "PRI+AAB:12:::10",
        "UNS+S",
        "CNT+2:2",
    ]


def message(
    body: list[str], ref: str, count: int | None = None, trailer_ref: str | None = None
) -> list[str]:
    """The body with UNH (as its first line) and a UNT; count and ref can be made wrong."""
    segments = [body[0].replace("{ref}", ref), *body[1:]]
    total = len(segments) + 1 if count is None else count
    return [*segments, f"UNT+{total}+{trailer_ref or ref}"]


def interchange(
    messages: list[list[str]],
    *,
    reference: str = "100",
    count: int | None = None,
    trailer_ref: str | None = None,
    una: str = "UNA:+.? '",
    terminator: str = "'",
) -> str:
    """UNB, the messages and UNZ, joined with `terminator` (which the UNA must agree with)."""
    lines = ["UNB+UNOC:3+4012345500004:14+5412345000013:14+240105:1200+" + reference]
    for segments in messages:
        lines += segments
    total = len(messages) if count is None else count
    lines.append(f"UNZ+{total}+{trailer_ref or reference}")
    return una + "".join(line + terminator for line in lines)
