"""Transfers in the Odoo sandbox: confirmation, reservation, validation, backorders, wizards."""

from __future__ import annotations

from typing import Any

import pytest

from tests.sandbox_odoo.odoo_sandbox_support import RpcFault, Sandbox, ready_picking


async def _moves(box: Sandbox, picking: int) -> list[dict[str, Any]]:
    qty = "quantity_done" if box.version == 16 else "quantity"
    rows: list[dict[str, Any]] = await box.execute(
        "stock.move",
        "search_read",
        [["picking_id", "=", picking]],
        ["product_id", "product_uom_qty", qty, "state", "sale_line_id"],
    )
    return rows


async def _picking(box: Sandbox, picking: int) -> dict[str, Any]:
    [row] = await box.execute(
        "stock.picking",
        "read",
        [picking],
        ["name", "state", "backorder_id", "backorder_ids", "date_done", "move_ids", "sale_id"],
    )
    return dict(row)


async def _stock(box: Sandbox, code: str) -> float:
    [row] = await box.execute(
        "product.product", "search_read", [["default_code", "=", code]], ["qty_available"]
    )
    return float(row["qty_available"])


async def _set_done(box: Sandbox, picking: int, quantities: list[float]) -> None:
    """Record what was picked, through the move's done-quantity field of each version."""
    field = "quantity_done" if box.version == 16 else "quantity"
    for move, qty in zip(await _moves(box, picking), quantities, strict=True):
        await box.execute("stock.move", "write", [move["id"]], {field: qty})


async def _run_wizard(box: Sandbox, action: dict[str, Any], method: str) -> Any:
    """Create the wizard an action describes, with its context, and press its button."""
    context = action["context"]
    wizard = await box.execute(action["res_model"], "create", {}, context=context)
    return await box.execute(action["res_model"], method, [wizard], context=context)


async def test_sale_confirmation_creates_a_ready_delivery(box: Sandbox) -> None:
    order, picking = await ready_picking(box, [("CD-0003", 2), ("CD-0004", 1)])
    row = await _picking(box, picking)
    assert row["state"] == "assigned"
    assert row["name"] == "WH/OUT/00021"
    assert row["sale_id"][0] == order
    moves = await _moves(box, picking)
    assert [m["state"] for m in moves] == ["assigned", "assigned"]
    assert all(m["sale_line_id"] for m in moves)
    [so] = await box.execute(
        "sale.order", "read", [order], ["name", "state", "picking_ids", "delivery_count"]
    )
    assert so["state"] == "sale"
    assert so["delivery_count"] == 1


async def test_full_validation(box: Sandbox) -> None:
    order, picking = await ready_picking(box, [("CD-0003", 2)])
    stock_before = await _stock(box, "CD-0003")
    result = await box.execute("stock.picking", "button_validate", [picking])
    if box.version == 16:
        assert result["res_model"] == "stock.immediate.transfer"
        assert result["type"] == "ir.actions.act_window"
        assert result["context"]["default_pick_ids"] == [[4, picking]]
        assert result["context"]["button_validate_picking_ids"] == [picking]
        assert await _run_wizard(box, result, "process") is True
    else:
        assert result is True
    row = await _picking(box, picking)
    assert row["state"] == "done"
    assert row["date_done"]
    assert row["backorder_ids"] == []
    assert await _stock(box, "CD-0003") == stock_before - 2
    [line] = await box.execute(
        "sale.order.line", "search_read", [["order_id", "=", order]], ["qty_delivered"]
    )
    assert line["qty_delivered"] == 2
    [so] = await box.execute("sale.order", "read", [order], ["invoice_status"])
    assert so["invoice_status"] == "to invoice"


async def test_done_quantities_recorded_validate_without_wizard_on_16(box16: Sandbox) -> None:
    _, picking = await ready_picking(box16, [("CD-0005", 3)])
    await _set_done(box16, picking, [3])
    assert await box16.execute("stock.picking", "button_validate", [picking]) is True
    assert (await _picking(box16, picking))["state"] == "done"


