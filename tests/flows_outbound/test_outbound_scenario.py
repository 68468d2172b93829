"""`run_orders`, the whole scenario the demo and the benchmark run: a few orders, one of
them picked short, each carried from confirmation to its invoice."""

from __future__ import annotations

from pathlib import Path

import pytest

from crossdock.sandbox.wms.stack import run_orders
from crossdock.sandbox.wms.warehouse import Behaviour


@pytest.mark.slow
async def test_run_orders_carries_every_order_to_its_invoice(
    sqlite_url: str, tmp_path: Path
) -> None:
    progress: list[tuple[int, int]] = []
    summary = await run_orders(
        4,
        sqlite_url,
        tmp_path,
        behaviour=Behaviour(short_every=2),
        on_progress=lambda done, total: progress.append((done, total)),
    )
    assert summary.orders == summary.orders_invoiced == 4
    assert summary.partially_shipped == summary.exceptions >= 1, "short picks: backorders"
    assert summary.released == summary.shipped == summary.delivered == summary.invoiced
    assert summary.invoiced == 4 + summary.partially_shipped
    assert summary.dead_letters == summary.conflicts == 0
    assert 5 <= summary.rpcs_per_order <= 30
    assert progress[-1] == (4, 4)
