"""Inventory: warehouses, locations, operation types, quants, transfers, moves and carriers.

Follows ``addons/stock/models/stock_picking.py``, ``stock_move.py``, ``stock_move_line.py``,
``stock_quant.py``, ``stock_location.py``, ``stock_warehouse.py`` and, for carriers,
``addons/delivery/models/delivery_carrier.py``:

- a transfer is named ``<warehouse code>/<sequence code>/<5 digits>`` (WH/OUT/00001);
- confirming moves reserves them at once (``reservation_method == 'at_confirm'``), from the
  quants of internal locations; a move is ``assigned``, ``partially_available`` or
  ``confirmed``, and a transfer is ``assigned`` as soon as one move has stock (``direct``);
- 16 records the done quantity as ``qty_done`` on move lines (``quantity_done`` on moves) and
  the reservation as ``reserved_uom_qty``; 17+ use one ``quantity`` plus the ``picked`` flag;
- ``button_validate`` runs the sanity check, the pre-validation wizards (16's immediate
  transfer, the backorder confirmation) unless the context skips them, then ``_action_done``:
  quants move, the rest goes to a backorder (same type, next number, ``backorder_id`` set)
  unless ``cancel_backorder``/``picking_ids_not_to_backorder`` says to drop it, and sale and
  purchase lines learn their delivered and received quantities.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from crossdock.sandbox.odoo.errors import UserError, ValidationError
from crossdock.sandbox.odoo.fields import (
    Field,
    Method,
    ModelSpec,
    Vals,
    boolean,
    char,
    datetime_,
    float_,
    html,
    many2one,
    one2many,
    select,
    selection,
)
from crossdock.sandbox.odoo.models.mail import mail_thread_methods, message_post
from crossdock.sandbox.odoo.versions import OdooVersion

if TYPE_CHECKING:
    from crossdock.sandbox.odoo.orm import Env

EPSILON = 1e-6
PICKING_STATES = selection(
    ("draft", "Draft"),
    ("waiting", "Waiting Another Operation"),
    ("confirmed", "Waiting"),
    ("assigned", "Ready"),
    ("done", "Done"),
    ("cancel", "Cancelled"),
)
MOVE_STATES = selection(
    ("draft", "New"),
    ("waiting", "Waiting Another Move"),
    ("confirmed", "Waiting Availability"),
    ("partially_available", "Partially Available"),
    ("assigned", "Available"),
    ("done", "Done"),
    ("cancel", "Cancelled"),
)
LOCATION_USAGES = selection(
    ("supplier", "Vendor Location"),
    ("view", "View"),
    ("internal", "Internal Location"),
    ("customer", "Customer Location"),
    ("inventory", "Inventory Loss"),
    ("production", "Production"),
    ("transit", "Transit Location"),
)
BACKORDER_VIEW_ID = 1187
IMMEDIATE_VIEW_ID = 1188

# --- quants ----------------------------------------------------------------------------


def _is_internal(env: Env, location_id: int) -> bool:
    return bool(env.get("stock.location", location_id, "usage") == "internal")


def find_quant(env: Env, product_id: int, location_id: int) -> int | None:
    for qid, quant in env.db.tables["stock.quant"].items():
        if quant["product_id"] == product_id and quant["location_id"] == location_id:
            return qid
    return None


def set_quant_quantity(env: Env, product_id: int, location_id: int, quantity: float) -> int:
    qid = find_quant(env, product_id, location_id)
    if qid is None:
        return env.create(
            "stock.quant",
            {
                "product_id": product_id,
                "location_id": location_id,
                "quantity": quantity,
                "in_date": env.now(),
            },
        )
    env.write("stock.quant", [qid], {"quantity": quantity})
    return qid


def _add_quantity(env: Env, product_id: int, location_id: int, delta: float) -> None:
    if not _is_internal(env, location_id):
        return
    qid = find_quant(env, product_id, location_id)
    current = env.get("stock.quant", qid, "quantity") if qid else 0.0
    set_quant_quantity(env, product_id, location_id, current + delta)


def _line_reserved(env: Env, ml: int) -> float:
    field = "reserved_uom_qty" if env.version.major == 16 else "quantity"
    return float(env.get("stock.move.line", ml, field) or 0.0)


def _quant_reserved(env: Env, qid: int) -> float:
    quant = env.raw("stock.quant", qid)
    total = 0.0
    for mlid, line in env.db.tables["stock.move.line"].items():
        if (
            line.get("product_id") == quant["product_id"]
            and line.get("location_id") == quant["location_id"]
            and _line_state(env, mlid) not in ("done", "cancel")
        ):
            total += _line_reserved(env, mlid)
    return total


def _quant_available(env: Env, qid: int) -> float:
    return float(env.get("stock.quant", qid, "quantity")) - _quant_reserved(env, qid)


def _free_at(env: Env, product_id: int, location_id: int) -> float:
    qid = find_quant(env, product_id, location_id)
    return _quant_available(env, qid) if qid else 0.0


def quant_create(env: Env, model: str, ids: list[int], vals_list: Any) -> Any:
    """Inventory mode: ``inventory_quantity`` is counted, ``action_apply_inventory`` applies it."""
    from crossdock.sandbox.odoo.orm import Records  # noqa: PLC0415

    items = [vals_list] if isinstance(vals_list, dict) else list(vals_list)
    created = []
    for vals in items:
        if "quantity" in vals or "reserved_quantity" in vals:
            raise UserError("Quant's editing is restricted, you can't do this operation.")
        existing = find_quant(
            env, int(vals.get("product_id") or 0), int(vals.get("location_id") or 0)
        )
        if existing is not None:
            quant_write(env, model, [existing], vals)
            created.append(existing)
            continue
        rid = env.create(model, {**vals, "in_date": env.now()}, context_defaults=True)
        if "inventory_quantity" in vals:
            env.set(model, rid, inventory_quantity_set=True)
        created.append(rid)
    return Records(model, tuple(created))


def quant_write(env: Env, model: str, ids: list[int], vals: dict[str, Any]) -> bool:
    if "quantity" in vals or "reserved_quantity" in vals:
        raise UserError("Quant's editing is restricted, you can't do this operation.")
    values = dict(vals)
    if "inventory_quantity" in values:
        values["inventory_quantity_set"] = True
    env.write(model, ids, values)
    return True


def action_apply_inventory(env: Env, model: str, ids: list[int]) -> bool:
    for qid in ids:
        counted = env.get(model, qid, "inventory_quantity")
        env.write(
            model,
            [qid],
            {"quantity": counted, "inventory_quantity": 0.0, "inventory_quantity_set": False},
        )
    return True


# --- move lines and moves ------------------------------------------------------------------


def _line_state(env: Env, mlid: int) -> str:
    move = env.raw("stock.move.line", mlid).get("move_id")
    if move and env.exists("stock.move", move):
        return str(env.raw("stock.move", move)["state"])
    return "draft"


def _line_done_qty(env: Env, mlid: int) -> float:
    """What a move line carries when validated: qty_done (16) or its picked quantity (17+)."""
    line = env.raw("stock.move.line", mlid)
    if env.version.major == 16:
        return float(line.get("qty_done") or 0.0)
    move = line.get("move_id")
    picked = bool(line.get("picked")) or bool(move and env.raw("stock.move", move).get("picked"))
    return float(line.get("quantity") or 0.0) if picked else 0.0


def _move_lines(env: Env, move_id: int) -> list[int]:
    return [
        mid
        for mid, line in env.db.tables["stock.move.line"].items()
        if line.get("move_id") == move_id
    ]


def move_quantity(env: Env, move_id: int) -> float:
    """``quantity_done`` (16, sum of qty_done) or ``quantity`` (17+, sum of line quantities)."""
    field = "qty_done" if env.version.major == 16 else "quantity"
    return float(
        sum(env.raw("stock.move.line", ml).get(field) or 0.0 for ml in _move_lines(env, move_id))
    )


def move_reserved(env: Env, move_id: int) -> float:
    return float(sum(_line_reserved(env, ml) for ml in _move_lines(env, move_id)))


def _set_move_quantity(env: Env, move_id: int, value: Any) -> None:
    """The inverse of ``quantity_done`` / ``quantity``: one line carries the new quantity."""
    quantity = float(value or 0.0)
    field = env.version.move_line_qty_field
    lines = _move_lines(env, move_id)
    if not lines:
        if abs(quantity) < EPSILON:
            return
        _new_line(env, move_id, **{field: quantity})
        return
    first, rest = lines[0], lines[1:]
    if rest:
        env.unlink("stock.move.line", rest)
    env.write("stock.move.line", [first], {field: quantity})


def _new_line(env: Env, move_id: int, **quantities: float) -> int:
    move = env.raw("stock.move", move_id)
    product = move["product_id"]
    return env.create(
        "stock.move.line",
        {
            "move_id": move_id,
            "picking_id": move.get("picking_id") or False,
            "product_id": product,
            "product_uom_id": move.get("product_uom")
            or env.get("product.product", product, "uom_id"),
            "location_id": move["location_id"],
            "location_dest_id": move["location_dest_id"],
            **quantities,
        },
    )


def _move_needs_reservation(env: Env, move_id: int) -> bool:
    from crossdock.sandbox.odoo.models.product import is_storable  # noqa: PLC0415

    move = env.raw("stock.move", move_id)
    return _is_internal(env, move["location_id"]) and is_storable(env, move["product_id"])


def _reserve(env: Env, move_id: int) -> None:
    """``_action_assign`` of one move: take what the source location can give."""
    move = env.raw("stock.move", move_id)
    if move["state"] not in ("confirmed", "partially_available", "waiting"):
        return
    demand = float(move["product_uom_qty"])
    reserved = move_reserved(env, move_id)
    needed = demand - reserved
    if needed > EPSILON:
        take = needed
        if _move_needs_reservation(env, move_id):
            take = max(0.0, min(needed, _free_at(env, move["product_id"], move["location_id"])))
        if take > EPSILON:
            field = "reserved_uom_qty" if env.version.major == 16 else "quantity"
            lines = _move_lines(env, move_id)
            if lines:
                env.write(
                    "stock.move.line", [lines[0]], {field: _line_reserved(env, lines[0]) + take}
                )
            else:
                _new_line(env, move_id, **{field: take})
            reserved += take
    if reserved >= demand - EPSILON:
        state = "assigned"
    elif reserved > EPSILON:
        state = "partially_available"
    else:
        state = "confirmed"
    if state != move["state"]:
        env.set("stock.move", move_id, state=state)


def _unreserve(env: Env, move_id: int) -> None:
    lines = _move_lines(env, move_id)
    if env.version.major == 16:
        keep = [ml for ml in lines if env.raw("stock.move.line", ml).get("qty_done")]
        for ml in keep:
            env.set("stock.move.line", ml, reserved_uom_qty=0.0)
        env.unlink("stock.move.line", [ml for ml in lines if ml not in keep])
    else:
        env.unlink("stock.move.line", lines)


def confirm_moves(env: Env, move_ids: list[int]) -> None:
    """``_action_confirm`` then, for 'at_confirm' operation types, ``_action_assign``."""
    for move_id in move_ids:
        if env.raw("stock.move", move_id)["state"] == "draft":
            env.set("stock.move", move_id, state="confirmed")
    for move_id in move_ids:
        _reserve(env, move_id)
    for picking in {env.raw("stock.move", m).get("picking_id") for m in move_ids}:
        if picking:
            refresh_picking_state(env, int(picking))


def _check_line_quantity(env: Env, mlid: int) -> None:
    line = env.raw("stock.move.line", mlid)
    if float(line.get(env.version.move_line_qty_field) or 0.0) < 0:
        raise ValidationError("You can not enter negative quantities.")


def _after_create_move(env: Env, move_id: int) -> None:
    """``_autoconfirm_picking``: a move added to a confirmed transfer is confirmed too."""
    move = env.raw("stock.move", move_id)
    picking = move.get("picking_id")
    if not picking or not env.exists("stock.picking", picking):
        return
    if env.raw("stock.picking", picking)["state"] not in ("draft", "done", "cancel"):
        confirm_moves(env, [move_id])


def _before_create_move(env: Env, vals: Vals) -> Vals:
    values = dict(vals)
    picking = values.get("picking_id")
    if picking and env.exists("stock.picking", picking):
        record = env.raw("stock.picking", picking)
        values.setdefault("location_id", record["location_id"])
        values.setdefault("location_dest_id", record["location_dest_id"])
        values.setdefault("picking_type_id", record["picking_type_id"])
        values.setdefault("origin", record.get("origin") or False)
        values.setdefault("partner_id", record.get("partner_id") or False)
    product = values.get("product_id")
    if product and env.exists("product.product", product):
        values.setdefault("name", env.display_name("product.product", product))
        values.setdefault("product_uom", env.get("product.product", product, "uom_id"))
    return values


# --- transfers -------------------------------------------------------------------------------


def _moves(env: Env, picking_id: int) -> list[int]:
    return sorted(
        mid
        for mid, move in env.db.tables["stock.move"].items()
        if move.get("picking_id") == picking_id
    )


def _picking_lines(env: Env, picking_id: int) -> list[int]:
    lines = []
    for move in _moves(env, picking_id):
        lines.extend(_move_lines(env, move))
    return lines


def refresh_picking_state(env: Env, picking_id: int) -> None:
    """``_compute_state`` of stock.picking, stored (so ``write_date`` moves with it)."""
    record = env.raw("stock.picking", picking_id)
    states = [env.raw("stock.move", m)["state"] for m in _moves(env, picking_id)]
    if not states or "draft" in states:
        state = "draft"
    elif all(s == "cancel" for s in states):
        state = "cancel"
    elif all(s in ("cancel", "done") for s in states):
        state = "done"
    else:
        open_states = [s for s in states if s not in ("cancel", "done")]
        if record.get("move_type") == "one":
            state = "assigned" if all(s == "assigned" for s in open_states) else "confirmed"
        elif any(s in ("assigned", "partially_available") for s in open_states):
            state = "assigned"
        elif all(s == "waiting" for s in open_states):
            state = "waiting"
        else:
            state = "confirmed"
    if state != record["state"]:
        env.set("stock.picking", picking_id, state=state)


def _picking_type_code(env: Env, rid: int) -> Any:
    ptype = env.raw("stock.picking", rid).get("picking_type_id")
    return env.get("stock.picking.type", ptype, "code") if ptype else False


def _before_create_picking(env: Env, vals: Vals) -> Vals:
    values = dict(vals)
    ptype = values.get("picking_type_id")
    if ptype and env.exists("stock.picking.type", ptype):
        record = env.raw("stock.picking.type", ptype)
        values.setdefault("location_id", record.get("default_location_src_id") or False)
        values.setdefault("location_dest_id", record.get("default_location_dest_id") or False)
        if not values.get("name") or values.get("name") == "/":
            values["name"] = picking_name(env, ptype)
    return values


def picking_name(env: Env, ptype: int) -> str:
    record = env.raw("stock.picking.type", ptype)
    warehouse = record.get("warehouse_id")
    code = env.get("stock.warehouse", warehouse, "code") if warehouse else "WH"
    prefix = f"{code}/{record['sequence_code']}/"
    return env.next_sequence(f"stock.picking.type.{ptype}", prefix, 5)


def action_confirm(env: Env, model: str, ids: list[int]) -> bool:
    for pid in ids:
        env.raw(model, pid)
        moves = [m for m in _moves(env, pid) if env.raw("stock.move", m)["state"] == "draft"]
        confirm_moves(env, moves)
        refresh_picking_state(env, pid)
    return True


def action_assign(env: Env, model: str, ids: list[int]) -> bool:
    for pid in ids:
        env.raw(model, pid)
    drafts = [pid for pid in ids if env.raw(model, pid)["state"] == "draft"]
    action_confirm(env, model, drafts)
    todo = [
        m
        for pid in ids
        for m in _moves(env, pid)
        if env.raw("stock.move", m)["state"] not in ("draft", "cancel", "done")
    ]
    if not todo:
        raise UserError("Nothing to check the availability for.")
    for move in todo:
        _reserve(env, move)
    for pid in ids:
        refresh_picking_state(env, pid)
    return True


def unreserve_moves(env: Env, move_ids: list[int]) -> None:
    """``_do_unreserve`` of moves, for other modules changing a move's demand."""
    for move_id in move_ids:
        _unreserve(env, move_id)


