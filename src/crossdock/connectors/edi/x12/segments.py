"""Segment definitions (X12 004010, compatible with 005010 for these elements) and the set
specifications built from them.

Element types and lengths are those of the 004010 data element dictionary. Segments listed
with only ``max_elements`` are accepted in their set but their contents are not checked yet;
they are the ones no mapping reads.
"""

from __future__ import annotations

from types import MappingProxyType

from crossdock.connectors.edi.x12.schema import SegmentDef, SetSpec, element, segment_table

E = element

REF = SegmentDef("REF", (E("ID", 2, 3, required=True), E("AN", 1, 30), E("AN", 1, 80)), 4)
DTM = SegmentDef(
    "DTM",
    (
        E("ID", 3, 3, required=True),
        E("DT", 8, 8),
        E("TM", 4, 8),
        E("ID", 2, 2),
        E("ID", 2, 3),
        E("AN", 1, 35),
    ),
)
N1 = SegmentDef(
    "N1",
    (
        E("ID", 2, 3, required=True),
        E("AN", 1, 60),
        E("ID", 1, 2),
        E("AN", 2, 80),
        E("ID", 2, 2),
        E("ID", 2, 3),
    ),
)
N2 = SegmentDef("N2", (E("AN", 1, 60, required=True), E("AN", 1, 60)))
N3 = SegmentDef("N3", (E("AN", 1, 55, required=True), E("AN", 1, 55)))
N4 = SegmentDef(
    "N4",
    (E("AN", 2, 30), E("ID", 2, 2), E("ID", 3, 15), E("ID", 2, 3), E("ID", 1, 2), E("AN", 1, 30)),
)
PER = SegmentDef(
    "PER", (E("ID", 2, 2, required=True), E("AN", 1, 60), E("ID", 2, 2), E("AN", 1, 80)), 9
)
TD1 = SegmentDef(
    "TD1",
    (
        E("AN", 3, 5),
        E("N0", 1, 7),
        E("ID", 1, 1),
        E("ID", 1, 3),
        E("AN", 1, 50),
        E("ID", 1, 2),
        E("R", 1, 10),
        E("ID", 2, 2),
        E("R", 1, 8),
        E("ID", 2, 2),
    ),
)
TD5 = SegmentDef(
    "TD5",
    (E("ID", 1, 2), E("ID", 1, 2), E("AN", 2, 80), E("ID", 1, 2), E("AN", 1, 35), E("ID", 2, 2)),
    15,
)
CTT = SegmentDef(
    "CTT",
    (
        E("N0", 1, 6, required=True),
        E("R", 1, 10),
        E("R", 1, 10),
        E("ID", 2, 2),
        E("R", 1, 8),
        E("ID", 2, 2),
        E("AN", 1, 80),
    ),
)
PID = SegmentDef(
    "PID",
    (
        E("ID", 1, 1, required=True, codes="F S X"),
        E("ID", 2, 3),
        E("ID", 2, 2),
        E("AN", 1, 12),
        E("AN", 1, 80),
        E("ID", 2, 3),
        E("R", 1, 10),
        E("ID", 1, 1),
        E("ID", 2, 3),
    ),
)
CUR = SegmentDef("CUR", (E("ID", 2, 3, required=True), E("ID", 3, 3, required=True)), 21)
BEG = SegmentDef(
    "BEG",
    (
        E("ID", 2, 2, required=True),
        E("ID", 2, 2, required=True),
        E("AN", 1, 22, required=True),
        E("AN", 1, 30),
        E("DT", 8, 8, required=True),
    ),
    12,
)
# PO1 carries up to ten product id qualifier/value pairs after the price basis.
PO1 = SegmentDef(
    "PO1",
    (
        E("AN", 1, 20),
        E("R", 1, 15),
        E("ID", 2, 2),
        E("R", 1, 17),
        E("ID", 2, 2),
        *(E("ID", 2, 2), E("AN", 1, 48)) * 10,
    ),
)
BSN = SegmentDef(
    "BSN",
    (
        E("ID", 2, 2, required=True),
        E("AN", 2, 30, required=True),
        E("DT", 8, 8, required=True),
        E("TM", 4, 8, required=True),
        E("ID", 4, 4),
        E("ID", 2, 2),
        E("ID", 1, 2),
    ),
)
HL = SegmentDef(
    "HL",
    (
        E("AN", 1, 12, required=True),
        E("AN", 1, 12),
        E("ID", 1, 2, required=True, codes="S O T P I"),
        E("ID", 1, 1, codes="0 1"),
    ),
)
PRF = SegmentDef(
    "PRF",
    (
        E("AN", 1, 22, required=True),
        E("AN", 1, 30),
        E("AN", 1, 8),
        E("DT", 8, 8),
        E("AN", 1, 30),
        E("AN", 1, 30),
        E("ID", 2, 2),
    ),
)
MAN = SegmentDef(
    "MAN", (E("ID", 1, 2, required=True), E("AN", 1, 48, required=True), E("AN", 1, 48)), 6
)
LIN = SegmentDef(
    "LIN",
    (
        E("AN", 1, 20),
        E("ID", 2, 2, required=True),
        E("AN", 1, 48, required=True),
        *(E("ID", 2, 2), E("AN", 1, 48)) * 14,
    ),
)
SN1 = SegmentDef(
    "SN1",
    (
        E("AN", 1, 20),
        E("R", 1, 10, required=True),
        E("ID", 2, 2, required=True),
        E("R", 1, 15),
        E("R", 1, 9),
        E("ID", 2, 2),
        E("R", 1, 15),
        E("ID", 2, 2),
    ),
    9,
)
BAK = SegmentDef(
    "BAK",
    (
        E("ID", 2, 2, required=True),
        E("ID", 2, 2, required=True),
        E("AN", 1, 22, required=True),
        E("DT", 8, 8, required=True),
        E("AN", 1, 30),
        E("AN", 1, 45),
        E("AN", 1, 30),
        E("AN", 1, 30),
        E("DT", 8, 8),
        E("ID", 2, 2),
    ),
    12,
)
ACK = SegmentDef(
    "ACK",
    (
        E("ID", 2, 2, required=True),
        E("R", 1, 15),
        E("ID", 2, 2),
        E("ID", 3, 3),
        E("DT", 8, 8),
        E("AN", 1, 45),
        *(E("ID", 2, 2), E("AN", 1, 48)) * 11,
    ),
    29,
)
BIG = SegmentDef(
    "BIG",
    (
        E("DT", 8, 8, required=True),
        E("AN", 1, 22, required=True),
        E("DT", 8, 8),
        E("AN", 1, 22),
        E("AN", 1, 30),
        E("AN", 1, 30),
        E("ID", 2, 2),
        E("ID", 2, 2),
        E("ID", 1, 2),
        E("AN", 1, 22),
    ),
)
IT1 = SegmentDef(
    "IT1",
    (
        E("AN", 1, 20),
        E("R", 1, 10),
        E("ID", 2, 2),
        E("R", 1, 17),
        E("ID", 2, 2),
        *(E("ID", 2, 2), E("AN", 1, 48)) * 10,
    ),
)
TDS = SegmentDef(
    "TDS", (E("N2", 1, 15, required=True), E("N2", 1, 15), E("N2", 1, 15), E("N2", 1, 15))
)
TXI = SegmentDef("TXI", (E("ID", 2, 2, required=True), E("R", 1, 18), E("R", 1, 10)), 10)
ITD = SegmentDef(
    "ITD",
    (
        E("ID", 2, 2),
        E("ID", 1, 2),
        E("R", 1, 6),
        E("DT", 8, 8),
        E("N0", 1, 3),
        E("DT", 8, 8),
        E("N0", 1, 3),
    ),
    15,
)
W17 = SegmentDef(
    "W17",
    (
        E("ID", 1, 1, required=True),
        E("DT", 8, 8, required=True),
        E("AN", 1, 30, required=True),
        E("AN", 1, 22),
        E("AN", 1, 30),
        E("AN", 1, 30),
    ),
    8,
)
W07 = SegmentDef(
    "W07",
    (
        E("R", 1, 15, required=True),
        E("ID", 2, 2, required=True),
        E("AN", 12, 12),
        E("ID", 2, 2),
        E("AN", 1, 48),
        E("ID", 2, 2),
        E("AN", 1, 48),
        E("AN", 1, 12),
    ),
    11,
)
W13 = SegmentDef(
    "W13",
    (
        E("R", 1, 15, required=True),
        E("ID", 2, 2, required=True),
        E("ID", 2, 2, required=True),
        E("AN", 1, 12),
        E("ID", 2, 2),
    ),
    9,
)
W14 = SegmentDef("W14", (E("R", 1, 15, required=True),) + (E("R", 1, 15),) * 4)
N9 = SegmentDef("N9", (E("ID", 2, 3, required=True), E("AN", 1, 50), E("AN", 1, 45)), 7)
G69 = SegmentDef("G69", (E("AN", 1, 45, required=True),))
LX = SegmentDef("LX", (E("N0", 1, 6, required=True),))
BIA = SegmentDef(
    "BIA",
    (
        E("ID", 2, 2, required=True),
        E("ID", 2, 2, required=True),
        E("AN", 1, 30, required=True),
        E("DT", 8, 8, required=True),
        E("TM", 4, 8),
        E("ID", 1, 2),
    ),
)
QTY = SegmentDef("QTY", (E("ID", 2, 2, required=True), E("R", 1, 15), E("C", 1, 2)), 4)
B10 = SegmentDef(
    "B10",
    (E("AN", 1, 30), E("AN", 1, 30), E("ID", 2, 4), E("N0", 1, 9)),
    7,
)
AT7 = SegmentDef(
    "AT7",
    (
        E("ID", 2, 2),
        E("ID", 2, 2),
        E("ID", 2, 2),
        E("ID", 2, 2),
        E("DT", 8, 8),
        E("TM", 4, 8),
        E("ID", 2, 2),
    ),
)
MS1 = SegmentDef(
    "MS1", (E("AN", 2, 30), E("ID", 2, 2), E("ID", 2, 3), E("R", 1, 7), E("R", 1, 7)), 8
)
AK1 = SegmentDef(
    "AK1", (E("ID", 2, 2, required=True), E("N0", 1, 9, required=True), E("AN", 1, 12))
)
AK2 = SegmentDef(
    "AK2", (E("ID", 3, 3, required=True), E("AN", 4, 9, required=True), E("AN", 1, 35))
)
AK3 = SegmentDef(
    "AK3",
    (
        E("ID", 2, 3, required=True),
        E("N0", 1, 6, required=True),
        E("AN", 1, 4),
        E("ID", 1, 3, codes="1 2 3 4 5 6 7 8"),
    ),
)
AK4 = SegmentDef(
    "AK4",
    (
        E("C", 1, 5, required=True),
        E("N0", 1, 4),
        E("ID", 1, 3, required=True, codes="1 2 3 4 5 6 7 8 9 10"),
        E("AN", 1, 99),
    ),
)
AK5 = SegmentDef("AK5", (E("ID", 1, 1, required=True, codes="A E M R W X"),) + (E("ID", 1, 3),) * 5)
AK9 = SegmentDef(
    "AK9",
    (
        E("ID", 1, 1, required=True, codes="A E M P R W X"),
        E("N0", 1, 6, required=True),
        E("N0", 1, 6, required=True),
        E("N0", 1, 6, required=True),
    )
    + (E("ID", 1, 3),) * 5,
)


