"""The coalescing writer: concurrent updates share RPCs, and each caller hears about its record."""

from __future__ import annotations

import asyncio

import pytest

from crossdock.connectors.odoo.errors import (
    OdooConcurrencyError,
    OdooValidationError,
    OdooWriteSkipped,
)
from crossdock.connectors.odoo.writer import CoalescingWriter
from tests.connectors_odoo.odoo_fakes import MemoryOdoo, settings


class ManualWindow:
    """A sleep that returns only when the test says the window is over."""

    def __init__(self) -> None:
        self.started = 0
        self._gate = asyncio.Event()

    async def __call__(self, seconds: float) -> None:
        self.started += 1
        await self._gate.wait()

    def close(self) -> None:
        self._gate.set()


async def test_concurrent_jobs_share_one_write_when_the_window_closes() -> None:
    odoo = MemoryOdoo()
    window = ManualWindow()
    writer = CoalescingWriter(odoo, window_ms=50, max_items=100, sleep=window)

    waits = [writer.submit("stock.picking", i, {"state": "done"}, lane=f"SO{i}") for i in range(10)]
    await asyncio.sleep(0)
    assert odoo.calls == [] and writer.pending == 10 and window.started == 1

    window.close()
    await asyncio.gather(*waits)

    assert odoo.calls == [("stock.picking", "write", list(range(10)), {"vals": {"state": "done"}})]
    assert writer.pending == 0


async def test_reaching_max_items_flushes_without_waiting_for_the_window() -> None:
    odoo = MemoryOdoo()
    writer = CoalescingWriter(odoo, window_ms=60_000, max_items=3, sleep=ManualWindow())
    done = await asyncio.gather(
        *(writer.write("res.partner", i, {"ref": str(i % 2)}) for i in range(3))
    )
    assert done == [None, None, None]
    assert odoo.count("write") == 2  # two distinct values
    await writer.aclose()


async def test_the_window_really_elapses_with_the_default_sleep() -> None:
    odoo = MemoryOdoo()
    writer = CoalescingWriter.from_settings(odoo, settings(write_coalesce_window=1))
    await asyncio.gather(
        writer.write("res.partner", 1, {"ref": "a"}), writer.write("res.partner", 2, {"ref": "a"})
    )
    assert odoo.count("write") == 1


async def test_one_bad_record_fails_alone() -> None:
    odoo = MemoryOdoo()
    bad = OdooValidationError(
        "Tracking number already used", name="odoo.exceptions.ValidationError"
    )
    odoo.fail_on[3] = bad
    writer = CoalescingWriter(odoo, window_ms=0, max_items=1000)

    results = await asyncio.gather(
        *(writer.submit("stock.picking", i, {"carrier_tracking_ref": "T"}) for i in range(1, 6)),
        return_exceptions=True,
    )

    assert results == [None, None, bad, None, None]
    grouped, *singles = [ids for _, m, ids, _ in odoo.calls if m == "write"]
    assert grouped == [1, 2, 3, 4, 5]
    assert sorted(singles) == [[1], [2], [3], [4], [5]]
    assert odoo.records["stock.picking"][1]["carrier_tracking_ref"] == "T"
    assert "carrier_tracking_ref" not in odoo.records["stock.picking"].get(3, {})


async def test_a_retryable_failure_fails_the_whole_group_without_fallback() -> None:
    odoo = MemoryOdoo()
    busy = OdooConcurrencyError(
        "could not serialize access", name="psycopg2.errors.SerializationFailure"
    )
    odoo.fail_next.append(busy)
    writer = CoalescingWriter(odoo, window_ms=0, max_items=1000)
    results = await asyncio.gather(
        writer.submit("res.partner", 1, {"ref": "a"}),
        writer.submit("res.partner", 2, {"ref": "a"}),
        writer.submit("res.partner", 3, {"ref": "b"}),
        return_exceptions=True,
    )
    assert results == [busy, busy, None]
    assert odoo.count("write") == 2


async def test_updates_following_a_failed_one_in_their_lane_are_skipped() -> None:
    odoo = MemoryOdoo()
    bad = OdooValidationError("cannot validate", name="odoo.exceptions.UserError")
    odoo.fail_on[1] = bad
    writer = CoalescingWriter(odoo, window_ms=0, max_items=1000)
    results = await asyncio.gather(
        writer.submit("stock.picking", 1, {"state": "done"}, lane="SO1"),
        writer.submit("sale.order", 9, {"note": "shipped"}, lane="SO1"),
        writer.submit("sale.order", 8, {"note": "shipped"}, lane="SO2"),
        return_exceptions=True,
    )
    first, second, other = results
    assert first is bad
    assert isinstance(second, OdooWriteSkipped) and second.cause is bad
    assert other is None
    assert [ids for _, m, ids, _ in odoo.calls] == [[1], [8]]


async def test_later_flushes_wait_for_earlier_ones() -> None:
    odoo = MemoryOdoo()
    odoo.gate = asyncio.Event()
    writer = CoalescingWriter(odoo, window_ms=0, max_items=1)
    first = writer.submit("res.partner", 1, {"ref": "a"}, lane="L")
    await asyncio.sleep(0.01)
    assert len(odoo.calls) == 1  # the first flush is under way, waiting for Odoo
    second = writer.submit("res.partner", 1, {"ref": "b"}, lane="L")
    await asyncio.sleep(0.01)
    assert len(odoo.calls) == 1  # the second flush waits for the first
    odoo.gate.set()
    await asyncio.gather(first, second)
    assert [c[3]["vals"]["ref"] for c in odoo.calls] == ["a", "b"]
    assert odoo.records["res.partner"][1]["ref"] == "b"


async def test_a_cancelled_caller_does_not_break_the_batch() -> None:
    odoo = MemoryOdoo()
    window = ManualWindow()
    writer = CoalescingWriter(odoo, window_ms=10, max_items=100, sleep=window)
    gone = writer.submit("res.partner", 1, {"ref": "a"})
    kept = writer.submit("res.partner", 2, {"ref": "a"})
    gone.cancel()
    window.close()
    await kept
    assert odoo.calls[0][2] == [1, 2]


async def test_an_unexpected_bug_reaches_every_caller() -> None:
    odoo = MemoryOdoo()
    odoo.fail_next.append(RuntimeError("bug"))
    writer = CoalescingWriter(odoo, window_ms=0, max_items=1000)
    with pytest.raises(RuntimeError, match="bug"):
        await writer.write("res.partner", 1, {"ref": "a"})
