"""Control numbers and counts are checked, a broken set is rejected alone, the 997 says why."""

from __future__ import annotations

from crossdock.connectors.edi.x12 import (
    AckStatus,
    GroupSummary,
    InterchangeSummary,
    RejectedSet,
    TransactionSet,
    ack_from_997,
    ack_to_997,
    acknowledge,
    read_x12,
)
from crossdock.connectors.edi.x12.writer import OutgoingSet
from tests.edi_x12.x12_helpers import PO_BODY, interchange, po_set, read_all


def _with(data: bytes, old: bytes, new: bytes) -> bytes:
    assert data.count(old) == 1
    return data.replace(old, new)


def test_se_count_mismatch_rejects_only_that_set() -> None:
    data = interchange([po_set("0001"), po_set("0002"), po_set("0003")])
    data = _with(data, b"SE*10*0002~", b"SE*11*0002~")
    items = read_all(data)
    kinds = [(type(i).__name__, getattr(i, "control_number", "")) for i in items[:3]]
    assert kinds == [
        ("TransactionSet", "0001"),
        ("RejectedSet", "0002"),
        ("TransactionSet", "0003"),
    ]
    rejected = items[1]
    assert isinstance(rejected, RejectedSet)
    (error,) = rejected.errors
    assert error.code == "4"
    assert (error.segment_id, error.segment_position, error.element_position) == ("SE", 10, 1)
    assert error.transaction_control == "0002"
    assert error.interchange_control == "000000042"
    assert error.group_control == "7"
    assert (error.expected, error.found) == ("10", "11")
    assert "transaction 0002" in str(error)
    (ack,) = acknowledge(items)
    assert ack.status is AckStatus.PARTIALLY_ACCEPTED
    assert (ack.included, ack.received, ack.accepted) == (3, 3, 2)
    assert [(s.control_number, s.status, s.codes) for s in ack.sets] == [
        ("0001", AckStatus.ACCEPTED, ()),
        ("0002", AckStatus.REJECTED, ("4",)),
        ("0003", AckStatus.ACCEPTED, ()),
    ]


def test_control_number_mismatches_at_every_level() -> None:
    data = interchange([po_set("0001")])
    data = _with(data, b"SE*10*0001~", b"SE*10*0009~")
    data = _with(data, b"GE*1*7~", b"GE*2*8~")
    data = _with(data, b"IEA*1*000000042~", b"IEA*3*000000043~")
    items = read_all(data)
    rejected, group, end = items
    assert isinstance(rejected, RejectedSet)
    assert [e.code for e in rejected.errors] == ["3"]
    assert isinstance(group, GroupSummary)
    assert sorted(str(e.code) for e in group.errors) == ["4", "5"]
    assert isinstance(end, InterchangeSummary)
    assert sorted(str(e.code) for e in end.errors) == ["001", "021"]
    assert all(e.offset is not None for e in end.errors)


def test_missing_se_and_truncated_file() -> None:
    data = interchange([po_set("0001"), po_set("0002")])
    cut = data[: data.index(b"SE*10*0002")]
    items = read_all(cut)
    assert isinstance(items[0], TransactionSet)
    assert isinstance(items[1], RejectedSet)
    assert items[1].errors[0].code == "2"
    group = items[2]
    assert isinstance(group, GroupSummary)
    assert [e.code for e in group.errors] == ["3"]
    end = items[3]
    assert isinstance(end, InterchangeSummary)
    assert end.errors[-1].code == "023"


def test_content_errors_produce_ak3_and_ak4() -> None:
    body = [list(s) for s in PO_BODY]
    body[0] = ["BEG", "00", "SA", "P00042", "", "20241399"]  # invalid date
    body[5] = ["PO1", "1", "ten", "EA", "2.50", "", "BP", "SKU-1"]  # invalid number
    body.insert(1, ["ZZZZ", "x"])  # not a segment id
    good = po_set("0001")
    bad = OutgoingSet("850", "0002", body)
    items = read_all(interchange([good, bad]))
    rejected = items[1]
    assert isinstance(rejected, RejectedSet)
    (ack,) = acknowledge(items)
    response = ack.sets[1]
    assert response.codes == ("5",)
    notes = {(n.segment_id, n.position): n for n in response.segments}
    assert notes["BEG", 2].code == "8"
    assert notes["BEG", 2].elements[0].position == 5
    assert notes["BEG", 2].elements[0].code == "8"
    assert notes["ZZZ", 3]  # AK301 holds at most 3 characters
    assert notes["ZZZ", 3].code == "1"
    assert notes["PO1", 8].elements[0].code == "6"
    assert notes["PO1", 8].elements[0].bad_value == "ten"


def test_mandatory_segment_missing() -> None:
    body = [s for s in PO_BODY if s[0] != "BEG"]
    items = read_all(interchange([po_set("0001", body)]))
    rejected = items[0]
    assert isinstance(rejected, RejectedSet)
    missing = next(e for e in rejected.errors if e.code == "3" and e.segment_id == "BEG")
    assert missing.segment_position == len(body) + 2


def test_unsupported_version_rejects_the_group() -> None:
    items = read_all(interchange([po_set()], version="003040"))
    (ack,) = acknowledge(items)
    assert ack.status is AckStatus.REJECTED
    assert ack.codes == ("2",)
    assert ack.sets[0].codes == ("1",)


def test_duplicate_set_control_number_in_group() -> None:
    items = read_all(interchange([po_set("0001"), po_set("0001")]))
    assert isinstance(items[0], TransactionSet)
    assert isinstance(items[1], RejectedSet)
    assert items[1].errors[0].code == "23"


def test_997_round_trip_preserves_every_note() -> None:
    body = [list(s) for s in PO_BODY]
    body[5] = ["PO1", "1", "ten", "EA", "2.50", "", "BP", "SKU-1"]
    data = interchange([po_set("0001"), OutgoingSet("850", "0002", body)])
    data = data.replace(b"SE*10*0001~", b"SE*9*0001~")
    (ack,) = acknowledge(read_x12(data))
    written = interchange([OutgoingSet("997", "0001", ack_to_997(ack))])
    (transaction,) = [i for i in read_x12(written) if isinstance(i, TransactionSet)]
    assert ack_from_997(transaction) == ack
    assert ack.status is AckStatus.REJECTED
    assert b"AK5*R*5~" in written
    assert b"AK5*R*4~" in written
    assert b"AK9*R*2*2*0*" not in written
    assert b"AK9*R*2*2*0~" in written