def _unchecked(*tags: str) -> list[SegmentDef]:
    # Accepted but not inspected: a partner's extra segments must not reject a set we can read.
    return [SegmentDef(tag) for tag in tags]


_COMMON = [REF, DTM, N1, N2, N3, N4, PER, TD1, TD5, CTT, PID, CUR]

PURCHASE_ORDER_850 = SetSpec(
    "850",
    MappingProxyType(
        segment_table(
            [
                *_COMMON,
                BEG,
                PO1,
                *_unchecked(
                    "TAX",
                    "FOB",
                    "CTP",
                    "PAM",
                    "CSH",
                    "SAC",
                    "ITD",
                    "DIS",
                    "LIN",
                    "MEA",
                    "PWK",
                    "PKG",
                    "TD3",
                    "TD4",
                    "MAN",
                    "TXI",
                    "AMT",
                    "N9",
                    "MSG",
                    "PO3",
                    "PO4",
                    "SCH",
                    "SDQ",
                    "SLN",
                    "QTY",
                    "ATH",
                    "IT8",
                    "ADV",
                    "LDT",
                    "SI",
                    "NTE",
                ),
            ]
        )
    ),
    ("BEG", "PO1"),
)
SHIP_NOTICE_856 = SetSpec(
    "856",
    MappingProxyType(
        segment_table(
            [
                *_COMMON,
                BSN,
                HL,
                PRF,
                MAN,
                LIN,
                SN1,
                *_unchecked(
                    "SLN",
                    "PO4",
                    "MEA",
                    "PWK",
                    "PKG",
                    "TD3",
                    "TD4",
                    "CLD",
                    "FOB",
                    "SAC",
                    "ITD",
                    "TSD",
                    "YNQ",
                    "V1",
                    "MSG",
                    "AMT",
                    "LH1",
                    "PAL",
                    "TXI",
                    "QTY",
                ),
            ]
        )
    ),
    ("BSN", "HL"),
)
PO_ACKNOWLEDGMENT_855 = SetSpec(
    "855",
    MappingProxyType(
        segment_table(
            [
                *_COMMON,
                BAK,
                PO1,
                ACK,
                *_unchecked(
                    "TAX",
                    "FOB",
                    "CTP",
                    "PAM",
                    "CSH",
                    "SAC",
                    "ITD",
                    "DIS",
                    "INC",
                    "LDT",
                    "PWK",
                    "PKG",
                    "TD3",
                    "TD4",
                    "MAN",
                    "TXI",
                    "AMT",
                    "N9",
                    "MSG",
                    "PO3",
                    "PO4",
                    "SCH",
                    "SLN",
                    "QTY",
                    "LIN",
                    "SI",
                    "MEA",
                    "NTE",
                    "ADV",
                ),
            ]
        )
    ),
    ("BAK",),
)
INVOICE_810 = SetSpec(
    "810",
    MappingProxyType(
        segment_table(
            [
                *_COMMON,
                BIG,
                IT1,
                TDS,
                TXI,
                ITD,
                *_unchecked(
                    "NTE",
                    "FOB",
                    "PAM",
                    "SAC",
                    "IT3",
                    "CTP",
                    "PO4",
                    "SLN",
                    "MEA",
                    "PKG",
                    "TD3",
                    "TD4",
                    "ISS",
                    "CAD",
                    "AMT",
                    "MSG",
                    "SI",
                    "SLN",
                    "LIN",
                    "QTY",
                    "IT8",
                    "INC",
                    "BAL",
                    "N9",
                    "DIS",
                    "YNQ",
                ),
            ]
        )
    ),
    ("BIG", "TDS"),
)
RECEIPT_ADVICE_944 = SetSpec(
    "944",
    MappingProxyType(
        segment_table(
            [
                *_COMMON,
                W17,
                W07,
                W13,
                W14,
                N9,
                G69,
                LX,
                *_unchecked("G62", "W08", "W20", "W27", "W10", "NTE", "QTY", "MAN"),
            ]
        )
    ),
    ("W17", "W07"),
)
INVENTORY_ADVICE_846 = SetSpec(
    "846",
    MappingProxyType(
        segment_table(
            [
                *_COMMON,
                BIA,
                LIN,
                QTY,
                *_unchecked(
                    "CTP",
                    "PKG",
                    "MEA",
                    "SLN",
                    "SCH",
                    "SDQ",
                    "LDT",
                    "MAN",
                    "PO4",
                    "G39",
                    "G53",
                    "PWK",
                    "FOB",
                    "SAC",
                    "LM",
                    "LQ",
                    "TD4",
                    "NTE",
                ),
            ]
        )
    ),
    ("BIA", "LIN"),
)
SHIPMENT_STATUS_214 = SetSpec(
    "214",
    MappingProxyType(
        segment_table(
            [
                *_COMMON,
                B10,
                AT7,
                MS1,
                LX,
                *_unchecked(
                    "L11",
                    "MAN",
                    "K1",
                    "AT5",
                    "MS2",
                    "AT8",
                    "MS3",
                    "Q7",
                    "SPO",
                    "SDQ",
                    "L3",
                    "PRF",
                    "G62",
                    "N9",
                    "AT6",
                ),
            ]
        )
    ),
    ("B10", "AT7"),
)
ACKNOWLEDGMENT_997 = SetSpec(
    "997", MappingProxyType(segment_table([AK1, AK2, AK3, AK4, AK5, AK9])), ("AK1", "AK9")
)

SET_SPECS = MappingProxyType(
    {
        spec.set_id: spec
        for spec in (
            PURCHASE_ORDER_850,
            SHIP_NOTICE_856,
            ACKNOWLEDGMENT_997,
            PO_ACKNOWLEDGMENT_855,
            INVOICE_810,
            RECEIPT_ADVICE_944,
            INVENTORY_ADVICE_846,
            SHIPMENT_STATUS_214,
        )
    }
)
"""The sets this package checks and maps; others are read with envelope checks only."""
