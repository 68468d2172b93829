"""Enrichment against the Odoo sandbox over real HTTP (16 and 18): the canonical output of real
records, and the number of RPCs a batch costs (one read per model, whatever the batch size).

Changes are given in the webhook's shape (``read(..., load=None)``: bare many2one ids), the
hardest case for enrichment, since every name must come from the reads.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import orjson
import pytest

from crossdock.canonical import FulfillmentRequest, InventoryBalance, Order, Receipt, Shipment
from crossdock.connectors.base import InboundMessage
from crossdock.connectors.odoo import OdooClient, OdooSettings, make_http_client
from crossdock.connectors.odoo.enrich import enrich, enrich_many, webhook_shape, with_enrichment
from crossdock.connectors.odoo.mapping import events_for, translate
from crossdock.connectors.odoo.mapping_fields import POLL_FIELDS
from crossdock.errors import MappingError
from crossdock.sandbox.odoo import BOT_API_KEY, BOT_LOGIN, BOT_PASSWORD, SANDBOX_DB
from crossdock.sandbox.odoo.orm import OdooDatabase
from crossdock.sandbox.odoo.server import build_app
from tests.support.server import serving


@dataclass
class Sandbox:
    version: int
    odoo: OdooDatabase
    client: OdooClient

    def change(self, model: str, rid: int, *fields: str) -> dict[str, Any]:
        """What an automation webhook selecting `fields` would send for the record now."""
        [row] = self.odoo.records(model, [("id", "=", rid)], ["id", *fields])
        values = {
            k: v[0] if isinstance(v, list) and len(v) == 2 and isinstance(v[1], str) else v
            for k, v in row.items()
        }
        return {"_model": model, "_id": rid, "_action": "Crossdock(#9)", **values}

    def rpcs(self) -> dict[str, int]:
        return {f"{m}.{meth}": n for (m, meth), n in sorted(self.client.rpc_counts.items())}


@pytest.fixture(params=[16, 18], ids=lambda v: f"odoo{v}")
async def sandbox(request: pytest.FixtureRequest) -> AsyncIterator[Sandbox]:
    app = build_app(request.param)
    async with serving(app) as url:
        secrets = {"env:ODOO_PASSWORD": BOT_PASSWORD, "env:ODOO_API_KEY": BOT_API_KEY}
        settings = OdooSettings(
            url=url,
            database=SANDBOX_DB,
            login=BOT_LOGIN,
            password="env:ODOO_PASSWORD",
            api_key="env:ODOO_API_KEY",
        )
        async with make_http_client(settings) as http:
            client = OdooClient(settings, http, secret_resolver=secrets.__getitem__)
            await client.server_version()
            await client.authenticate()
            client.rpc_counts.clear()
            yield Sandbox(request.param, app.state.odoo, client)


def sale_order_id(sandbox: Sandbox, name: str) -> int:
    return int(sandbox.odoo.search("sale.order", [("name", "=", name)])[0])


async def test_a_confirmed_sale_order(sandbox: Sandbox) -> None:
    so = sale_order_id(sandbox, "SO007")
    record = await enrich(sandbox.client, sandbox.change("sale.order", so, "state", "currency_id"))
    [event] = events_for(record, partner="acme")
    order = Order.model_validate(event.data)
    lines = sandbox.odoo.records(
        "sale.order.line", [("order_id", "=", so)], ["product_id", "product_uom_qty", "price_unit"]
    )
    assert (event.subject, event.lanekey, event.source) == (
        "SO007",
        "sale_order:SO007",
        "/odoo/acme",
    )
    assert order.currency == "EUR"  # the webhook's bare currency id, named by the re-read
    assert [(line.sku, line.quantity.value, line.unit_price) for line in order.lines] == [
        (
            row["product_id"][1][1:8],
            Decimal(str(row["product_uom_qty"])).normalize(),
            Decimal(str(row["price_unit"])).normalize(),
        )
        for row in lines
    ]
    assert (order.ship_to.name, order.ship_to.address.country_code) == ("Brussels Bikes SRL", "BE")
    assert sandbox.client.rpc_counts.total() <= 6


async def test_a_ready_picking_and_its_moves(sandbox: Sandbox) -> None:
    [pid] = sandbox.odoo.search("stock.picking", [("name", "=", "WH/OUT/00003")])
    [event] = events_for(
        await enrich(sandbox.client, sandbox.change("stock.picking", pid, "state"))
    )
    request = FulfillmentRequest.model_validate(event.data)
    moves = sandbox.odoo.records(
        "stock.move", [("picking_id", "=", pid)], ["product_id", "product_uom_qty", "sale_line_id"]
    )
    assert (event.type, event.correlationid) == ("crossdock.fulfillment.requested.v1", "SO003")
    assert request.warehouse.code == "WH"
    assert request.carrier_code == "dhl_express"  # seed: SO003 ships with carriers[3 % 3]
    assert [(line.line_id, line.quantity.value, line.order_line_id) for line in request.lines] == [
        (str(m["id"]), Decimal(str(m["product_uom_qty"])).normalize(), str(m["sale_line_id"][0]))
        for m in moves
    ]


async def test_a_validated_picking_becomes_a_shipment_then_translates(sandbox: Sandbox) -> None:
    [pid] = sandbox.odoo.search("stock.picking", [("name", "=", "WH/OUT/00002")])
    qty_field = "quantity_done" if sandbox.version == 16 else "quantity"
    for move in sandbox.odoo.records("stock.move", [("picking_id", "=", pid)], ["product_uom_qty"]):
        await sandbox.client.write("stock.move", [move["id"]], {qty_field: move["product_uom_qty"]})
    sandbox.odoo.call("stock.picking", "button_validate", [pid])
    change = sandbox.change("stock.picking", pid, "state", "write_date")
    enriched = await enrich(sandbox.client, change)
    body = orjson.dumps(with_enrichment(change, enriched))
    message = InboundMessage(
        id="m-1", partner="acme", headers={}, body=body, received_at=datetime.now(UTC)
    )
    [event] = translate(message, {})
    shipment = Shipment.model_validate(event.data)
    assert (event.type, shipment.order_reference) == ("crossdock.shipment.created.v1", "SO002")
    assert shipment.carrier_code == "db_schenker_freight"  # seed: carriers[2 % 3]
    shipped = sum(c.quantity.value for p in shipment.packages for c in p.contents)
    assert shipped == sum(
        Decimal(str(m["product_uom_qty"]))
        for m in sandbox.odoo.records("stock.move", [("picking_id", "=", pid)], ["product_uom_qty"])
    )


async def test_a_quant_reports_its_balance(sandbox: Sandbox) -> None:
    [quant] = sandbox.odoo.records(
        "stock.quant",
        [("product_id.default_code", "=", "CD-0004")],
        ["product_id", "location_id", "quantity", "reserved_quantity"],
    )
    change = webhook_shape(
        "stock.quant",
        {**sandbox.change("stock.quant", quant["id"], *POLL_FIELDS["stock.quant"], "write_date")},
    )
    [event] = events_for(await enrich(sandbox.client, change))
    balance = InventoryBalance.model_validate(event.data)
    assert (balance.sku, balance.location.code, balance.uom) == ("CD-0004", "WH/Stock", "C62")
    assert balance.on_hand == Decimal(str(quant["quantity"]))
    assert balance.reserved == Decimal(str(quant["reserved_quantity"]))
    assert balance.available == balance.on_hand - balance.reserved
    assert sandbox.rpcs()["stock.quant.search_read"] == 1  # no re-read: the change named the pair


async def test_a_confirmed_purchase_and_its_receipt(sandbox: Sandbox) -> None:
    [po] = sandbox.odoo.search("purchase.order", [("name", "=", "P00001")])
    sandbox.odoo.call("purchase.order", "button_confirm", [po])
    [confirmed] = events_for(
        await enrich(sandbox.client, sandbox.change("purchase.order", po, "state"))
    )
    assert (confirmed.type, confirmed.subject) == (
        "crossdock.purchase_order.confirmed.v1",
        "P00001",
    )
    [receipt_id] = sandbox.odoo.search("stock.picking", [("purchase_id", "=", po)])
    if sandbox.version == 16:
        for move in sandbox.odoo.records(
            "stock.move", [("picking_id", "=", receipt_id)], ["product_uom_qty"]
        ):
            await sandbox.client.write(
                "stock.move", [move["id"]], {"quantity_done": move["product_uom_qty"]}
            )
    sandbox.odoo.call("stock.picking", "button_validate", [receipt_id])
    [event] = events_for(
        await enrich(sandbox.client, sandbox.change("stock.picking", receipt_id, "state"))
    )
    receipt = Receipt.model_validate(event.data)
    assert (event.type, receipt.purchase_order_reference) == (
        "crossdock.receipt.recorded.v1",
        "P00001",
    )
    assert {line.sku for line in receipt.lines} == {"CD-0005", "CD-0006", "CD-0007"}
    assert all(line.purchase_line_id for line in receipt.lines)


async def test_a_posted_invoice(sandbox: Sandbox) -> None:
    customer = sandbox.odoo.ref("sandbox.customer_01")
    product = sandbox.odoo.ref("sandbox.product_0001")
    [move] = await sandbox.client.create(
        "account.move",
        [
            {
                "move_type": "out_invoice",
                "partner_id": customer,
                "invoice_origin": "SO001",
                "invoice_line_ids": [
                    (0, 0, {"product_id": product, "quantity": 2, "price_unit": 9.8})
                ],
            }
        ],
    )
    sandbox.odoo.call("account.move", "action_post", [move])
    [event] = events_for(
        await enrich(sandbox.client, sandbox.change("account.move", move, "state"))
    )
    assert (event.type, event.correlationid) == ("crossdock.invoice.posted.v1", "SO001")
    assert event.data["lines"][0]["sku"] == "CD-0001"
    assert event.data["totals"]["total"] == "19.6"


async def test_a_deleted_record_is_refused(sandbox: Sandbox) -> None:
    [so] = await sandbox.client.create(
        "sale.order", [{"partner_id": sandbox.odoo.ref("sandbox.customer_01")}]
    )
    change = sandbox.change("sale.order", so, "state")
    await sandbox.client.unlink("sale.order", [so])
    with pytest.raises(MappingError, match=r"sale.order\(\d+\): the record no longer exists"):
        events_for(await enrich(sandbox.client, change))


async def test_twenty_pickings_cost_one_read_per_model(sandbox: Sandbox) -> None:
    pickings = sandbox.odoo.search("stock.picking", [("picking_type_code", "=", "outgoing")])
    assert len(pickings) == 20
    changes = [sandbox.change("stock.picking", pid, "state") for pid in pickings]
    enriched = await enrich_many(sandbox.client, changes)
    events = [event for record in enriched for event in events_for(record)]
    assert len(events) == 20 and {e.type for e in events} == {"crossdock.fulfillment.requested.v1"}
    assert all(count == 1 for count in sandbox.client.rpc_counts.values()), sandbox.rpcs()
    assert sandbox.rpcs() == {
        f"{m}.search_read": 1
        for m in (
            "delivery.carrier",
            "product.product",
            "res.country",
            "res.partner",
            "stock.move",
            "stock.picking",
            "stock.picking.type",
            "stock.warehouse",
            "uom.uom",
        )
    }
    # each stored message carries only its own rows
    assert {len(record.related["stock.move"]) for record in enriched} <= {1, 2, 3}


async def test_an_empty_batch_costs_nothing() -> None:
    class Unreachable:
        async def server_version(self) -> Any:
            raise AssertionError("no RPC expected")

        async def search_read(self, *args: Any, **kwargs: Any) -> Any:
            raise AssertionError("no RPC expected")

    assert await enrich_many(Unreachable(), []) == []


async def test_two_changes_of_one_record_keep_their_own_state(sandbox: Sandbox) -> None:
    [pid] = sandbox.odoo.search("stock.picking", [("name", "=", "WH/OUT/00004")])
    ready = sandbox.change("stock.picking", pid, "state")
    cancelled = {**ready, "state": "cancel"}
    enriched = await enrich_many(sandbox.client, [ready, cancelled])
    types = [event.type for record in enriched for event in events_for(record)]
    assert types == ["crossdock.fulfillment.requested.v1", "crossdock.fulfillment.cancelled.v1"]
    assert sandbox.client.rpc_counts[("stock.picking", "search_read")] == 1
