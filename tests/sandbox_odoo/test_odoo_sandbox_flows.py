"""Business flows in the Odoo sandbox: invoicing, purchasing, cancelling, chatter, persistence."""

from __future__ import annotations

from pathlib import Path

import pytest

from crossdock.sandbox.odoo import ADMIN_API_KEY
from tests.sandbox_odoo.odoo_sandbox_support import RpcFault, Sandbox, ready_picking, running


async def _deliver(box: Sandbox, picking: int) -> None:
    result = await box.execute("stock.picking", "button_validate", [picking])
    if result is not True:
        context = result["context"]
        wizard = await box.execute(result["res_model"], "create", {}, context=context)
        assert await box.execute(result["res_model"], "process", [wizard], context=context) is True


async def _invoice(box: Sandbox, order: int) -> object:
    context = {"active_model": "sale.order", "active_ids": [order], "active_id": order}
    wizard = await box.execute(
        "sale.advance.payment.inv",
        "create",
        {"advance_payment_method": "delivered"},
        context=context,
    )
    return await box.execute(
        "sale.advance.payment.inv", "create_invoices", [wizard], context=context
    )


async def test_invoicing_delivered_quantities_once(box: Sandbox) -> None:
    order, picking = await ready_picking(box, [("CD-0012", 3)])
    with pytest.raises(RpcFault) as fault:
        await _invoice(box, order)
    assert fault.value.name == "odoo.exceptions.UserError"
    assert fault.value.message == box.odoo.version.nothing_to_invoice_message
    await _deliver(box, picking)
    assert await _invoice(box, order) == {"type": "ir.actions.act_window_close"}
    [so] = await box.execute(
        "sale.order", "read", [order], ["invoice_ids", "invoice_status", "name"]
    )
    [invoice_id] = so["invoice_ids"]
    assert so["invoice_status"] == "invoiced"
    [invoice] = await box.execute(
        "account.move",
        "read",
        [invoice_id],
        [
            "move_type",
            "state",
            "invoice_origin",
            "amount_total",
            "payment_state",
            "invoice_line_ids",
            "name",
        ],
    )
    assert (invoice["move_type"], invoice["state"], invoice["payment_state"]) == (
        "out_invoice",
        "draft",
        "not_paid",
    )
    assert invoice["invoice_origin"] == so["name"]
    assert invoice["name"] == ("/" if box.version == 16 else False)
    [line] = await box.execute(
        "account.move.line",
        "read",
        invoice["invoice_line_ids"],
        ["quantity", "price_unit", "product_id"],
    )
    assert line["quantity"] == 3
    assert invoice["amount_total"] == pytest.approx(3 * line["price_unit"])
    [so_line] = await box.execute(
        "sale.order.line", "search_read", [["order_id", "=", order]], ["qty_invoiced"]
    )
    assert so_line["qty_invoiced"] == 3
    with pytest.raises(RpcFault) as fault:
        await _invoice(box, order)
    assert fault.value.message == box.odoo.version.nothing_to_invoice_message
    assert await box.execute("account.move", "action_post", [invoice_id]) is True
    [posted] = await box.execute(
        "account.move", "read", [invoice_id], ["state", "name", "invoice_date"]
    )
    assert posted["state"] == "posted"
    assert posted["name"].startswith(f"INV/{posted['invoice_date'][:4]}/")
    with pytest.raises(RpcFault) as fault:
        await box.execute("account.move", "action_post", [invoice_id])
    assert fault.value.name == "odoo.exceptions.UserError"


async def test_invoice_wizard_can_open_the_invoice(box18: Sandbox) -> None:
    order, picking = await ready_picking(box18, [("CD-0013", 1)])
    await _deliver(box18, picking)
    context = {"active_model": "sale.order", "active_ids": [order], "open_invoices": True}
    wizard = await box18.execute(
        "sale.advance.payment.inv",
        "create",
        {"advance_payment_method": "delivered"},
        context=context,
    )
    action = await box18.execute(
        "sale.advance.payment.inv", "create_invoices", [wizard], context=context
    )
    assert action["res_model"] == "account.move"
    assert (
        action["res_id"]
        in (await box18.execute("sale.order", "read", [order], ["invoice_ids"]))[0]["invoice_ids"]
    )