async def test_partial_validation_asks_then_creates_a_backorder(box: Sandbox) -> None:
    order, picking = await ready_picking(box, [("CD-0006", 3), ("CD-0007", 2)])
    await _set_done(box, picking, [1, 2])
    action = await box.execute("stock.picking", "button_validate", [picking])
    assert action["res_model"] == "stock.backorder.confirmation"
    assert action["name"] == "Create Backorder?"
    assert action["target"] == "new"
    assert action["context"]["button_validate_picking_ids"] == [picking]
    assert action["context"]["default_pick_ids"] == [[4, picking]]
    assert (await _picking(box, picking))["state"] == "assigned"
    assert await _run_wizard(box, action, "process") is True
    row = await _picking(box, picking)
    assert row["state"] == "done"
    [backorder_id] = row["backorder_ids"]
    backorder = await _picking(box, backorder_id)
    assert backorder["backorder_id"][0] == picking
    assert backorder["name"] == "WH/OUT/00022"
    assert backorder["state"] == "assigned"
    assert [(m["product_uom_qty"], m["state"]) for m in await _moves(box, backorder_id)] == [
        (2.0, "assigned")
    ]
    done = {m["product_id"][1]: m["product_uom_qty"] for m in await _moves(box, picking)}
    assert sorted(done.values()) == [1.0, 2.0]
    lines = await box.execute(
        "sale.order.line", "search_read", [["order_id", "=", order]], ["qty_delivered"]
    )
    assert sorted(line["qty_delivered"] for line in lines) == [1.0, 2.0]
    messages = await box.execute(
        "mail.message",
        "search_read",
        [["model", "=", "stock.picking"], ["res_id", "=", picking]],
        ["body"],
    )
    assert any("WH/OUT/00022" in m["body"] for m in messages)


async def test_partial_validation_without_backorder_through_the_wizard(box: Sandbox) -> None:
    _, picking = await ready_picking(box, [("CD-0008", 4)])
    await _set_done(box, picking, [1])
    action = await box.execute("stock.picking", "button_validate", [picking])
    assert await _run_wizard(box, action, "process_cancel_backorder") is True
    row = await _picking(box, picking)
    assert row["state"] == "done"
    assert row["backorder_ids"] == []
    states = sorted((m["state"], m["product_uom_qty"]) for m in await _moves(box, picking))
    assert states == [("cancel", 3.0), ("done", 1.0)]


async def test_backorder_decided_by_context_without_wizard(box: Sandbox) -> None:
    _, with_backorder = await ready_picking(box, [("CD-0009", 4)])
    _, without = await ready_picking(box, [("CD-0010", 4)])
    await _set_done(box, with_backorder, [1])
    await _set_done(box, without, [1])
    assert (
        await box.execute(
            "stock.picking", "button_validate", [with_backorder], context={"skip_backorder": True}
        )
        is True
    )
    assert len((await _picking(box, with_backorder))["backorder_ids"]) == 1
    context = {"skip_backorder": True, "picking_ids_not_to_backorder": [without]}
    assert await box.execute("stock.picking", "button_validate", [without], context=context) is True
    row = await _picking(box, without)
    assert (row["state"], row["backorder_ids"]) == ("done", [])


async def test_wizard_without_the_validation_context_does_nothing(box: Sandbox) -> None:
    _, picking = await ready_picking(box, [("CD-0011", 2)])
    await _set_done(box, picking, [1])
    action = await box.execute("stock.picking", "button_validate", [picking])
    wizard = await box.execute(
        "stock.backorder.confirmation", "create", {"pick_ids": [[6, 0, [picking]]]}
    )
    assert await box.execute("stock.backorder.confirmation", "process", [wizard]) is True
    assert (await _picking(box, picking))["state"] == "assigned"
    assert await _run_wizard(box, action, "process") is True
    assert (await _picking(box, picking))["state"] == "done"