def do_unreserve(env: Env, model: str, ids: list[int]) -> bool:
    for pid in ids:
        for move in _moves(env, pid):
            if env.raw("stock.move", move)["state"] in ("assigned", "partially_available"):
                _unreserve(env, move)
                env.set("stock.move", move, state="confirmed")
        refresh_picking_state(env, pid)
    return True


def cancel_moves(env: Env, move_ids: list[int]) -> None:
    """``stock.move._action_cancel``: a done move cannot be cancelled."""
    for move in move_ids:
        if env.raw("stock.move", move)["state"] == "done":
            raise UserError(
                "You cannot cancel a stock move that has been set to 'Done'. Create a return in "
                "order to reverse the moves which took place."
            )
    for move in move_ids:
        if env.raw("stock.move", move)["state"] != "cancel":
            _unreserve(env, move)
            env.set("stock.move", move, state="cancel")


def action_cancel(env: Env, model: str, ids: list[int]) -> bool:
    for pid in ids:
        env.raw(model, pid)
        cancel_moves(
            env, [m for m in _moves(env, pid) if env.raw("stock.move", m)["state"] != "cancel"]
        )
        refresh_picking_state(env, pid)
        if not _moves(env, pid):
            env.set(model, pid, state="cancel")
    return True


def _sanity_check(env: Env, ids: list[int]) -> None:
    version = env.version
    empty = [pid for pid in ids if not _moves(env, pid)]
    if empty:
        if version.major == 16:
            raise UserError("Please add some items to move.")
        raise UserError(
            "You can\u2019t validate an empty transfer. Please add some products to move before "
            "proceeding."
        )
    for pid in ids:
        open_moves = [
            m
            for m in _moves(env, pid)
            if env.raw("stock.move", m)["state"] not in ("done", "cancel")
        ]
        if version.major == 16:
            lines = [ml for m in open_moves for ml in _move_lines(env, m)]
            nothing_done = all(not env.raw("stock.move.line", ml).get("qty_done") for ml in lines)
            all_lines = _picking_lines(env, pid)
            nothing_reserved = all(
                not env.raw("stock.move.line", ml).get("reserved_uom_qty") for ml in all_lines
            )
            if nothing_done and nothing_reserved:
                raise UserError(version.no_quantities_message)
        elif all(move_quantity(env, m) < EPSILON for m in open_moves):
            raise UserError(version.no_quantities_message)


