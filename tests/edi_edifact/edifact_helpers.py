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


def ordrsp(directory: tuple[str, str]) -> list[str]:
    version, release = directory
    return [
        f"UNH+{{ref}}+ORDRSP:{version}:{release}:UN:EAN005",
        "BGM+231+RSP-1+4",
        "DTM+137:20240106:102",
        "DTM+2:20240120:102",
        "RFF+ON:PO1",
        "DTM+171:20240105:102",
        "CUX+2:EUR:9",
        "LIN+1+5+4000862141404:EN",
        "PIA+5+B-77:IN+ACME-1:SA",
        "QTY+21:48:PCE",
        "QTY+113:48:PCE",
        "PRI+AAA:2,50",
        "LIN+2+3+4000862141411:EN",
        "QTY+21:10",
        "QTY+113:6",
        "DTM+2:20240201:102",
        "LIN+3+7",
        "PIA+5+B-79:IN",
        "QTY+21:4",
        "UNS+S",
        "CNT+2:3",
    ]


def recadv(directory: tuple[str, str]) -> list[str]:
    version, release = directory
    return [
        f"UNH+{{ref}}+RECADV:{version}:{release}:UN:EAN003",
        "BGM+632+REC-9+9",
        "DTM+137:20240112:102",
        "DTM+50:20240111:102",
        "RFF+ON:PO1",
        "RFF+AAK:DES-5",
        "NAD+DP+5412345678908::9++Crossdock WH",
        "CPS+1",
        "LIN+1++4000862141404:EN",
        "PIA+5+B-77:IN",
        "QTY+194:48:PCE",
        "GIN+BX+LOT-7",
        "RFF+LI:10",
        "LIN+2++4000862141411:EN",
        "QTY+194:6",
        "QVR+-3:12+CP",
        "QVR+-1:12++DME::9",
        "QTY+195:1",
        "UNS+S",
        "CNT+2:2",
    ]


def invoic(directory: tuple[str, str]) -> list[str]:
    version, release = directory
    return [
        f"UNH+{{ref}}+INVOIC:{version}:{release}:UN:EAN008",
        "BGM+380+INV-3+9",
        "DTM+137:20240115:102",
        "DTM+13:20240214:102",
        "RFF+ON:PO1",
        "NAD+SU+4012345500004::9++Acme GmbH+Hauptstr. 1+Berlin++10115+DE",
        "CUX+2:EUR:4",
        "LIN+1++4000862141404:EN",
        "PIA+5+B-77:IN",
        "QTY+47:48:PCE",
        "MOA+203:120",
        "PRI+AAA:2,50",
        "MOA+124:22.80",
        "LIN+2++4000862141411:EN",
        "QTY+47:6",
        "PRI+AAA:12",
        "UNS+S",
        "CNT+2:2",
        "MOA+77:214.48",
        "MOA+125:192",
        "MOA+176:22.48",
        "MOA+9:214.48",
    ]


def iftsta(directory: tuple[str, str]) -> list[str]:
    version, release = directory
    return [
        f"UNH+{{ref}}+IFTSTA:{version}:{release}:UN:EAN002",
        "BGM+23+ST-1+9",
        "DTM+137:202401121530:203",
        "NAD+CA+DHLF::ZZZ",
        "CNI+1+DES-5",
        "RFF+CN:JD0123",
        "STS+1+13",
        "DTM+334:202401100800:203",
        "LOC+14+NLUTC:::Utrecht",
        "STS+1+49+17",
        "DTM+334:202401111200:203",
        "STS+1+99",
        "DTM+334:202401111300:203",
        "CNI+2+JD0456",
        "STS+1+21",
        "DTM+334:20240112:102",
    ]
