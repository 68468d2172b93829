"""What was shipped, as Odoo's stock fields: the pure half of validating a transfer.

Odoo records what leaves (or enters) a transfer in two generations of fields:

- 16: a done quantity. `stock.move.quantity_done` writes through to the move's only line
  (addons/stock/models/stock_move.py `_quantity_done_set`, which raises "Cannot set the done
  quantity from this stock move, work directly with the move lines." when there are several),
  and `stock.move.line.qty_done`; `reserved_availability` is what Odoo reserved.
- 17+: one `quantity` (reserved, then picked) on moves and move lines, plus the `picked` flag.
  Only picked moves are processed: `stock.move._action_done` unlinks the unpicked lines of a
  picked move and leaves unpicked moves to the backorder (or cancels them), and
  `stock.picking._pre_action_done_hook` picks everything when nothing is picked.

`plan_shipment` checks the caller's quantities against the open moves (over-shipments refused,
short picks measured), spreads them over the moves and lots, and `ShipmentPlan.picking_vals`
turns them into x2many commands for ONE `write` on the picking: the way Odoo's own form view
saves a transfer, whatever the number of moves and distinct quantities. Nothing here does I/O.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from crossdock.connectors.odoo.actions_common import (
    EPSILON,
    OverShipment,
    id_list,
    many2one_id,
)
from crossdock.connectors.odoo.errors import OdooServerError, OdooUsageError

KeyKind = Literal["product", "move"]
LotKey = tuple[int, str]  # (product id, lot name)
Command = list[Any]  # an x2many command: [1, id, vals] or [0, 0, vals]


@dataclass(frozen=True)
class Shipment:
    """What left (or arrived) for one product or move: a quantity, optionally split by lot.

    `lots` maps lot or serial names to quantities and must add up to `qty`. Quantities are in
    the move's unit of measure.
    """

    qty: float
    lots: Mapping[str, float] = field(default_factory=dict)


ShippedLine = float | Shipment


@dataclass(frozen=True)
class StockFields:
    """Where one Odoo major version keeps done quantities (see the module docstring)."""

    major: int

    @property
    def uses_picked(self) -> bool:
        return self.major >= 17

    @property
    def has_immediate_transfer(self) -> bool:
        """16 asks "Immediate Transfer?" when nothing is done (removed in 17)."""
        return self.major <= 16

    @property
    def move_done(self) -> str:
        return "quantity" if self.uses_picked else "quantity_done"

    @property
    def line_done(self) -> str:
        return "quantity" if self.uses_picked else "qty_done"

    @property
    def move_reserved(self) -> str:
        return "quantity" if self.uses_picked else "reserved_availability"

    @property
    def move_read_fields(self) -> list[str]:
        extra = ["quantity", "picked"] if self.uses_picked else [self.move_done, self.move_reserved]
        return [
            "product_id",
            "product_uom_qty",
            "product_uom",
            "location_id",
            "location_dest_id",
            "move_line_ids",
            *extra,
        ]


@dataclass(frozen=True)
class OpenMove:
    """One stock.move still to do, as `stock.move.search_read` answered it."""

    id: int
    product_id: int
    demand: float
    uom_id: int | None
    location_id: int | None
    location_dest_id: int | None
    line_ids: tuple[int, ...]
    done: float  # 16: quantity_done; 17+: quantity (what is reserved or picked)
    reserved: float  # 16: reserved_availability; 17+: quantity
    picked: bool  # always False on 16

    @classmethod
    def from_row(cls, row: Mapping[str, Any], fields: StockFields) -> OpenMove:
        product = many2one_id(row.get("product_id"))
        if product is None:
            raise OdooServerError(f"stock.move {row.get('id')} answered without a product")
        return cls(
            id=int(row["id"]),
            product_id=product,
            demand=float(row.get("product_uom_qty") or 0.0),
            uom_id=many2one_id(row.get("product_uom")),
            location_id=many2one_id(row.get("location_id")),
            location_dest_id=many2one_id(row.get("location_dest_id")),
            line_ids=id_list(row.get("move_line_ids")),
            done=float(row.get(fields.move_done) or 0.0),
            reserved=float(row.get(fields.move_reserved) or 0.0),
            picked=bool(row.get("picked", False)),
        )


@dataclass(frozen=True)
class MoveQty:
    """The quantity (and lots) one move ships."""

    move: OpenMove
    qty: float
    lots: tuple[tuple[str, float], ...] = ()


@dataclass(frozen=True)
class ShipmentPlan:
    """The caller's quantities spread over the open moves; `short` is demand not shipped."""

    allocations: tuple[MoveQty, ...]
    shipped: dict[int, float]
    short: dict[int, float]

    @property
    def lots(self) -> frozenset[LotKey]:
        return frozenset((a.move.product_id, name) for a in self.allocations for name, _ in a.lots)

    def picking_vals(
        self,
        fields: StockFields,
        *,
        lot_field: Literal["lot_id", "lot_name"] = "lot_name",
        lot_ids: Mapping[LotKey, int] | None = None,
    ) -> dict[str, list[Command]]:
        """The values of one `stock.picking.write` recording the whole plan (empty: no write)."""
        move_cmds: list[Command] = []
        line_cmds: list[Command] = []
        for allocation in self.allocations:
            moves, lines = _commands(allocation, fields, lot_field, lot_ids or {})
            move_cmds += moves
            line_cmds += lines
        vals: dict[str, list[Command]] = {}
        if move_cmds:
            vals["move_ids"] = move_cmds
        if line_cmds:
            vals["move_line_ids"] = line_cmds
        return vals


