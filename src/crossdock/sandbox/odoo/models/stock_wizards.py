"""The validation wizards: "Create Backorder?" and, on 16, "Immediate Transfer?".

Follow ``addons/stock/wizard/stock_backorder_confirmation.py`` and (16 only)
``addons/stock/wizard/stock_immediate_transfer.py``. A client creates the wizard with the
context of the action ``button_validate`` returned (``default_pick_ids`` fills ``pick_ids``
and one line per transfer; ``button_validate_picking_ids`` says what to validate), then calls
``process`` (backorder the rest), ``process_cancel_backorder`` (drop the rest) or, for the
immediate transfer, ``process`` (set done quantities to the reserved ones and validate).
Without ``button_validate_picking_ids`` in the context both answer True and do nothing, as
Odoo's do.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from crossdock.sandbox.odoo.errors import UserError
from crossdock.sandbox.odoo.fields import (
    Hook,
    Method,
    ModelSpec,
    boolean,
    many2many,
    many2one,
    one2many,
)
from crossdock.sandbox.odoo.models import stock
from crossdock.sandbox.odoo.versions import OdooVersion

if TYPE_CHECKING:
    from crossdock.sandbox.odoo.orm import Env


def _lines_from_picks(line_model: str, parent_field: str, flag: str) -> Hook:
    """``default_get`` of the wizards: one line per transfer in ``pick_ids``, flag set."""

    def after_create(env: Env, rid: int) -> None:
        model = env.spec(line_model).fields[parent_field].relation
        assert model is not None
        lines_field = next(
            f.name
            for f in env.spec(model).fields.values()
            if f.type == "one2many" and f.relation == line_model
        )
        if env.get(model, rid, lines_field):
            return
        for picking in env.get(model, rid, "pick_ids"):
            env.create(line_model, {parent_field: rid, "picking_id": picking, flag: True})

    return after_create


def _split_lines(
    env: Env, model: str, rid: int, lines_field: str, flag: str
) -> tuple[list[int], list[int]]:
    line_model = env.spec(model).fields[lines_field].relation
    assert line_model is not None
    yes: list[int] = []
    no: list[int] = []
    for line in env.get(model, rid, lines_field):
        picking = env.get(line_model, line, "picking_id")
        (yes if env.get(line_model, line, flag) else no).append(int(picking))
    return yes, no


def backorder_process(env: Env, model: str, ids: list[int]) -> Any:
    rid = ids[0] if ids else 0
    _, not_to_do = _split_lines(env, model, rid, "backorder_confirmation_line_ids", "to_backorder")
    to_validate = env.context.get("button_validate_picking_ids")
    if to_validate:
        validate_env = env.with_context(skip_backorder=True)
        if not_to_do:
            validate_env = validate_env.with_context(picking_ids_not_to_backorder=not_to_do)
        return stock.button_validate(validate_env, "stock.picking", list(to_validate))
    return True


def backorder_process_cancel(env: Env, model: str, ids: list[int]) -> Any:
    rid = ids[0] if ids else 0
    to_validate = env.context.get("button_validate_picking_ids")
    if to_validate:
        picks = env.get(model, rid, "pick_ids")
        validate_env = env.with_context(skip_backorder=True, picking_ids_not_to_backorder=picks)
        return stock.button_validate(validate_env, "stock.picking", list(to_validate))
    return True


def immediate_process(env: Env, model: str, ids: list[int]) -> Any:
    rid = ids[0] if ids else 0
    to_do, not_to_do = _split_lines(env, model, rid, "immediate_transfer_line_ids", "to_immediate")
    for picking in to_do:
        if env.raw("stock.picking", picking)["state"] == "draft":
            stock.action_confirm(env, "stock.picking", [picking])
            if env.raw("stock.picking", picking)["state"] != "assigned":
                stock.action_assign(env, "stock.picking", [picking])
                if env.raw("stock.picking", picking)["state"] != "assigned":
                    raise UserError(
                        "Could not reserve all requested products. Please use the 'Mark as "
                        "Todo' button to handle the reservation manually."
                    )
        for move in stock._moves(env, picking):
            if env.raw("stock.move", move)["state"] in ("done", "cancel"):
                continue
            for line in stock._move_lines(env, move):
                reserved = env.get("stock.move.line", line, "reserved_uom_qty")
                env.set("stock.move.line", line, qty_done=reserved)
    to_validate = env.context.get("button_validate_picking_ids")
    if to_validate:
        remaining = [p for p in to_validate if p not in not_to_do]
        return stock.button_validate(
            env.with_context(skip_immediate=True), "stock.picking", remaining
        )
    return True


def models(version: OdooVersion) -> list[ModelSpec]:
    specs = [
        ModelSpec(
            "stock.backorder.confirmation.line",
            "Backorder Confirmation Line",
            {
                "backorder_confirmation_id": many2one(
                    "stock.backorder.confirmation", "Immediate Transfer", required=True
                ),
                "picking_id": many2one("stock.picking", "Transfer"),
                "to_backorder": boolean("To Backorder", default=False),
            },
            transient=True,
            rec_name=None,
        ),
        ModelSpec(
            "stock.backorder.confirmation",
            "Backorder Confirmation",
            {
                "pick_ids": many2many("stock.picking", "Pick"),
                "show_transfers": boolean("Show Transfers", default=False),
                "backorder_confirmation_line_ids": one2many(
                    "stock.backorder.confirmation.line",
                    "backorder_confirmation_id",
                    "Backorder Confirmation Lines",
                ),
            },
            transient=True,
            rec_name=None,
            after_create=_lines_from_picks(
                "stock.backorder.confirmation.line", "backorder_confirmation_id", "to_backorder"
            ),
            methods={
                "process": Method(backorder_process),
                "process_cancel_backorder": Method(backorder_process_cancel),
            },
        ),
    ]
    if version.immediate_transfer:
        specs += [
            ModelSpec(
                "stock.immediate.transfer.line",
                "Immediate Transfer Line",
                {
                    "immediate_transfer_id": many2one(
                        "stock.immediate.transfer", "Immediate Transfer", required=True
                    ),
                    "picking_id": many2one("stock.picking", "Transfer", required=True),
                    "to_immediate": boolean("To Process", default=False),
                },
                transient=True,
                rec_name=None,
            ),
            ModelSpec(
                "stock.immediate.transfer",
                "Immediate Transfer",
                {
                    "pick_ids": many2many("stock.picking", "Pick"),
                    "show_transfers": boolean("Show Transfers", default=False),
                    "immediate_transfer_line_ids": one2many(
                        "stock.immediate.transfer.line",
                        "immediate_transfer_id",
                        "Immediate Transfer Lines",
                    ),
                },
                transient=True,
                rec_name=None,
                after_create=_lines_from_picks(
                    "stock.immediate.transfer.line", "immediate_transfer_id", "to_immediate"
                ),
                methods={"process": Method(immediate_process)},
            ),
        ]
    return specs
