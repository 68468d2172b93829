"""Property tests: whatever bytes arrive, the reader raises only X12Error, always located."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crossdock.connectors.edi.x12 import (
    GroupSummary,
    InterchangeSummary,
    RejectedSet,
    X12Error,
    acknowledge,
    read_x12,
)
from tests.edi_x12.x12_helpers import FIXTURES, interchange, po_set

SEEDS = [interchange([po_set("0001"), po_set("0002")])] + [
    path.read_bytes() for path in sorted(FIXTURES.glob("*.x12"))
]
BOUNDED = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _consume(data: bytes, chunk_size: int = 512) -> None:
    raised: X12Error | None = None
    try:
        items = list(read_x12(data, chunk_size=chunk_size))
    except X12Error as error:
        raised = error
        items = []
    if raised is not None:
        assert raised.offset is not None
        assert 0 <= raised.offset <= len(data)
        return
    for item in items:
        if isinstance(item, RejectedSet | GroupSummary | InterchangeSummary):
            for error in item.errors:
                assert error.offset is not None
                assert str(error)
    list(acknowledge(items))


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(1, 8))):
        kind = draw(st.sampled_from(["flip", "insert", "delete"]))
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        if kind == "flip" and data:
            data[at] = draw(st.sampled_from(b"*~>^|:\n\r \x00\xff\xc3ISAGEST0123456789"))
        elif kind == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=6))
        elif data:
            del data[at : at + draw(st.integers(1, 20))]
    return bytes(data)


@BOUNDED
@given(mutated())
def test_mutated_input_only_raises_located_x12_errors(data: bytes) -> None:
    _consume(data)


@BOUNDED
@given(st.sampled_from(SEEDS), st.data())
def test_truncated_input_only_raises_located_x12_errors(seed: bytes, data: st.DataObject) -> None:
    cut = data.draw(st.integers(0, len(seed)))
    _consume(seed[:cut])


@BOUNDED
@given(st.binary(max_size=300))
def test_arbitrary_bytes(data: bytes) -> None:
    _consume(b"ISA" + data)
    _consume(data)
