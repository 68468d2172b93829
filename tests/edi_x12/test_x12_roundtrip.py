"""parse → canonical → write → parse gives equal canonical objects, for every mapped set."""

from __future__ import annotations

from crossdock.connectors.edi.x12 import (
    OutgoingSet,
    PartnerDefaults,
    Separators,
    TransactionSet,
    ack_from_997,
    ack_to_997,
    purchase_order_from_850,
    purchase_order_to_850,
    read_x12,
    ship_notice_from_856,
    ship_notice_to_856,
)
from tests.edi_x12.x12_helpers import FIXTURES, interchange

DEFAULTS = PartnerDefaults(country_code="CA", currency="CAD")


def _one(data: bytes) -> TransactionSet:
    (transaction,) = [i for i in read_x12(data) if isinstance(i, TransactionSet)]
    return transaction


def test_850_round_trip() -> None:
    first = purchase_order_from_850(
        _one((FIXTURES / "bots-850-004010VICS-02.x12").read_bytes()), DEFAULTS
    )
    written = interchange([OutgoingSet("850", "0001", purchase_order_to_850(first))])
    assert purchase_order_from_850(_one(written)) == first


def test_856_round_trip_with_other_separators() -> None:
    first = ship_notice_from_856(_one((FIXTURES / "bots-856_1-SOPI-MAN.x12").read_bytes()))
    separators = Separators("|", "^", None, "\n")
    written = interchange([OutgoingSet("856", "0001", ship_notice_to_856(first))], separators)
    again = ship_notice_from_856(_one(written))
    assert again == first
    assert again.orders[0].packages[2].items[1].sku == "01113480"


def test_856_round_trip_with_tares_weights_and_loose_items() -> None:
    body = [
        ["BSN", "00", "ASN-9", "20240305", "1200"],
        ["HL", "1", "", "S"],
        ["TD1", "PLT", "2", "", "", "", "G", "812.5", "KG"],
        ["TD5", "", "2", "DHLF"],
        ["REF", "BM", "BOL-77"],
        ["DTM", "011", "20240305"],
        ["N1", "SF", "Acme DC", "92", "ACME"],
        ["N4", "Utrecht", "", "3511AB", "NL"],
        ["N1", "ST", "Crossdock WH"],
        ["HL", "2", "1", "O"],
        ["PRF", "P00042", "", "", "20240301"],
        ["HL", "3", "2", "T"],
        ["MAN", "GM", "000000000000000017"],
        ["HL", "4", "3", "P"],
        ["MAN", "GM", "000000000000000024"],
        ["HL", "5", "4", "I"],
        ["LIN", "1", "BP", "SKU-1", "VN", "V-1", "EN", "8712345678906", "LT", "LOT5"],
        ["SN1", "", "12.5", "KG"],
        ["HL", "6", "2", "I"],
        ["LIN", "", "UP", "012345678905"],
        ["SN1", "", "3", "EA"],
        ["CTT", "6"],
    ]
    first = ship_notice_from_856(_one(interchange([OutgoingSet("856", "0001", body)])))
    assert first.gross_weight is not None
    assert first.gross_weight.unit == "kg"
    assert first.orders[0].packages[0].kind == "tare"
    assert first.orders[0].packages[0].packages[0].items[0].lot == "LOT5"
    assert first.orders[0].items[0].sku == "012345678905"
    written = interchange([OutgoingSet("856", "0002", ship_notice_to_856(first))])
    assert ship_notice_from_856(_one(written)) == first


def test_997_round_trip() -> None:
    first = ack_from_997(_one((FIXTURES / "bots-997_1.x12").read_bytes()))
    written = interchange([OutgoingSet("997", "0001", ack_to_997(first))])
    assert ack_from_997(_one(written)) == first


def test_writer_is_deterministic_and_counts() -> None:
    first = ship_notice_from_856(_one((FIXTURES / "bots-856_1-SOPI-MAN.x12").read_bytes()))
    sets = [OutgoingSet("856", "0001", ship_notice_to_856(first))]
    one, two = interchange(sets), interchange(sets)
    assert one == two
    assert one.startswith(b"ISA*00*          *00*          *ZZ*CROSSDOCK      *ZZ*PARTNER   ")
    assert one[105:106] == b"~"
    assert b"GE*1*7~IEA*1*000000042~" in one