def _check_immediate(env: Env, ids: list[int]) -> list[int]:
    """16: transfers where nothing is done yet, for the "Immediate Transfer?" wizard."""
    result = []
    for pid in ids:
        lines = [
            ml
            for m in _moves(env, pid)
            if env.raw("stock.move", m)["state"] not in ("done", "cancel")
            for ml in _move_lines(env, m)
        ]
        if all(not env.raw("stock.move.line", ml).get("qty_done") for ml in lines):
            result.append(pid)
    return result


def _check_backorder(env: Env, ids: list[int]) -> list[int]:
    result = []
    for pid in ids:
        ptype = env.raw("stock.picking", pid)["picking_type_id"]
        if env.get("stock.picking.type", ptype, "create_backorder") != "ask":
            continue
        moves = [m for m in _moves(env, pid) if env.raw("stock.move", m)["state"] != "cancel"]
        if env.version.major == 16:
            todo: dict[int, float] = {}
            done: dict[int, float] = {}
            for m in moves:
                product = env.raw("stock.move", m)["product_id"]
                todo[product] = todo.get(product, 0.0) + float(
                    env.raw("stock.move", m)["product_uom_qty"]
                )
                done[product] = done.get(product, 0.0) + move_quantity(env, m)
            if any(done[p] < todo[p] - EPSILON for p in todo):
                result.append(pid)
            continue
        for m in moves:
            move = env.raw("stock.move", m)
            picked_qty = sum(_line_done_qty(env, ml) for ml in _move_lines(env, m))
            if (move["product_uom_qty"] and not move.get("picked") and not picked_qty) or (
                picked_qty < float(move["product_uom_qty"]) - EPSILON
            ):
                result.append(pid)
                break
    return result


