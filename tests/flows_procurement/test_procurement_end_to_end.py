"""End to end on the Odoo sandbox with a supplier exchanging files over a real SFTP server,
in X12 and in EDIFACT: a confirmed purchase order goes out as an 850 / ORDERS, the
supplier's 997 / CONTRL accepts it, its 855 / ORDRSP changes a line's quantity, its
856 / DESADV ships that line short, the warehouse's 944 / RECADV counts less than shipped
on another line, and a first 810 / INVOIC billing a wrong price is held before a corrected
one becomes a draft vendor bill. Every file the supplier sends is acknowledged."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from crossdock.clock import FrozenClock
from crossdock.connectors.edi.partner import bookkeeping
from crossdock.connectors.odoo.pool import CLIENTS
from crossdock.flows.procurement import state as states
from crossdock.runtime import Runtime
from crossdock.sandbox.odoo.server import build_app
from crossdock.store import events
from tests.files.sftp_server import sftp_server
from tests.files.supplier import SUPPLIER, supplier_partner
from tests.flows_procurement import supplier_docs
from tests.flows_procurement.supplier_side import Supplier
from tests.support.factories import make_config, make_runtime
from tests.support.odoo import PARTNER as ODOO
from tests.support.odoo import odoo_partner
from tests.support.server import serving

STEP = timedelta(seconds=5)


async def drive(
    runtime: Runtime, clock: FrozenClock, done: Callable[[], bool], rounds: int = 30
) -> None:
    """Let time pass in steps (polls are due again) and run what is due, until `done`."""
    worker = runtime.worker()
    for _ in range(rounds):
        clock.advance(STEP)
        await worker.run_until_idle()
        if done():
            return
    dead = [job.last_error for job in runtime.queue.dead_jobs()]
    raise AssertionError(f"not done after {rounds} rounds: {runtime.queue.counts()} {dead}")


def odoo_settings(url: str, tmp_path: Path) -> Any:
    return odoo_partner(
        url, tmp_path, [{"model": "purchase.order", "fields": ["name", "state"], "interval": 5}]
    )


EDIFACT = {
    "standard": "edifact",
    "version": "D96A",
    "us": {"qualifier": "14", "id": "5412345000013"},
    "them": {"qualifier": "14", "id": "5798765000002"},
    "sets": ["ORDERS", "ORDRSP", "DESADV", "RECADV", "INVOIC", "CONTRL"],
}


@pytest.mark.parametrize("standard", ["x12", "edifact"])
async def test_purchase_order_to_draft_bill_over_sftp(
    standard: str, db_url: str, tmp_path: Path
) -> None:
    odoo = build_app(version=18)
    db = odoo.state.odoo
    vendor = db.record("res.partner", db.ref("sandbox.vendor_01"))
    [po_id] = db.search("purchase.order", [("name", "=", "P00001")])
    db.call("purchase.order", "button_confirm", [po_id])
    clock = FrozenClock(datetime.now(UTC).replace(microsecond=0))
    async with serving(odoo) as odoo_url, sftp_server(tmp_path) as account:
        transport = account.transport(pickup={"settle_for": "PT5S", "poll_every": "PT5S"})
        supplier_config = supplier_partner(
            transport,
            vendor_names=[vendor["name"]],
            tolerances={"price_percent": "2"},
            **(EDIFACT if standard == "edifact" else {}),
        )
        config = make_config(
            db_url,
            [],
            partners=[odoo_settings(odoo_url, tmp_path), supplier_config],
            procurement={"odoo_partner": ODOO, "backorder": "create"},
        )
        runtime = make_runtime(config, clock)
        runtime.schedule_startup_jobs()
        supplier = Supplier(account, supplier_config, standard)

        # 1. The confirmed order reaches the supplier; its 997 / CONTRL accepts it.
        await drive(runtime, clock, lambda: bool(supplier.outbound(supplier.order_prefix)))
        order = supplier.read_order()
        assert order.po_number == "P00001" and len(order.lines) == 3
        first, second, third = (line.line_id for line in order.lines)
        supplier.acknowledge_order(clock.now())

        # 2. The acknowledgement cuts the second line from 48 to 40 and promises every line
        #    a date.
        ack = supplier_docs.changed_acknowledgement(
            order, {second: Decimal(40)}, x12_codes=standard == "x12"
        )
        supplier.send("ack", ack, clock.now())
        await drive(runtime, clock, lambda: _state(runtime).state == states.ACKNOWLEDGED)
        lines = {
            str(r["id"]): r
            for r in db.records(
                "purchase.order.line", [("order_id", "=", po_id)], ["product_qty", "date_planned"]
            )
        }
        assert lines[second]["product_qty"] == 40.0
        assert {str(r["date_planned"])[:10] for r in lines.values()} == {"2026-03-20"}
        [receipt_id] = db.record("purchase.order", po_id)["picking_ids"]
        demand = {
            str(m["purchase_line_id"][0]): m["product_uom_qty"]
            for m in db.records(
                "stock.move",
                [("picking_id", "=", receipt_id)],
                ["purchase_line_id", "product_uom_qty"],
            )
        }
        assert demand == {first: 24.0, second: 40.0, third: 72.0}

        # 3. The 856 ships the first line in full, the second short (36 of 40), the third
        #    in full; 4. the warehouse's 944 counts 20 of the first line.
        shipped = {first: Decimal(24), second: Decimal(36), third: Decimal(72)}
        supplier.send("notice", supplier_docs.ship_notice(order, shipped), clock.now())
        await drive(runtime, clock, lambda: _state(runtime).state == states.SHIPPED)
        counted = {first: Decimal(20), second: Decimal(36), third: Decimal(72)}
        supplier.send("advice", supplier_docs.receipt_advice(order, counted), clock.now())
        await drive(runtime, clock, lambda: _state(runtime).state == states.RECEIVED)
        receipt = db.record("stock.picking", receipt_id)
        assert receipt["state"] == "done"
        received = {
            str(r["id"]): r["qty_received"]
            for r in db.records("purchase.order.line", [("order_id", "=", po_id)], ["qty_received"])
        }
        assert received == {first: 20.0, second: 36.0, third: 72.0}
        [backorder] = db.search("stock.picking", [("backorder_id", "=", receipt_id)])
        rest = {
            str(m["purchase_line_id"][0]): m["product_uom_qty"]
            for m in db.records(
                "stock.move",
                [("picking_id", "=", backorder)],
                ["purchase_line_id", "product_uom_qty"],
            )
        }
        assert rest == {first: 4.0, second: 4.0}

        # 5. The first invoice bills the third line 5 % over its price: held, no bill.
        prices = {line.line_id: line.unit_price or Decimal(0) for line in order.lines}
        wrong = {**prices, third: (prices[third] * Decimal("1.05")).quantize(Decimal("0.01"))}
        billed = {line_id: counted[line_id] for line_id in counted}
        supplier.send(
            "invoice", supplier_docs.invoice(order, "INV-3001", billed, wrong), clock.now()
        )
        await drive(runtime, clock, lambda: _state(runtime).state == states.INVOICE_HELD)
        assert db.search("account.move", [("move_type", "=", "in_invoice")]) == []

        # 6. The corrected invoice matches order and receipt: a draft vendor bill.
        supplier.send(
            "invoice", supplier_docs.invoice(order, "INV-3002", billed, prices), clock.now()
        )
        await drive(runtime, clock, lambda: _state(runtime).state == states.BILLED)
        [bill] = db.records(
            "account.move",
            [("move_type", "=", "in_invoice")],
            ["state", "ref", "invoice_origin", "partner_id", "invoice_line_ids"],
        )
        bill_lines = db.records(
            "account.move.line",
            [("move_id", "=", bill["id"])],
            ["purchase_line_id", "quantity", "price_unit"],
        )
        activities = db.records(
            "mail.activity",
            [("res_model", "=", "purchase.order"), ("res_id", "=", po_id)],
            ["summary"],
        )
        final = _state(runtime)
        with runtime.store.engine.connect() as conn:
            book = bookkeeping.for_partner(conn, SUPPLIER)
        raised = events.counts_by_type(runtime.store)[
            "crossdock.purchase_order.exception_raised.v1"
        ]
        dead = runtime.queue.dead_jobs()
    await CLIENTS.aclose()
    runtime.store.dispose()

    assert dead == []
    assert (bill["state"], bill["ref"], bill["invoice_origin"]) == ("draft", "INV-3002", "P00001")
    assert bill["partner_id"][0] == vendor["id"]
    assert {
        (str(r["purchase_line_id"][0]), r["quantity"], Decimal(str(r["price_unit"])))
        for r in bill_lines
    } == {(line_id, float(counted[line_id]), prices[line_id]) for line_id in counted}
    kinds = [(e["step"], [i["kind"] for i in e["issues"]]) for e in final.exceptions]
    assert kinds == [
        ("acknowledgement", ["line_changed"]),
        ("ship_notice", ["short"]),
        ("receipt", ["short"]),
        ("invoice", ["invoice_mismatch"]),
    ]
    [changed] = final.exceptions[0]["issues"]
    assert (changed["line_id"], changed["expected"], changed["found"]) == (second, "48", "40")
    [short_shipped] = final.exceptions[1]["issues"]
    assert (short_shipped["line_id"], short_shipped["expected"], short_shipped["found"]) == (
        second,
        "40",
        "36",
    )
    [short_counted] = final.exceptions[2]["issues"]
    assert (short_counted["line_id"], short_counted["expected"], short_counted["found"]) == (
        first,
        "24",
        "20",
    )
    [mismatch] = final.exceptions[3]["issues"]
    assert (mismatch["line_id"], mismatch["expected"], mismatch["found"]) == (
        third,
        str(prices[third]),
        str(wrong[third]),
    )
    assert {a["summary"] for a in activities} == {
        "acknowledgement exception: SO-77001",
        "ship notice exception: ASN-5501",
        "receipt exception: RCV-9001",
        "invoice exception: INV-3001",
    }
    # The 850 was acknowledged; every supplier interchange got its own accepted 997.
    [order_sent] = [row for row in book if row.document and row.document.endswith(" P00001")]
    assert order_sent.ack_status == "accepted"
    accepted = "A" if standard == "x12" else "7"
    # Every supplier interchange but its own acknowledgement (501) got an accepting reply.
    assert supplier.replies() == dict.fromkeys(range(502, supplier.control + 1), accepted)
    assert raised == 4


def _state(runtime: Runtime) -> states.OrderState:
    with runtime.store.engine.connect() as conn:
        found = states.get(conn, "P00001")
    return found or states.OrderState(po_number="P00001", purchase_order={}, state="none")
