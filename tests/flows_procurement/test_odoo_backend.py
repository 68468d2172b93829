"""The Odoo backend is safe to call again: a receipt replayed after a crash validates nothing
more (the backorder stays open), promises already written write nothing, a bill is found by
its reference."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from crossdock.connectors.odoo.pool import CLIENTS
from crossdock.connectors.odoo.procurement import backend_for
from crossdock.flows.procurement.backend import DraftBill
from crossdock.flows.procurement.matching import BillLine, Counted, Promise
from crossdock.sandbox.odoo.server import build_app
from tests.support.odoo import odoo_partner
from tests.support.server import serving


async def test_replayed_steps_do_nothing_twice(tmp_path: Path) -> None:
    odoo = build_app(version=17)
    db = odoo.state.odoo
    [po_id] = db.search("purchase.order", [("name", "=", "P00001")])
    db.call("purchase.order", "button_confirm", [po_id])
    lines = db.records("purchase.order.line", [("order_id", "=", po_id)], ["product_qty"])
    first, *others = (str(r["id"]) for r in lines)
    async with serving(odoo) as url:
        backend = backend_for(odoo_partner(url, tmp_path, []))
        promise = [Promise(first, Decimal(20), date(2026, 4, 1))]
        assert await backend.apply_promises("P00001", promise) == 1
        assert await backend.apply_promises("P00001", promise) == 0

        counted = [Counted(first, Decimal(15), {}), *(Counted(o, Decimal(1), {}) for o in others)]
        once = await backend.receive("P00001", counted, "create", "RCV-1")
        again = await backend.receive("P00001", counted, "create", "RCV-1")
        bill = DraftBill(
            "INV-1", date(2026, 4, 2), None, [BillLine(first, Decimal(15), Decimal(3), None)]
        )
        made = await backend.create_draft_bill("P00001", bill)
        found = await backend.create_draft_bill("P00001", bill)
        received = await backend.received_quantities("P00001")
    await CLIENTS.aclose()

    assert once.backorder is not None and not once.already_done
    assert again.already_done and again.receipt == once.receipt
    [backorder] = db.search("stock.picking", [("name", "=", once.backorder)])
    assert db.record("stock.picking", backorder)["state"] not in ("done", "cancel")
    assert received[first] == Decimal(15)
    assert made.created and not found.created and made.bill_id == found.bill_id
    move = db.record("account.move", int(made.bill_id))
    assert (move["move_type"], move["state"], move["ref"]) == ("in_invoice", "draft", "INV-1")