def _wizard_action(
    env: Env, ids: list[int], res_model: str, name: str, view_id: int
) -> dict[str, Any]:
    context = dict(env.context)
    context["default_show_transfers"] = len(ids) > 1
    context["default_pick_ids"] = [[4, pid] for pid in ids]
    return {
        "name": name,
        "type": "ir.actions.act_window",
        "view_mode": "form",
        "res_model": res_model,
        "views": [[view_id, "form"]],
        "view_id": view_id,
        "target": "new",
        "context": context,
    }


def _pre_action_done_hook(env: Env, ids: list[int]) -> dict[str, Any] | bool:
    if env.version.major == 16:
        if not env.context.get("skip_immediate"):
            immediate = _check_immediate(env, ids)
            if immediate:
                return _wizard_action(
                    env,
                    immediate,
                    "stock.immediate.transfer",
                    "Immediate Transfer?",
                    IMMEDIATE_VIEW_ID,
                )
    else:
        for pid in ids:
            moves = _moves(env, pid)
            if all(not env.raw("stock.move", m).get("picked") for m in moves):
                for m in moves:
                    env.set("stock.move", m, picked=True)
                    for ml in _move_lines(env, m):
                        env.set("stock.move.line", ml, picked=True)
    if not env.context.get("skip_backorder"):
        backorders = _check_backorder(env, ids)
        if backorders:
            return _wizard_action(
                env,
                backorders,
                "stock.backorder.confirmation",
                "Create Backorder?",
                BACKORDER_VIEW_ID,
            )
    return True