async def test_low_stock_reserves_what_there_is(box18: Sandbox) -> None:
    _, picking = await ready_picking(box18, [("CD-0049", 8)])
    assert (await _picking(box18, picking))["state"] == "assigned"
    [move] = await _moves(box18, picking)
    assert (move["state"], move["quantity"]) == ("partially_available", 5.0)
    action = await box18.execute("stock.picking", "button_validate", [picking])
    assert action["res_model"] == "stock.backorder.confirmation"
    await _run_wizard(box18, action, "process")
    [backorder_id] = (await _picking(box18, picking))["backorder_ids"]
    assert (await _picking(box18, backorder_id))["state"] == "confirmed"
    assert await _stock(box18, "CD-0049") == 0


async def test_nothing_reserved_cannot_be_validated(box: Sandbox) -> None:
    _, picking = await ready_picking(box, [("CD-0050", 2)])
    assert (await _picking(box, picking))["state"] == "confirmed"
    with pytest.raises(RpcFault) as fault:
        await box.execute("stock.picking", "button_validate", [picking])
    assert fault.value.name == "odoo.exceptions.UserError"
    assert fault.value.message.startswith(
        "You cannot validate a transfer if no quantities are reserved"
    )


async def test_validating_a_cancelled_transfer_is_a_user_error(box: Sandbox) -> None:
    assert await box.execute("stock.picking", "action_cancel", [2]) is True
    assert (await _picking(box, 2))["state"] == "cancel"
    with pytest.raises(RpcFault) as fault:
        await box.execute("stock.picking", "button_validate", [2])
    assert fault.value.name == "odoo.exceptions.UserError"
    assert fault.value.message == box.odoo.version.no_quantities_message


async def test_cannot_cancel_a_done_transfer(box18: Sandbox) -> None:
    assert await box18.execute("stock.picking", "button_validate", [3]) is True
    with pytest.raises(RpcFault) as fault:
        await box18.execute("stock.picking", "action_cancel", [3])
    assert fault.value.message.startswith(
        "You cannot cancel a stock move that has been set to 'Done'."
    )


async def test_carrier_and_tracking_reference_are_writable(box: Sandbox) -> None:
    [carrier] = await box.execute("delivery.carrier", "search", [["name", "=", "PostNL Standard"]])
    await box.execute(
        "stock.picking", "write", [4], {"carrier_id": carrier, "carrier_tracking_ref": "3SABC123"}
    )
    [row] = await box.execute("stock.picking", "read", [4], ["carrier_id", "carrier_tracking_ref"])
    assert row["carrier_id"] == [carrier, "PostNL Standard"]
    assert row["carrier_tracking_ref"] == "3SABC123"


async def test_move_field_names_per_version(box17: Sandbox) -> None:
    [move] = await box17.execute("stock.move", "search_read", [["picking_id", "=", 1]], [], limit=1)
    assert "quantity" in move and "picked" in move and "quantity_done" not in move
    assert "move_ids_without_package" in (await box17.execute("stock.picking", "fields_get"))
    [line] = await box17.execute(
        "stock.move.line", "search_read", [["picking_id", "=", 1]], [], limit=1
    )
    assert "quantity" in line and "picked" in line and "qty_done" not in line


async def test_immediate_transfer_then_backorder_on_16(box16: Sandbox) -> None:
    _, picking = await ready_picking(box16, [("CD-0049", 8)])
    immediate = await box16.execute("stock.picking", "button_validate", [picking])
    assert immediate["res_model"] == "stock.immediate.transfer"
    backorder_action = await _run_wizard(box16, immediate, "process")
    assert backorder_action["res_model"] == "stock.backorder.confirmation"
    assert backorder_action["context"]["skip_immediate"] is True
    assert await _run_wizard(box16, backorder_action, "process") is True
    row = await _picking(box16, picking)
    assert row["state"] == "done"
    [backorder] = row["backorder_ids"]
    assert [m["product_uom_qty"] for m in await _moves(box16, backorder)] == [3.0]