async def test_purchase_confirm_receive_validate(box: Sandbox) -> None:
    [order] = await box.execute("purchase.order", "search", [["name", "=", "P00001"]])
    [po] = await box.execute("purchase.order", "read", [order], ["order_line", "state"])
    line_ids = po["order_line"]
    lines = await box.execute(
        "purchase.order.line", "read", line_ids, ["product_id", "product_qty"]
    )
    product = lines[0]["product_id"][0]
    [before] = await box.execute("product.product", "read", [product], ["qty_available"])
    assert await box.execute("purchase.order", "button_confirm", [order]) is True
    [po] = await box.execute("purchase.order", "read", [order], ["state", "picking_ids", "name"])
    assert po["state"] == "purchase"
    [receipt] = po["picking_ids"]
    [picking] = await box.execute(
        "stock.picking", "read", [receipt], ["name", "state", "origin", "picking_type_code"]
    )
    assert picking["name"] == "WH/IN/00001"
    assert (picking["state"], picking["origin"], picking["picking_type_code"]) == (
        "assigned",
        "P00001",
        "incoming",
    )
    await _deliver(box, receipt)
    lines = await box.execute(
        "purchase.order.line", "read", line_ids, ["qty_received", "product_qty"]
    )
    assert all(line["qty_received"] == line["product_qty"] for line in lines)
    [after] = await box.execute("product.product", "read", [product], ["qty_available"])
    assert after["qty_available"] == before["qty_available"] + lines[0]["product_qty"]
    with pytest.raises(RpcFault) as fault:
        await box.execute("purchase.order", "button_cancel", [order])
    assert "some receptions have already been done" in fault.value.message


async def test_receipt_status_exists_from_17(box: Sandbox) -> None:
    fields = await box.execute("purchase.order", "fields_get", attributes=["type"])
    assert ("receipt_status" in fields) is (box.version >= 17)


async def test_cancel_a_confirmed_order_goes_through_the_wizard(box: Sandbox) -> None:
    order, picking = await ready_picking(box, [("CD-0014", 1)])
    action = await box.execute("sale.order", "action_cancel", [order])
    assert action["res_model"] == "sale.order.cancel"
    assert action["context"]["default_order_id"] == order
    assert (await box.execute("sale.order", "read", [order], ["state"]))[0]["state"] == "sale"
    wizard = await box.execute("sale.order.cancel", "create", {}, context=action["context"])
    assert (
        await box.execute("sale.order.cancel", "action_cancel", [wizard], context=action["context"])
        is True
    )
    assert (await box.execute("sale.order", "read", [order], ["state"]))[0]["state"] == "cancel"
    [row] = await box.execute("stock.picking", "read", [picking], ["state"])
    assert row["state"] == "cancel"
    draft = await box.execute(
        "sale.order", "create", {"partner_id": box.odoo.ref("sandbox.customer_02")}
    )
    assert await box.execute("sale.order", "action_cancel", [draft]) is True
    other, _ = await ready_picking(box, [("CD-0015", 1)])
    assert (
        await box.execute(
            "sale.order", "action_cancel", [other], context={"disable_cancel_warning": True}
        )
        is True
    )


async def test_sale_states_per_version(box: Sandbox) -> None:
    states = (await box.execute("sale.order", "fields_get", ["state"], ["selection"]))["state"][
        "selection"
    ]
    keys = [key for key, _ in states]
    assert keys == (
        ["draft", "sent", "sale", "done", "cancel"]
        if box.version == 16
        else ["draft", "sent", "sale", "cancel"]
    )