def _prepare_drafts(env: Env, model: str, ids: list[int]) -> None:
    """17+: a draft transfer is confirmed and its untouched moves take their demand."""
    for pid in ids:
        if env.raw(model, pid)["state"] != "draft":
            continue
        action_confirm(env, model, [pid])
        for m in _moves(env, pid):
            demand = float(env.raw("stock.move", m)["product_uom_qty"])
            if move_quantity(env, m) < EPSILON and demand > EPSILON:
                _set_move_quantity(env, m, demand)


def _backorder_policy(env: Env, pid: int) -> str:
    ptype = env.raw("stock.picking", pid)["picking_type_id"]
    return str(env.get("stock.picking.type", ptype, "create_backorder"))


def _not_to_backorder(env: Env, ids: list[int]) -> list[int]:
    """Transfers whose rest is dropped: type says 'never', or the context asks (not 'always')."""
    result = [pid for pid in ids if _backorder_policy(env, pid) == "never"]
    for pid in env.context.get("picking_ids_not_to_backorder") or []:
        if (
            env.exists("stock.picking", pid)
            and _backorder_policy(env, pid) != "always"
            and pid not in result
        ):
            result.append(pid)
    return result


def button_validate(env: Env, model: str, ids: list[int]) -> Any:
    for pid in ids:
        env.raw(model, pid)
    if env.version.uses_picked:
        _prepare_drafts(env, model, ids)
    if not env.context.get("skip_sanity_check"):
        _sanity_check(env, ids)
    if not env.context.get("button_validate_picking_ids"):
        env = env.with_context(button_validate_picking_ids=list(ids))
    result = _pre_action_done_hook(env, ids)
    if result is not True:
        return result
    not_to_backorder = _not_to_backorder(env, ids)
    for pid in [p for p in ids if p in not_to_backorder]:
        _action_done(env, pid, cancel_backorder=True)
    for pid in [p for p in ids if p not in not_to_backorder]:
        _action_done(env, pid, cancel_backorder=False)
    return True


SPLIT_FIELDS = (
    "name",
    "product_id",
    "product_uom",
    "location_id",
    "location_dest_id",
    "picking_type_id",
    "origin",
    "partner_id",
    "sale_line_id",
    "purchase_line_id",
)


def _partition(env: Env, picking_id: int) -> tuple[list[int], list[tuple[int, float]]]:
    """Moves with something done, and (move, quantity still to do) for the rest."""
    remaining: list[tuple[int, float]] = []
    done_moves: list[int] = []
    for move_id in _moves(env, picking_id):
        move = env.raw("stock.move", move_id)
        if move["state"] in ("done", "cancel"):
            continue
        done_qty = sum(_line_done_qty(env, ml) for ml in _move_lines(env, move_id))
        demand = float(move["product_uom_qty"])
        if done_qty < EPSILON:
            remaining.append((move_id, demand))
            continue
        if done_qty < demand - EPSILON:
            remaining.append((move_id, demand - done_qty))
        done_moves.append(move_id)
    return done_moves, remaining


