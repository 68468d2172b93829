"""The pure half of validating a transfer: quantities checked, spread over moves and lots, and
turned into the x2many commands of one picking write, per field generation (16 vs 17+)."""

from __future__ import annotations

import pytest

from crossdock.connectors.odoo.actions import OverShipment, Shipment, StockFields
from crossdock.connectors.odoo.actions_shipment import OpenMove, plan_reserved, plan_shipment
from crossdock.connectors.odoo.errors import OdooUsageError
from crossdock.pipeline.retry import RetryPolicy

V16, V18 = StockFields(16), StockFields(18)


def move(
    move_id: int,
    product: int,
    demand: float,
    *,
    lines: tuple[int, ...] = (),
    done: float = 0.0,
    reserved: float = 0.0,
    picked: bool = False,
) -> OpenMove:
    return OpenMove(move_id, product, demand, 1, 8, 5, lines, done, reserved, picked)


def test_quantities_fill_the_moves_of_a_product_in_order_and_report_the_short_part() -> None:
    moves = [move(11, 7, 2.0), move(12, 7, 3.0), move(13, 9, 1.0)]
    plan = plan_shipment(moves, {7: 4}, key="product", transfer="WH/OUT/1")
    assert [(a.move.id, a.qty) for a in plan.allocations] == [(11, 2.0), (12, 2.0), (13, 0.0)]
    assert plan.shipped == {7: 4}
    assert plan.short == {7: 1.0, 9: 1.0}


def test_lots_follow_the_quantities_across_moves() -> None:
    moves = [move(11, 7, 2.0, lines=(101,)), move(12, 7, 3.0)]
    shipment = Shipment(5, {"A": 3, "B": 2})
    plan = plan_shipment(moves, {7: shipment}, key="product", transfer="WH/OUT/1")
    assert [a.lots for a in plan.allocations] == [(("A", 2),), (("A", 1), ("B", 2))]
    assert plan.lots == {(7, "A"), (7, "B")}


@pytest.mark.parametrize(
    ("shipped", "key", "message"),
    [
        ({7: 3.5}, "product", "more than the demand of 3"),
        ({8: 1}, "product", "product 8 is not an open line"),
        ({99: 1}, "move", "move 99 is not an open line"),
    ],
)
def test_over_shipments_are_permanent_errors(
    shipped: dict[int, float], key: str, message: str
) -> None:
    with pytest.raises(OverShipment, match=message) as caught:
        plan_shipment([move(11, 7, 3.0)], shipped, key=key, transfer="WH/OUT/1")  # type: ignore[arg-type]
    assert RetryPolicy().is_permanent(caught.value)
    assert caught.value.shipped == next(iter(shipped.values()))


@pytest.mark.parametrize(
    "shipped",
    [{7: 0}, {}, {7: -1}, {7: float("nan")}, {7: Shipment(2, {"A": 1})}, {7: Shipment(1, {"": 1})}],
)
def test_nothing_or_nonsense_is_refused(shipped: dict[int, float | Shipment]) -> None:
    with pytest.raises(OdooUsageError):
        plan_shipment([move(11, 7, 3.0)], shipped, key="product", transfer="WH/OUT/1")


def test_17_plus_writes_quantity_and_picked_and_unpicks_what_ships_nothing() -> None:
    moves = [move(11, 7, 2.0, picked=True), move(12, 8, 1.0, picked=True), move(13, 9, 1.0)]
    plan = plan_shipment(moves, {7: 2}, key="product", transfer="T")
    assert plan.picking_vals(V18) == {
        "move_ids": [[1, 11, {"quantity": 2, "picked": True}], [1, 12, {"picked": False}]]
    }


def test_16_writes_the_done_quantity_on_the_move_or_its_lines() -> None:
    moves = [
        move(11, 7, 2.0, lines=(101,)),
        move(12, 8, 3.0, lines=(102, 103)),
        move(13, 9, 1.0, lines=(104,), done=1.0),
    ]
    plan = plan_shipment(moves, {7: 2, 8: 3}, key="product", transfer="T")
    assert plan.picking_vals(V16) == {
        "move_ids": [[1, 11, {"quantity_done": 2}], [1, 13, {"quantity_done": 0.0}]],
        "move_line_ids": [[1, 102, {"qty_done": 3}], [1, 103, {"qty_done": 0.0}]],
    }


@pytest.mark.parametrize("fields", [V16, V18], ids=["odoo16", "odoo18"])
def test_lots_reuse_the_move_lines_then_create_more(fields: StockFields) -> None:
    moves = [move(11, 7, 3.0, lines=(101, 102, 103))]
    plan = plan_shipment(moves, {11: Shipment(3, {"A": 2, "B": 1})}, key="move", transfer="T")
    vals = plan.picking_vals(fields, lot_field="lot_id", lot_ids={(7, "A"): 41, (7, "B"): 42})
    qty = fields.line_done
    picked = {"picked": True} if fields.uses_picked else {}
    assert vals["move_line_ids"] == [
        [1, 101, {qty: 2, "lot_id": 41, **picked}],
        [1, 102, {qty: 1, "lot_id": 42, **picked}],
        [1, 103, {qty: 0.0}],
    ]
    assert vals.get("move_ids") == ([[1, 11, {"picked": True}]] if fields.uses_picked else None)
    fresh = plan_shipment(
        [move(11, 7, 3.0)], {7: Shipment(3, {"N1": 3})}, key="product", transfer="T"
    ).picking_vals(fields)
    [[op, _, line]] = fresh["move_line_ids"]
    assert op == 0
    assert line["move_id"] == 11 and line["lot_name"] == "N1" and line[qty] == 3
    assert (line["location_id"], line["location_dest_id"], line["product_uom_id"]) == (8, 5, 1)


def test_reserved_plan_follows_what_odoo_would_ship() -> None:
    moves16 = [move(11, 7, 3.0, reserved=2.0), move(12, 8, 1.0, reserved=1.0)]
    assert plan_reserved(moves16, V16, key="product").short == {7: 1.0}
    done16 = [move(11, 7, 3.0, reserved=3.0, done=1.0), move(12, 8, 1.0, reserved=1.0)]
    assert plan_reserved(done16, V16, key="move").short == {11: 2.0, 12: 1.0}
    moves18 = [move(11, 7, 3.0, done=3.0, picked=True), move(12, 8, 1.0, done=1.0)]
    assert plan_reserved(moves18, V18, key="product").short == {8: 1.0}
    assert plan_reserved(moves18[1:], V18, key="product").short == {}
