"""Property tests for the set mappings: a mutated or truncated interchange may be rejected
or fail to map, but only with an X12Error that says where, never with anything else."""

from __future__ import annotations

from collections.abc import Callable

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crossdock.connectors.edi.x12 import (
    OutgoingSet,
    PartnerDefaults,
    TransactionSet,
    X12Error,
    ack_from_997,
    acknowledgement_from_855,
    inventory_from_846,
    invoice_from_810,
    milestones_from_214,
    purchase_order_from_850,
    read_x12,
    receipt_advice_from_944,
    ship_notice_from_856,
)
from tests.edi_x12.test_x12_810 import BODY as INVOICE
from tests.edi_x12.test_x12_846_214 import INVENTORY, STATUS
from tests.edi_x12.test_x12_855 import CHANGED_BODY
from tests.edi_x12.test_x12_944 import BODY as RECEIPT
from tests.edi_x12.x12_helpers import FIXTURES, interchange, po_set

DEFAULTS = PartnerDefaults(country_code="US", currency="USD")
MAPPINGS: dict[str, Callable[[TransactionSet], object]] = {
    "850": lambda t: purchase_order_from_850(t, DEFAULTS),
    "855": acknowledgement_from_855,
    "856": ship_notice_from_856,
    "810": lambda t: invoice_from_810(t, DEFAULTS),
    "944": receipt_advice_from_944,
    "846": lambda t: inventory_from_846(t, default_unit="EA"),
    "214": milestones_from_214,
    "997": ack_from_997,
}
SEEDS = [
    interchange(
        [
            po_set("0001"),
            OutgoingSet("855", "0002", CHANGED_BODY),
            OutgoingSet("810", "0003", INVOICE),
            OutgoingSet("944", "0004", RECEIPT),
            OutgoingSet("846", "0005", INVENTORY),
            OutgoingSet("214", "0006", STATUS),
        ]
    ),
    *(path.read_bytes() for path in sorted(FIXTURES.glob("*.x12"))),
]
BOUNDED = settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _located(error: X12Error, control: str | None) -> None:
    assert error.offset is not None
    if control is not None:
        assert error.transaction_control == control
        assert error.segment_position is not None
    assert str(error)


def _map_all(data: bytes) -> int:
    try:
        items = list(read_x12(data, chunk_size=512))
    except X12Error as error:
        _located(error, None)
        return 0
    mapped = 0
    for item in items:
        if not isinstance(item, TransactionSet) or item.set_id not in MAPPINGS:
            continue
        try:
            MAPPINGS[item.set_id](item)
            mapped += 1
        except X12Error as error:
            _located(error, item.control_number)
    return mapped


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["flip", "insert", "delete", "swap"]))
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        if kind == "flip" and data:
            data[at] = draw(st.sampled_from(b"*~>^:\n 0123456789.-ABXZ"))
        elif kind == "insert":
            data[at:at] = draw(st.sampled_from([b"*", b"~", b"*X", b"0", b"-", b".", b"99"]))
        elif kind == "delete" and data:
            del data[at : at + draw(st.integers(1, 12))]
        elif data:
            # Swap in a digit or letter where a digit was: makes bad dates, codes and numbers
            # while keeping the structure, so the mappings (not the reader) meet them.
            data[at] = draw(st.sampled_from(b"0123456789AZ"))
    return bytes(data)


@BOUNDED
@given(mutated())
def test_mappings_only_raise_located_x12_errors(data: bytes) -> None:
    _map_all(data)


@BOUNDED
@given(st.sampled_from(SEEDS), st.data())
def test_truncated_sets_only_raise_located_x12_errors(seed: bytes, data: st.DataObject) -> None:
    _map_all(seed[: data.draw(st.integers(0, len(seed)))])


def test_every_seed_maps_in_full() -> None:
    assert _map_all(SEEDS[0]) == 6