def _action_done(env: Env, picking_id: int, *, cancel_backorder: bool) -> None:
    done_moves, remaining = _partition(env, picking_id)
    backorder_moves: list[int] = []
    for move_id, rest in remaining:
        if move_id in done_moves:
            original = env.raw("stock.move", move_id)
            values = {key: original[key] for key in SPLIT_FIELDS}
            values |= {"product_uom_qty": rest, "state": "confirmed", "picking_id": False}
            backorder_moves.append(env.create("stock.move", values))
        else:
            _unreserve(env, move_id)
            env.set("stock.move", move_id, state="confirmed")
            backorder_moves.append(move_id)
    for move_id in done_moves:
        _finish_move(env, move_id)
    if backorder_moves and cancel_backorder:
        cancel_moves(env, backorder_moves)
        for move_id in backorder_moves:
            if not env.raw("stock.move", move_id).get("picking_id"):
                env.set("stock.move", move_id, picking_id=picking_id)
    elif backorder_moves:
        _create_backorder(env, picking_id, backorder_moves)
    env.set("stock.picking", picking_id, date_done=env.now())
    refresh_picking_state(env, picking_id)


def _finish_move(env: Env, move_id: int) -> None:
    move = env.raw("stock.move", move_id)
    done_qty = 0.0
    for ml in _move_lines(env, move_id):
        qty = _line_done_qty(env, ml)
        if qty < EPSILON:
            env.unlink("stock.move.line", [ml])
            continue
        done_qty += qty
        line = env.raw("stock.move.line", ml)
        _add_quantity(env, move["product_id"], line["location_id"], -qty)
        _add_quantity(env, move["product_id"], line["location_dest_id"], qty)
        if env.version.major == 16:
            env.set("stock.move.line", ml, reserved_uom_qty=0.0)
        else:
            env.set("stock.move.line", ml, quantity=qty, picked=True)
    env.set("stock.move", move_id, state="done", product_uom_qty=done_qty, date=env.now())
    if move.get("sale_line_id"):
        from crossdock.sandbox.odoo.models.sale import add_delivered  # noqa: PLC0415

        add_delivered(env, int(move["sale_line_id"]), done_qty)
    if move.get("purchase_line_id"):
        from crossdock.sandbox.odoo.models.purchase import add_received  # noqa: PLC0415

        add_received(env, int(move["purchase_line_id"]), done_qty)


def _create_backorder(env: Env, picking_id: int, move_ids: list[int]) -> int:
    picking = env.raw("stock.picking", picking_id)
    backorder = env.create(
        "stock.picking",
        {
            key: picking[key]
            for key in (
                "origin",
                "partner_id",
                "picking_type_id",
                "location_id",
                "location_dest_id",
                "scheduled_date",
                "move_type",
                "carrier_id",
                "sale_id",
                "purchase_id",
                "company_id",
            )
        }
        | {"backorder_id": picking_id, "name": "/"},
    )
    for move_id in move_ids:
        env.set("stock.move", move_id, picking_id=backorder)
        for ml in _move_lines(env, move_id):
            env.set("stock.move.line", ml, picking_id=backorder)
    name = env.raw("stock.picking", backorder)["name"]
    message_post(
        env,
        "stock.picking",
        [picking_id],
        body=(
            f'The backorder <a href="#" data-oe-model="stock.picking" data-oe-id="{backorder}">'
            f"{name}</a> has been created."
        ),
        body_is_html=True,
    )
    confirm_moves(env, move_ids)
    refresh_picking_state(env, backorder)
    return backorder


def _before_unlink_picking(env: Env, rid: int) -> None:
    if env.raw("stock.picking", rid)["state"] == "done":
        raise UserError("You cannot delete a done transfer.")


def _move_quantity_field(version: OdooVersion) -> dict[str, Field]:
    compute = move_quantity

    def inverse(env: Env, rid: int, value: Any) -> None:
        _set_move_quantity(env, rid, value)

    if version.major == 16:
        return {
            "quantity_done": float_("Quantity Done", compute=compute, inverse=inverse),
            "reserved_availability": float_("Quantity Reserved", compute=move_reserved),
        }
    return {
        "quantity": float_("Quantity", compute=compute, inverse=inverse),
        "picked": boolean("Picked", default=False),
    }


def _line_fields(version: OdooVersion) -> dict[str, Field]:
    fields: dict[str, Field] = {
        "move_id": many2one("stock.move", "Stock Operation"),
        "picking_id": many2one("stock.picking", "Transfer"),
        "product_id": many2one("product.product", "Product"),
        "product_uom_id": many2one("uom.uom", "Unit of Measure"),
        "location_id": many2one("stock.location", "From", required=True),
        "location_dest_id": many2one("stock.location", "To", required=True),
        "lot_id": many2one("stock.lot", "Lot/Serial Number"),
        "lot_name": char("Lot/Serial Number Name"),
        "package_id": many2one("stock.quant.package", "Source Package"),
        "result_package_id": many2one("stock.quant.package", "Destination Package"),
        "state": select("Status", MOVE_STATES, compute=_line_state),
        "date": datetime_("Date", default=lambda env, vals: env.now()),
    }
    if version.major == 16:
        fields["reserved_uom_qty"] = float_("Reserved")
        fields["qty_done"] = float_("Quantity Done")
    else:
        fields["quantity"] = float_("Quantity")
        fields["picked"] = boolean("Picked", default=False)
    return fields