def plan_shipment(
    moves: Sequence[OpenMove],
    shipped: Mapping[int, ShippedLine],
    *,
    key: KeyKind,
    transfer: str,
) -> ShipmentPlan:
    """Check `shipped` against the open moves and spread it over them (first moves first).

    Refuses (before anything reaches Odoo) negative or inconsistent quantities, anything above
    the demand of its product or move, and a shipment of nothing at all: Odoo would answer that
    by shipping everything reserved (17+ picks all, 16 offers the immediate transfer).
    """
    groups = _group(moves, key)
    allocated: dict[int, MoveQty] = {}
    done: dict[int, float] = {}
    for k, line in shipped.items():
        shipment = _normalise(k, line)
        group = groups.get(k, [])
        _check_demand(k, shipment.qty, group, key, transfer)
        for allocation in _allocate(group, shipment):
            allocated[allocation.move.id] = allocation
        done[k] = shipment.qty
    if sum(done.values()) <= EPSILON:
        raise OdooUsageError(
            f"nothing shipped on {transfer}: pass shipped=None to ship what Odoo reserved"
        )
    allocations = tuple(allocated.get(m.id, MoveQty(m, 0.0)) for m in moves)
    return ShipmentPlan(allocations, done, _short(groups, done))


def plan_reserved(moves: Sequence[OpenMove], fields: StockFields, *, key: KeyKind) -> ShipmentPlan:
    """What Odoo ships when it is told nothing: the plan reports it, nothing is written.

    16: the done quantities if any were entered, else the reserved ones (the immediate-transfer
    wizard copies `reserved_uom_qty` into `qty_done`). 17+: the picked moves' quantities if any
    move is picked, else every move's (`_pre_action_done_hook` picks them all).
    """
    if fields.uses_picked:
        any_picked = any(m.picked for m in moves)
        qty = {m.id: m.done if (m.picked or not any_picked) else 0.0 for m in moves}
    else:
        any_done = any(m.done > EPSILON for m in moves)
        qty = {m.id: m.done if any_done else m.reserved for m in moves}
    groups = _group(moves, key)
    done = {k: sum(qty[m.id] for m in group) for k, group in groups.items()}
    allocations = tuple(MoveQty(m, qty[m.id]) for m in moves)
    return ShipmentPlan(allocations, done, _short(groups, done))


# -- checking and spreading ---------------------------------------------------------------


def _group(moves: Iterable[OpenMove], key: KeyKind) -> dict[int, list[OpenMove]]:
    groups: dict[int, list[OpenMove]] = {}
    for move in sorted(moves, key=lambda m: m.id):
        groups.setdefault(move.id if key == "move" else move.product_id, []).append(move)
    return groups


def _normalise(k: int, line: ShippedLine) -> Shipment:
    shipment = line if isinstance(line, Shipment) else Shipment(float(line))
    if not math.isfinite(shipment.qty) or shipment.qty < 0:
        raise OdooUsageError(f"shipped quantity for {k} must be a number >= 0, not {line!r}")
    if shipment.lots:
        if any(not name or not math.isfinite(q) or q <= 0 for name, q in shipment.lots.items()):
            raise OdooUsageError(f"lots for {k} need names and positive quantities: {line!r}")
        if abs(sum(shipment.lots.values()) - shipment.qty) > EPSILON:
            raise OdooUsageError(
                f"lots for {k} add up to {sum(shipment.lots.values())}, "
                f"not to the shipped {shipment.qty}"
            )
    return shipment


