"""Property test: whatever arrives, reading, mapping and acknowledging raise only EdifactError,
and every error says at which segment position it happened."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crossdock.canonical.common import Address, Party
from crossdock.connectors.edi.edifact import (
    EdifactError,
    Message,
    PartnerDefaults,
    acknowledgement_from_ordrsp,
    build_contrl,
    invoice_from_invoic,
    milestones_from_iftsta,
    purchase_order_from_orders,
    read_edifact,
    receipt_advice_from_recadv,
    ship_notice_from_desadv,
)
from tests.edi_edifact.edifact_helpers import (
    DESADV_FIXTURE,
    ORDERS_FIXTURE,
    iftsta,
    interchange,
    invoic,
    message,
    orders_body,
    ordrsp,
    recadv,
)

SEEDS = [
    DESADV_FIXTURE.read_bytes(),
    ORDERS_FIXTURE.read_bytes(),
    interchange([message(orders_body(), "1"), message(orders_body("P2"), "2")]).encode(),
    *(
        interchange(
            [
                message(ordrsp(directory), "1"),
                message(recadv(directory), "2"),
                message(invoic(directory), "3"),
                message(iftsta(directory), "4"),
            ]
        ).encode()
        for directory in (("D", "96A"), ("D", "01B"))
    ),
]
DEFAULTS = PartnerDefaults(
    parties={
        "8450534000000": Party(name="V", address=Address(line1="S", city="C", country_code="ES"))
    }
)
MAPPINGS: dict[str, Callable[[Message], object]] = {
    "ORDERS": lambda msg: purchase_order_from_orders(msg, DEFAULTS),
    "ORDRSP": acknowledgement_from_ordrsp,
    "RECADV": receipt_advice_from_recadv,
    "INVOIC": invoice_from_invoic,
    "IFTSTA": lambda msg: milestones_from_iftsta(msg, carrier_code="x"),
}
"""Every mapping gets every message that claims its type, however mangled."""
BOUNDED = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _check(error: EdifactError) -> None:
    assert error.segment_position is not None
    assert error.segment_position >= 0
    assert str(error)


def _consume(data: bytes) -> None:
    try:
        interchanges = read_edifact(data)
    except EdifactError as error:
        _check(error)
        return
    for ic in interchanges:
        for error in ic.errors:
            _check(error)
        for rejected in ic.rejected:
            for error in rejected.errors:
                _check(error)
        for msg in ic.messages:
            try:
                MAPPINGS.get(msg.identifier.type, ship_notice_from_desadv)(msg)
            except EdifactError as error:
                _check(error)
        build_contrl(ic, reference="1", prepared=datetime(2024, 1, 1, tzinfo=UTC))


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(1, 8))):
        kind = draw(st.sampled_from(["flip", "insert", "delete", "truncate"]))
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        if kind == "flip" and data:
            data[at] = draw(st.sampled_from(b"'+:?.,\n\r \x00\xffUNABHTZ0123456789"))
        elif kind == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=6))
        elif kind == "delete" and data:
            del data[at : at + draw(st.integers(1, 20))]
        else:
            del data[at:]
    return bytes(data)


@BOUNDED
@given(mutated())
def test_mutated_input_only_raises_located_edifact_errors(data: bytes) -> None:
    _consume(data)


@BOUNDED
@given(st.binary(max_size=300))
def test_arbitrary_bytes_only_raise_located_edifact_errors(data: bytes) -> None:
    _consume(data)


def test_seeds_are_consumed_without_errors_escaping() -> None:
    for seed in SEEDS:
        _consume(seed)