def _picking_fields(version: OdooVersion) -> dict[str, Field]:
    fields: dict[str, Field] = {
        "name": char("Reference", default="/"),
        "origin": char("Source Document"),
        "note": html("Notes"),
        "partner_id": many2one("res.partner", "Contact"),
        "picking_type_id": many2one("stock.picking.type", "Operation Type", required=True),
        "picking_type_code": select(
            "Type of Operation",
            selection(
                ("incoming", "Receipt"), ("outgoing", "Delivery"), ("internal", "Internal Transfer")
            ),
            compute=_picking_type_code,
        ),
        "location_id": many2one("stock.location", "Source Location", required=True),
        "location_dest_id": many2one("stock.location", "Destination Location", required=True),
        "state": select("Status", PICKING_STATES, default="draft"),
        "move_type": select(
            "Shipping Policy",
            selection(("direct", "As soon as possible"), ("one", "When all products are ready")),
            default="direct",
        ),
        "priority": select("Priority", selection(("0", "Normal"), ("1", "Urgent")), default="0"),
        "move_ids": one2many("stock.move", "picking_id", "Operations"),
        "move_line_ids": one2many("stock.move.line", "picking_id", "Operations"),
        "scheduled_date": datetime_("Scheduled Date", default=lambda env, vals: env.now()),
        "date_deadline": datetime_("Deadline"),
        "date_done": datetime_("Date of Transfer"),
        "backorder_id": many2one("stock.picking", "Back Order of"),
        "backorder_ids": one2many("stock.picking", "backorder_id", "Back Orders"),
        "sale_id": many2one("sale.order", "Sales Order"),
        "purchase_id": many2one("purchase.order", "Purchase Orders"),
        "carrier_id": many2one("delivery.carrier", "Carrier"),
        "carrier_tracking_ref": char("Tracking Reference"),
        "user_id": many2one("res.users", "Responsible"),
        "company_id": many2one("res.company", "Company"),
        # Odoo keeps no carrier delivery date on a transfer; sites add one as a custom field
        # (Settings > Technical > Fields, or Studio), whose name must start with "x_".
        "x_delivered_date": datetime_("Delivered On"),
    }
    if version.has_move_ids_without_package:
        fields["move_ids_without_package"] = one2many(
            "stock.move", "picking_id", "Stock moves not in package"
        )
    return fields


def _location_name(env: Env, rid: int) -> str:
    record = env.raw("stock.location", rid)
    parent = record.get("location_id")
    if parent and record.get("usage") != "view" and env.exists("stock.location", parent):
        return f"{_location_name(env, parent)}/{record['name']}"
    return str(record["name"])


def _picking_type_display(env: Env, rid: int) -> str:
    record = env.raw("stock.picking.type", rid)
    warehouse = record.get("warehouse_id")
    if warehouse and env.exists("stock.warehouse", warehouse):
        return f"{env.get('stock.warehouse', warehouse, 'name')}: {record['name']}"
    return str(record["name"])


def _quant_display(env: Env, rid: int) -> str:
    record = env.raw("stock.quant", rid)
    location = env.display_name("stock.location", record["location_id"])
    return f"{location} - {env.display_name('product.product', record['product_id'])}"