async def test_message_post_and_activity_schedule(box: Sandbox) -> None:
    message = await box.execute(
        "stock.picking",
        "message_post",
        [1],
        body="Label <printed>",
        message_type="comment",
        subtype_xmlid="mail.mt_note",
    )
    assert isinstance(message, int)
    [row] = await box.execute(
        "mail.message",
        "read",
        [message],
        ["body", "model", "res_id", "message_type", "subtype_id", "author_id"],
    )
    assert row["body"] == "<p>Label &lt;printed&gt;</p>"
    assert (row["model"], row["res_id"], row["message_type"]) == ("stock.picking", 1, "comment")
    assert row["subtype_id"][1] == "Note"
    assert row["author_id"][1] == "Mitchell Admin"
    with pytest.raises(RpcFault) as fault:
        await box.execute("stock.picking", "message_post", [1], "positional body")
    assert fault.value.name == "builtins.TypeError"
    activity = await box.execute(
        "sale.order",
        "activity_schedule",
        [1],
        "mail.mail_activity_data_todo",
        summary="Call the carrier",
    )
    if box.version == 16:
        assert isinstance(activity, str) and activity.startswith("mail.activity(")
    else:
        assert isinstance(activity, list) and len(activity) == 1
    [scheduled] = await box.execute(
        "mail.activity",
        "search_read",
        [["res_model", "=", "sale.order"], ["res_id", "=", 1]],
        ["summary", "activity_type_id", "state"],
    )
    assert scheduled["summary"] == "Call the carrier"
    assert scheduled["activity_type_id"][1] == "To-Do"
    assert scheduled["state"] == "today"


async def test_data_survives_a_restart_with_the_same_file(tmp_path: Path) -> None:
    path = tmp_path / "odoo.sqlite"
    async with running(19, path) as box:
        created = (
            await box.json2("res.partner", "create", vals_list=[{"name": "Persistent NV"}])
        ).json()
        await box.execute("stock.picking", "button_validate", [1])
        next_order = await box.execute("sale.order", "create", {"partner_id": created[0]})
    async with running(19, path) as box:
        found = await box.json2("res.partner", "search", domain=[["name", "=", "Persistent NV"]])
        assert found.json() == created
        assert (await box.execute("stock.picking", "read", [1], ["state"]))[0]["state"] == "done"
        again = await box.execute("sale.order", "create", {"partner_id": created[0]})
        assert again == next_order + 1
        names = await box.execute("sale.order", "read", [next_order, again], ["name"])
        assert [n["name"] for n in names] == ["SO021", "SO022"]
        assert box.odoo.record("res.partner", created[0])["name"] == "Persistent NV"
    with pytest.raises(ValueError, match="holds an Odoo 19 sandbox"):
        async with running(18, path):
            pass


async def test_failed_calls_leave_no_trace(box18: Sandbox) -> None:
    count = await box18.execute("sale.order", "search_count", [])
    with pytest.raises(RpcFault):
        await box18.execute(
            "sale.order",
            "create",
            [
                {"partner_id": 6},
                {"partner_id": 6, "order_line": [[0, 0, {"product_id": 999999, "state": "bogus"}]]},
            ],
        )
    assert await box18.execute("sale.order", "search_count", []) == count
    assert box18.odoo.records("sale.order", [["name", "=", "SO021"]]) == []
    response = await box18.http.post(
        f"{box18.url}/json/2/res.partner/search",
        json={},
        headers={"Authorization": f"bearer {ADMIN_API_KEY}"},
    )
    assert response.status_code == 404


async def test_in_process_helpers_act_as_an_odoo_user(box18: Sandbox) -> None:
    assert box18.odoo.call("stock.picking", "button_validate", [3]) is True
    [row] = await box18.execute("stock.picking", "read", [3], ["state", "write_uid"])
    assert row["state"] == "done"
    product = box18.odoo.ref("sandbox.product_0001")
    box18.odoo.set_stock(product, 3)
    [stocked] = await box18.execute("product.product", "read", [product], ["qty_available"])
    assert stocked["qty_available"] == 3
