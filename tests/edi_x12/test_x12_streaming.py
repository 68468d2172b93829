"""The reader streams: memory stays flat while a multi-megabyte file goes through."""

from __future__ import annotations

import io
import tracemalloc

from crossdock.connectors.edi.x12 import (
    TransactionSet,
    read_x12,
    ship_notice_from_856,
    tokenize,
)
from crossdock.connectors.edi.x12.asn856 import ship_notice_to_856
from crossdock.connectors.edi.x12.writer import (
    OutgoingGroup,
    OutgoingInterchange,
    OutgoingSet,
    iter_serialize,
)
from tests.edi_x12.test_x12_roundtrip import _one
from tests.edi_x12.x12_helpers import CREATED, FIXTURES


def big_856(sets: int) -> bytes:
    notice_body = ship_notice_to_856(
        ship_notice_from_856(_one((FIXTURES / "bots-856_1-SOPI-MAN.x12").read_bytes()))
    )
    group = OutgoingGroup(
        "A", "B", 1, [OutgoingSet("856", f"{n:09d}", notice_body) for n in range(1, sets + 1)]
    )
    envelope = OutgoingInterchange("ZZ", "A", "ZZ", "B", 1, CREATED, [group])
    return b"".join(iter_serialize(envelope))


def test_multi_megabyte_file_with_flat_memory() -> None:
    data = big_856(800)
    assert len(data) > 2_500_000
    stream = io.BytesIO(data)
    tracemalloc.start()
    try:
        # Envelope checks only: tracing every allocation of the content checks would make
        # the test slow without telling more about memory, which the envelope path decides.
        items = read_x12(stream, specs=None)
        count = sum(isinstance(item, TransactionSet) for item in items)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 800
    # About one chunk, its split parts and one set: a fixed bound, whatever the file size.
    assert peak < 1_200_000 < len(data) / 2


def test_chunk_boundaries_do_not_change_segments() -> None:
    data = big_856(3)
    whole = [s.elements for s in tokenize(io.BytesIO(data), chunk_size=1 << 20)]
    small = [s.elements for s in tokenize(io.BytesIO(data), chunk_size=512)]
    placed = [(s.tag, s.offset) for s in tokenize(io.BytesIO(data), chunk_size=513)]
    assert whole == small
    assert all(data[o : o + len(tag)] == tag.encode() for tag, o in placed)