def models(version: OdooVersion) -> list[ModelSpec]:
    picking_methods: dict[str, Method] = {
        "action_confirm": Method(action_confirm),
        "action_assign": Method(action_assign),
        "action_cancel": Method(action_cancel),
        "do_unreserve": Method(do_unreserve),
        "button_validate": Method(button_validate),
        **mail_thread_methods(version),
    }
    return [
        ModelSpec(
            "stock.warehouse",
            "Warehouse",
            {
                "name": char("Warehouse", required=True),
                "code": char("Short Name", required=True),
                "partner_id": many2one("res.partner", "Address"),
                "company_id": many2one("res.company", "Company"),
                "view_location_id": many2one("stock.location", "View Location"),
                "lot_stock_id": many2one("stock.location", "Location Stock"),
                "in_type_id": many2one("stock.picking.type", "In Type"),
                "out_type_id": many2one("stock.picking.type", "Out Type"),
                "active": boolean("Active", default=True),
            },
            order="id",
        ),
        ModelSpec(
            "stock.location",
            "Inventory Locations",
            {
                "name": char("Location Name", required=True),
                "complete_name": char("Full Location Name", compute=_location_name),
                "usage": select(
                    "Location Type", LOCATION_USAGES, required=True, default="internal"
                ),
                "location_id": many2one("stock.location", "Parent Location"),
                "warehouse_id": many2one("stock.warehouse", "Warehouse"),
                "barcode": char("Barcode"),
                "company_id": many2one("res.company", "Company"),
                "active": boolean("Active", default=True),
            },
            order="complete_name, id",
            parent_name="location_id",
            display_name=_location_name,
        ),
        ModelSpec(
            "stock.picking.type",
            "Picking Type",
            {
                "name": char("Operation Type", required=True),
                "code": select(
                    "Type of Operation",
                    selection(
                        ("incoming", "Receipt"),
                        ("outgoing", "Delivery"),
                        ("internal", "Internal Transfer"),
                    ),
                    required=True,
                ),
                "sequence_code": char("Sequence Prefix", required=True),
                "warehouse_id": many2one("stock.warehouse", "Warehouse"),
                "default_location_src_id": many2one("stock.location", "Default Source Location"),
                "default_location_dest_id": many2one(
                    "stock.location", "Default Destination Location"
                ),
                "create_backorder": select(
                    "Create Backorder",
                    selection(("ask", "Ask"), ("always", "Always"), ("never", "Never")),
                    default="ask",
                ),
                "reservation_method": select(
                    "Reservation Method",
                    selection(
                        ("at_confirm", "At Confirmation"),
                        ("manual", "Manually"),
                        ("by_date", "Before scheduled date"),
                    ),
                    default="at_confirm",
                ),
                "company_id": many2one("res.company", "Company"),
                "active": boolean("Active", default=True),
            },
            order="id",
            display_name=_picking_type_display,
        ),
        ModelSpec(
            "stock.quant",
            "Quants",
            {
                "product_id": many2one("product.product", "Product", required=True),
                "location_id": many2one("stock.location", "Location", required=True),
                "lot_id": many2one("stock.lot", "Lot/Serial Number"),
                "package_id": many2one("stock.quant.package", "Package"),
                "product_uom_id": many2one(
                    "uom.uom", "Unit of Measure", related=("product_id", "uom_id")
                ),
                "quantity": float_("Quantity", readonly=True),
                "reserved_quantity": float_("Reserved Quantity", compute=_quant_reserved),
                "available_quantity": float_("Available Quantity", compute=_quant_available),
                "inventory_quantity": float_("Counted Quantity"),
                "inventory_quantity_set": boolean("Inventory Quantity Set", default=False),
                "in_date": datetime_("Incoming Date"),
                "company_id": many2one("res.company", "Company"),
            },
            order="id",
            display_name=_quant_display,
            methods={
                "create": Method(quant_create, api_model=True, access="create"),
                "write": Method(quant_write, access="write"),
                "action_apply_inventory": Method(action_apply_inventory),
            },
        ),
        ModelSpec(
            "stock.lot",
            "Lot/Serial",
            {
                "name": char("Lot/Serial Number", required=True),
                "product_id": many2one("product.product", "Product", required=True),
                "company_id": many2one("res.company", "Company"),
            },
            order="name, id",
        ),
        ModelSpec(
            "stock.quant.package",
            "Packages",
            {
                "name": char(
                    "Package Reference",
                    default=lambda env, vals: env.next_sequence("stock.quant.package", "PACK", 7),
                ),
                "location_id": many2one("stock.location", "Location"),
                "company_id": many2one("res.company", "Company"),
            },
            order="name",
        ),
        ModelSpec(
            "stock.picking",
            "Transfer",
            _picking_fields(version),
            order="priority desc, scheduled_date asc, id desc",
            before_create=_before_create_picking,
            before_unlink=_before_unlink_picking,
            methods=picking_methods,
        ),
        ModelSpec(
            "stock.move",
            "Stock Move",
            {
                "name": char("Description", required=True),
                "product_id": many2one("product.product", "Product", required=True),
                "product_uom_qty": float_("Demand", default=0.0),
                "product_uom": many2one("uom.uom", "UoM", required=True),
                **_move_quantity_field(version),
                "state": select("Status", MOVE_STATES, default="draft"),
                "location_id": many2one("stock.location", "Source Location", required=True),
                "location_dest_id": many2one(
                    "stock.location", "Destination Location", required=True
                ),
                "picking_id": many2one("stock.picking", "Transfer"),
                "picking_type_id": many2one("stock.picking.type", "Operation Type"),
                "move_line_ids": one2many("stock.move.line", "move_id", "Move Lines"),
                "origin": char("Source Document"),
                "partner_id": many2one("res.partner", "Destination Address"),
                "sale_line_id": many2one("sale.order.line", "Sale Line"),
                "purchase_line_id": many2one("purchase.order.line", "Purchase Order Line"),
                "date": datetime_("Date Scheduled", default=lambda env, vals: env.now()),
                "company_id": many2one("res.company", "Company"),
            },
            order="id",
            before_create=_before_create_move,
            after_create=_after_create_move,
        ),
        ModelSpec(
            "stock.move.line",
            "Product Moves (Stock Move Line)",
            _line_fields(version),
            order="id",
            rec_name=None,
            display_name=lambda env, rid: env.display_name(
                "product.product", env.raw("stock.move.line", rid).get("product_id") or 0
            ),
            constraints=(_check_line_quantity,),
        ),
        ModelSpec(
            "delivery.carrier",
            "Shipping Methods",
            {
                "name": char("Delivery Method", required=True),
                "delivery_type": select(
                    "Provider",
                    selection(("base_on_rule", "Based on Rules"), ("fixed", "Fixed Price")),
                    required=True,
                    default="fixed",
                ),
                "fixed_price": float_("Fixed Price"),
                "product_id": many2one("product.product", "Delivery Product"),
                "company_id": many2one("res.company", "Company"),
                "active": boolean("Active", default=True),
            },
            order="id",
        ),
    ]