def _check_demand(
    k: int, qty: float, group: Sequence[OpenMove], key: KeyKind, transfer: str
) -> None:
    demand = sum(m.demand for m in group)
    if not group and qty > EPSILON:
        raise OverShipment(
            f"{key} {k} is not an open line of {transfer}: nothing of it may be shipped",
            key=k,
            demand=0.0,
            shipped=qty,
        )
    if qty > demand + EPSILON:
        raise OverShipment(
            f"{transfer}: {qty:g} shipped for {key} {k}, more than the demand of {demand:g}",
            key=k,
            demand=demand,
            shipped=qty,
        )


def _allocate(group: Sequence[OpenMove], shipment: Shipment) -> list[MoveQty]:
    """Fill each move's demand in turn; lots follow the quantities in the order given."""
    remaining = shipment.qty
    sizes: list[float] = []
    for index, move in enumerate(group):
        last = index == len(group) - 1
        take = remaining if last else min(move.demand, remaining)
        sizes.append(take)
        remaining -= take
    lots = _split_lots(list(shipment.lots.items()), sizes)
    return [MoveQty(m, q, ls) for m, q, ls in zip(group, sizes, lots, strict=True)]


def _split_lots(
    lots: list[tuple[str, float]], sizes: Sequence[float]
) -> list[tuple[tuple[str, float], ...]]:
    queue = list(lots)
    result: list[tuple[tuple[str, float], ...]] = []
    for size in sizes:
        taken: list[tuple[str, float]] = []
        need = size
        while need > EPSILON and queue:
            name, qty = queue[0]
            take = min(qty, need)
            taken.append((name, take))
            need -= take
            if qty - take > EPSILON:
                queue[0] = (name, qty - take)
            else:
                queue.pop(0)
        result.append(tuple(taken))
    return result


def _short(groups: Mapping[int, Sequence[OpenMove]], done: Mapping[int, float]) -> dict[int, float]:
    short: dict[int, float] = {}
    for k, group in groups.items():
        missing = sum(m.demand for m in group) - done.get(k, 0.0)
        if missing > EPSILON:
            short[k] = round(missing, 6)
    return short


# -- commands -----------------------------------------------------------------------------


def _commands(
    allocation: MoveQty,
    fields: StockFields,
    lot_field: str,
    lot_ids: Mapping[LotKey, int],
) -> tuple[list[Command], list[Command]]:
    """(move commands, move line commands) recording one move's quantity."""
    move, qty = allocation.move, allocation.qty
    if allocation.lots:
        lines = _lot_lines(allocation, fields, lot_field, lot_ids)
        return ([[1, move.id, {"picked": True}]] if fields.uses_picked else []), lines
    if fields.uses_picked:
        if qty > EPSILON:
            return [[1, move.id, {"quantity": qty, "picked": True}]], []
        # unpicked, the move keeps its reservation and goes to the backorder (or is cancelled)
        return ([[1, move.id, {"picked": False}]] if move.picked else []), []
    if qty <= EPSILON and move.done <= EPSILON:
        return [], []
    if len(move.line_ids) <= 1:
        return [[1, move.id, {"quantity_done": qty}]], []
    first, *rest = move.line_ids
    lines = [[1, first, {"qty_done": qty}], *([1, line, {"qty_done": 0.0}] for line in rest)]
    return [], lines


def _lot_lines(
    allocation: MoveQty,
    fields: StockFields,
    lot_field: str,
    lot_ids: Mapping[LotKey, int],
) -> list[Command]:
    """One move line per lot: the move's lines are reused in order, then new ones created."""
    move = allocation.move
    commands: list[Command] = []
    for index, (name, qty) in enumerate(allocation.lots):
        lot_value: Any = lot_ids[(move.product_id, name)] if lot_field == "lot_id" else name
        vals: dict[str, Any] = {fields.line_done: qty, lot_field: lot_value}
        if fields.uses_picked:
            vals["picked"] = True
        if index < len(move.line_ids):
            commands.append([1, move.line_ids[index], vals])
        else:
            commands.append([0, 0, {**_new_line(move), **vals}])
    commands += [
        [1, line, {fields.line_done: 0.0}] for line in move.line_ids[len(allocation.lots) :]
    ]
    return commands


def _new_line(move: OpenMove) -> dict[str, Any]:
    """What `stock.move._prepare_move_line_vals` would give a line of this move."""
    return {
        "move_id": move.id,
        "product_id": move.product_id,
        "product_uom_id": move.uom_id or False,
        "location_id": move.location_id or False,
        "location_dest_id": move.location_dest_id or False,
    }
