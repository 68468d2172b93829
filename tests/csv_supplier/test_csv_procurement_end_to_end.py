"""End to end on the Odoo sandbox with a supplier exchanging CSV files over a drop folder:
the confirmed purchase order goes out as the supplier's CSV file; its acknowledgement cuts a
line's quantity (an exception, and the Odoo line changed); a malformed ship notice is kept
as a failed message naming file, line and column, and the corrected one announces the
goods; once the warehouse has received them in Odoo, the supplier's CSV invoice matches
order and receipt and becomes a draft vendor bill. The procurement flow is the EDI one."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from crossdock.canonical.common import Address, Party, Quantity
from crossdock.canonical.purchase import PurchaseOrder, PurchaseOrderLine
from crossdock.clock import FrozenClock
from crossdock.connectors.csv_supplier import mapping
from crossdock.connectors.csv_supplier.codec import read_rows, write_rows
from crossdock.connectors.csv_supplier.settings import CsvSupplierSettings
from crossdock.connectors.odoo.pool import CLIENTS
from crossdock.flows.procurement import state as states
from crossdock.sandbox.odoo.server import build_app
from tests.csv_supplier.supplier import csv_partner, parsed
from tests.flows_procurement import supplier_docs
from tests.flows_procurement.test_procurement_end_to_end import _state, drive, odoo_settings
from tests.support.factories import make_config, make_runtime
from tests.support.odoo import PARTNER as ODOO
from tests.support.server import serving


class CsvSupplierSide:
    """The supplier's side of the drop folder: reads Crossdock's order file, drops its own
    files in its layout (written with the project's CSV writer, as its export would)."""

    def __init__(self, home: Path, settings: CsvSupplierSettings) -> None:
        self.home, self.settings = home, settings

    def read_order(self, vendor: str) -> PurchaseOrder:
        [sent] = sorted((self.home / "outbound").glob("PO-*.csv"))
        layout = self.settings.documents.order
        rows = read_rows(sent.read_bytes(), "order", layout, self.settings.csv, sent.name)
        first = rows[0].values
        return PurchaseOrder(
            po_number=first["po_number"],
            vendor=Party(name=vendor, address=self.settings.supplier.address),
            currency=first.get("currency"),
            lines=[
                PurchaseOrderLine(
                    line_id=row.values["line_id"],
                    sku=row.values["sku"],
                    quantity=Quantity(value=row.values["quantity"], uom=row.values["uom"]),
                    unit_price=row.values.get("unit_price"),
                )
                for row in rows
            ],
        )

    def drop(self, name: str, kind: str, rows: list[dict[str, Any]]) -> None:
        layout = getattr(self.settings.documents, kind)
        (self.home / "inbound" / name).write_bytes(write_rows(rows, layout, self.settings.csv))


async def test_purchase_order_to_draft_bill_over_csv_files(db_url: str, tmp_path: Path) -> None:
    odoo = build_app(version=18)
    db = odoo.state.odoo
    vendor = db.record("res.partner", db.ref("sandbox.vendor_01"))
    [po_id] = db.search("purchase.order", [("name", "=", "P00001")])
    db.call("purchase.order", "button_confirm", [po_id])
    home = tmp_path / "drop"
    (home / "inbound").mkdir(parents=True)
    transport = {
        "kind": "folder",
        "root": str(home),
        "pickup": {"settle_for": "PT0S", "poll_every": "PT5S"},
    }
    partner = csv_partner(
        transport,
        vendor_names=[vendor["name"]],
        supplier={
            "name": vendor["name"],
            "address": Address(
                line1="1 Supply Road", city="Dayton", country_code="US"
            ).model_dump(),
        },
        currency="USD",
    )
    side = CsvSupplierSide(home, parsed(partner))
    clock = FrozenClock(datetime.now(UTC).replace(microsecond=0))
    async with serving(odoo) as odoo_url:
        config = make_config(
            db_url,
            [],
            partners=[odoo_settings(odoo_url, tmp_path), partner],
            procurement={"odoo_partner": ODOO},
        )
        runtime = make_runtime(config, clock)
        runtime.schedule_startup_jobs()

        # 1. The confirmed order reaches the supplier as its CSV file, sent once.
        await drive(runtime, clock, lambda: bool(list((home / "outbound").glob("PO-*.csv"))))
        order = side.read_order(vendor["name"])
        assert order.po_number == "P00001" and len(order.lines) == 3
        first, second, third = (line.line_id for line in order.lines)

        # 2. The acknowledgement cuts the second line from 48 to 40.
        ack = supplier_docs.changed_acknowledgement(order, {second: Decimal(40)}, x12_codes=False)
        side.drop(
            "ACK-77001.csv",
            "acknowledgement",
            mapping.acknowledgement_rows(ack, side.settings.statuses),
        )
        await drive(runtime, clock, lambda: _state(runtime).state == states.ACKNOWLEDGED)
        quantities = {
            str(r["id"]): r["product_qty"]
            for r in db.records("purchase.order.line", [("order_id", "=", po_id)], ["product_qty"])
        }
        assert quantities == {first: 24.0, second: 40.0, third: 72.0}

        # 3. A ship notice with a quantity that is no number fails visibly; the corrected
        #    one ships everything that is due.
        shipped = {first: Decimal(24), second: Decimal(40), third: Decimal(72)}
        rows = mapping.ship_notice_rows(supplier_docs.ship_notice(order, shipped))
        side.drop("ASN-5501-bad.csv", "ship_notice", [{**rows[0], "quantity": "24 Stk"}, *rows[1:]])
        await drive(runtime, clock, lambda: bool(runtime.inbox.list(status="failed")))
        side.drop("ASN-5501.csv", "ship_notice", rows)
        await drive(runtime, clock, lambda: _state(runtime).state == states.SHIPPED)

        # 4. The warehouse receives everything in Odoo; 5. the invoice becomes a draft bill.
        [receipt_id] = db.record("purchase.order", po_id)["picking_ids"]
        for move in db.records(
            "stock.move", [("picking_id", "=", receipt_id)], ["product_uom_qty"]
        ):
            db.call("stock.move", "write", [move["id"]], vals={"quantity": move["product_uom_qty"]})
        assert db.call("stock.picking", "button_validate", [receipt_id]) is True
        prices = {line.line_id: line.unit_price or Decimal(0) for line in order.lines}
        invoice = supplier_docs.invoice(order, "INV-3002", shipped, prices)
        side.drop("INV-3002.csv", "invoice", mapping.invoice_rows(invoice))
        await drive(runtime, clock, lambda: _state(runtime).state == states.BILLED)

        [bill] = db.records(
            "account.move",
            [("move_type", "=", "in_invoice")],
            ["state", "ref", "invoice_origin", "partner_id"],
        )
        bill_lines = db.records(
            "account.move.line",
            [("move_id", "=", bill["id"])],
            ["purchase_line_id", "quantity", "price_unit"],
        )
        failed = runtime.inbox.list(status="failed")
        dead = [job.last_error for job in runtime.queue.dead_jobs()]
        final = _state(runtime)
        sent_orders = sorted(p.name for p in (home / "outbound").iterdir())
        archived = sorted(p.name.split("-", 1)[1] for p in (home / "archive").iterdir())
    await CLIENTS.aclose()
    runtime.store.dispose()

    assert sent_orders == ["PO-P00001.csv"]
    assert (bill["state"], bill["ref"], bill["invoice_origin"]) == ("draft", "INV-3002", "P00001")
    assert bill["partner_id"][0] == vendor["id"]
    assert {
        (str(r["purchase_line_id"][0]), r["quantity"], Decimal(str(r["price_unit"])))
        for r in bill_lines
    } == {(line_id, float(shipped[line_id]), prices[line_id]) for line_id in shipped}
    [changed] = [e for e in final.exceptions if e["step"] == "acknowledgement"]
    [issue] = changed["issues"]
    assert (issue["kind"], issue["line_id"], issue["expected"], issue["found"]) == (
        "line_changed",
        second,
        "48",
        "40",
    )
    assert [e["step"] for e in final.exceptions] == ["acknowledgement"]
    # The malformed file is kept, failed and archived like the others; its error has its place.
    assert [m.headers["x-crossdock-file"] for m in failed] == ["ASN-5501-bad.csv"]
    assert len(dead) == 1 and "ASN-5501-bad.csv line 2 column 10" in str(dead[0])
    assert "'24 Stk' is not a number" in str(dead[0])
    assert archived == ["ACK-77001.csv", "ASN-5501-bad.csv", "ASN-5501.csv", "INV-3002.csv"]
