"""An invoice that arrives before the goods is held (nothing received yet), and becomes a
draft vendor bill once the receipt is validated, without a second exception."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, cast

from crossdock.clock import FrozenClock
from crossdock.connectors.odoo.pool import CLIENTS
from crossdock.flows.procurement import state as states
from crossdock.sandbox.odoo.server import build_app
from tests.files.sftp_server import SftpAccount
from tests.files.supplier import supplier_partner
from tests.flows_procurement import supplier_docs
from tests.flows_procurement.supplier_side import Supplier
from tests.flows_procurement.test_procurement_end_to_end import _state, drive, odoo_settings
from tests.support.factories import make_config, make_runtime
from tests.support.odoo import PARTNER as ODOO
from tests.support.server import serving


class DropFolder:
    def __init__(self, home: Path) -> None:
        self.home = home


async def test_an_early_invoice_is_billed_once_the_goods_are_received(
    sqlite_url: str, tmp_path: Path
) -> None:
    odoo = build_app(version=18)
    db = odoo.state.odoo
    vendor = db.record("res.partner", db.ref("sandbox.vendor_01"))
    [po_id] = db.search("purchase.order", [("name", "=", "P00001")])
    db.call("purchase.order", "button_confirm", [po_id])
    home = tmp_path / "drop"
    (home / "inbound").mkdir(parents=True)
    transport: dict[str, Any] = {
        "kind": "folder",
        "root": str(home),
        "pickup": {"settle_for": "PT0S", "poll_every": "PT5S"},
    }
    clock = FrozenClock(datetime.now(UTC).replace(microsecond=0))
    async with serving(odoo) as odoo_url:
        partner = supplier_partner(transport, vendor_names=[vendor["name"]])
        config = make_config(
            sqlite_url,
            [],
            partners=[odoo_settings(odoo_url, tmp_path), partner],
            procurement={"odoo_partner": ODOO},
        )
        runtime = make_runtime(config, clock)
        runtime.schedule_startup_jobs()
        supplier = Supplier(cast(SftpAccount, DropFolder(home)), partner, "x12")
        await drive(runtime, clock, lambda: bool(supplier.outbound("850-")))
        order = supplier.read_order()
        everything = {line.line_id: line.quantity.value for line in order.lines}
        prices = {line.line_id: line.unit_price or Decimal(0) for line in order.lines}

        invoice = supplier_docs.invoice(order, "INV-EARLY", everything, prices)
        supplier.send("invoice", invoice, clock.now())
        await drive(runtime, clock, lambda: _state(runtime).state == states.INVOICE_HELD)
        assert db.search("account.move", [("move_type", "=", "in_invoice")]) == []

        advice = supplier_docs.receipt_advice(order, everything)
        supplier.send("advice", advice, clock.now())
        await drive(runtime, clock, lambda: _state(runtime).state == states.BILLED)
        [bill] = db.records("account.move", [("move_type", "=", "in_invoice")], ["state", "ref"])
        final = _state(runtime)
        dead = runtime.queue.dead_jobs()
    await CLIENTS.aclose()
    runtime.store.dispose()

    assert dead == []
    assert (bill["state"], bill["ref"]) == ("draft", "INV-EARLY")
    assert final.progress["invoices"]["INV-EARLY"]["status"] == "billed"
    assert [(e["step"], e["document"]) for e in final.exceptions] == [("invoice", "INV-EARLY")]
