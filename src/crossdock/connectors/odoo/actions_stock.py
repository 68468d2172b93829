"""Validate a delivery or a receipt in Odoo with the quantities that really moved.

`validate_picking` (and `validate_receipt`, the same for incoming transfers) reads the transfer
and its open moves, refuses what cannot be right before writing anything (see
`actions_shipment.plan_shipment`), records every quantity in ONE `write` on the picking, presses
`button_validate` and answers the wizards Odoo may return, then reads the outcome.

**Backorders: the context path, not the wizard.** For a partial quantity,
addons/stock/models/stock_picking.py `button_validate` returns the "Create Backorder?" action
(`_pre_action_done_hook` → `_check_backorder` → `_action_generate_backorder_wizard`) unless
the context has `skip_backorder`; it then drops the rest of the pickings listed in
`picking_ids_not_to_backorder` (cancelled, unless the operation type says `always`) and
backorders the others (unless the type says `never`). The wizard's own buttons
(addons/stock/wizard/stock_backorder_confirmation.py) do nothing else: `process` calls
`button_validate` with `skip_backorder=True` (plus `picking_ids_not_to_backorder` for the lines
unticked), `process_cancel_backorder` with `skip_backorder=True,
picking_ids_not_to_backorder=pick_ids`. So Crossdock passes that context to `button_validate`
itself: the same outcome in one RPC instead of three and in one Odoo transaction, where the
wizard path commits three times (and `button_validate` may already have confirmed a draft
transfer or set `picked` flags when it answers with the wizard).
A backorder wizard that comes back anyway (an addon overriding the hook) is still answered, by
`answer_validation_wizards`, with the same policy.

**Immediate transfer (16).** With `shipped=None` nothing is written and Odoo decides: 17+
picks every reserved quantity (`_pre_action_done_hook`), 16 answers the "Immediate Transfer?"
wizard (addons/stock/wizard/stock_immediate_transfer.py), which Crossdock creates with the
action's context and `process`es: it copies the reserved quantities into `qty_done` and calls
`button_validate` again with `skip_immediate=True` and the caller's backorder context.

**Replay.** A transfer already done answers `already_done=True` without writing: a job that
validated it before crashing can run again safely. Any other wizard (e.g. stock_sms's SMS
confirmation) leaves the transfer open and raises `ActionRefused` naming it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from crossdock.connectors.odoo.actions_common import (
    ActionRefused,
    id_list,
    many2one_id,
    read_one,
)
from crossdock.connectors.odoo.actions_shipment import (
    KeyKind,
    LotKey,
    OpenMove,
    ShipmentPlan,
    ShippedLine,
    StockFields,
    plan_reserved,
    plan_shipment,
)
from crossdock.connectors.odoo.client import OdooClient
from crossdock.connectors.odoo.errors import OdooUsageError
from crossdock.connectors.odoo.operations import Context, OdooOperations

BackorderPolicy = Literal["create", "cancel"]
PICKING = "stock.picking"
BACKORDER_WIZARD = "stock.backorder.confirmation"
IMMEDIATE_WIZARD = "stock.immediate.transfer"
MAX_WIZARDS = 4  # 16 chains at most immediate transfer → backorder; more means a loop
_PICKING_FIELDS = ["name", "state", "picking_type_code", "backorder_ids"]


@dataclass(frozen=True)
class PickingValidation:
    """The outcome of validating one transfer.

    `shipped` and `short` are keyed like the caller's mapping (product or move ids): `short`
    is the demand not shipped, which went to `backorder_id` or was cancelled, by policy (the
    operation type's `create_backorder` "always"/"never" overrides the policy, as in Odoo).
    `wizards` names the wizards answered on the way.
    """

    picking_id: int
    name: str
    state: str
    policy: BackorderPolicy
    backorder_id: int | None = None
    shipped: Mapping[int, float] = field(default_factory=dict)
    short: Mapping[int, float] = field(default_factory=dict)
    already_done: bool = False
    wizards: tuple[str, ...] = ()

    @property
    def is_short(self) -> bool:
        return bool(self.short)


@dataclass(frozen=True)
class _Picking:
    id: int
    name: str
    state: str
    code: str
    backorder_ids: tuple[int, ...]

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> _Picking:
        return cls(
            id=int(row["id"]),
            name=str(row.get("name") or f"stock.picking({row['id']})"),
            state=str(row.get("state") or ""),
            code=str(row.get("picking_type_code") or ""),
            backorder_ids=id_list(row.get("backorder_ids")),
        )


async def stock_fields(client: OdooClient) -> StockFields:
    """The stock field generation of the server (16: done quantities, 17+: `picked`)."""
    version = await client.server_version()
    if version.major < 16:
        raise OdooUsageError(f"Odoo {version.text} is not supported: stock actions need 16+")
    return StockFields(version.major)


async def validate_picking(
    client: OdooClient,
    picking_id: int,
    shipped: Mapping[int, ShippedLine] | None,
    *,
    backorder: BackorderPolicy,
    key: KeyKind = "product",
) -> PickingValidation:
    """Record what was shipped on a transfer and validate it; the rest per `backorder`.

    `shipped` maps product ids (or move ids, with `key="move"`) to a quantity or a `Shipment`
    with lots; `None` ships what Odoo reserved. A product or move left out ships nothing.
    Costs 5 RPCs (read picking and moves in parallel, one write, `button_validate`, read), one
    more to resolve lot names on a delivery, two more per wizard answered; 2 on a replay.
    """
    return await _validate(client, picking_id, shipped, backorder, key, expect=None)


async def validate_receipt(
    client: OdooClient,
    picking_id: int,
    received: Mapping[int, ShippedLine] | None,
    *,
    backorder: BackorderPolicy,
    key: KeyKind = "product",
) -> PickingValidation:
    """`validate_picking` for an incoming transfer (refuses any other); lots are new lot names.

    Validating a purchase receipt raises the purchase lines' `qty_received` in Odoo.
    """
    return await _validate(client, picking_id, received, backorder, key, expect="incoming")


async def answer_validation_wizards(
    client: OdooOperations, answer: Any, *, backorder: BackorderPolicy
) -> tuple[str, ...]:
    """Answer the wizards `button_validate` returned, as a user would; returns their models.

    Each wizard is created with its action's context (which carries
    `button_validate_picking_ids`, `default_pick_ids` and the caller's context) and its button
    pressed with that context: the immediate transfer's `process`, the backorder
    confirmation's `process` (create) or `process_cancel_backorder` (cancel). Stops at the
    first answer that is not one of these wizards (True, or e.g. a print action).
    """
    answered: list[str] = []
    for _ in range(MAX_WIZARDS):
        wizard = _wizard_model(answer)
        if wizard is None:
            return tuple(answered)
        context: dict[str, Any] = dict(answer.get("context") or {})
        [wizard_id] = await client.create(wizard, [{}], context=context)
        method = _wizard_button(wizard, backorder)
        answer = await client.call(wizard, method, ids=[wizard_id], context=context)
        answered.append(wizard)
    raise ActionRefused(f"Odoo kept answering wizards: {', '.join(answered)}")


# -- the steps ----------------------------------------------------------------------------


async def _validate(
    client: OdooClient,
    picking_id: int,
    shipped: Mapping[int, ShippedLine] | None,
    policy: BackorderPolicy,
    key: KeyKind,
    *,
    expect: str | None,
) -> PickingValidation:
    _check_arguments(policy, key)
    fields = await stock_fields(client)
    picking, moves = await asyncio.gather(
        _read_picking(client, picking_id), _read_moves(client, picking_id, fields)
    )
    _check_picking(picking, expect)
    if picking.state == "done":
        return _already_done(picking, policy)
    if shipped is None:
        plan = plan_reserved(moves, fields, key=key)
    else:
        plan = plan_shipment(moves, shipped, key=key, transfer=picking.name)
        await _record(client, picking, plan, fields)
    context = _backorder_context(picking_id, policy)
    answer = await client.call_button(PICKING, "button_validate", [picking_id], context=context)
    wizards = await answer_validation_wizards(client, answer, backorder=policy)
    final = await _read_picking(client, picking_id)
    if final.state != "done":
        raise ActionRefused(
            f"{final.name} is still {final.state!r} after validation: Odoo answered "
            f"{_describe(answer)}, which Crossdock does not answer"
        )
    return _result(final, picking, plan, policy, wizards)


def _check_arguments(policy: str, key: str) -> None:
    if policy not in ("create", "cancel"):
        raise OdooUsageError(f"backorder must be 'create' or 'cancel', not {policy!r}")
    if key not in ("product", "move"):
        raise OdooUsageError(f"key must be 'product' or 'move', not {key!r}")


def _check_picking(picking: _Picking, expect: str | None) -> None:
    if expect is not None and picking.code != expect:
        raise OdooUsageError(
            f"{picking.name} is a {picking.code or 'untyped'} transfer, not {expect}"
        )
    if picking.state == "cancel":
        raise ActionRefused(f"{picking.name} is cancelled: nothing can be validated")


async def _read_picking(client: OdooOperations, picking_id: int) -> _Picking:
    return _Picking.from_row(await read_one(client, PICKING, picking_id, _PICKING_FIELDS))


async def _read_moves(
    client: OdooOperations, picking_id: int, fields: StockFields
) -> list[OpenMove]:
    rows = await client.search_read(
        "stock.move",
        [("picking_id", "=", picking_id), ("state", "not in", ["done", "cancel"])],
        fields.move_read_fields,
        order="id",
    )
    return [OpenMove.from_row(row, fields) for row in rows]


async def _record(
    client: OdooOperations, picking: _Picking, plan: ShipmentPlan, fields: StockFields
) -> None:
    """One `write` on the picking: x2many commands for every move and move line to change.

    Receipts name new lots (`lot_name`: Odoo creates them on validation, for operation types
    with `use_create_lots`); other transfers take existing lots (`lot_id`), looked up by name.
    """
    incoming = picking.code == "incoming"
    lot_ids = {} if incoming else await _lot_ids(client, plan.lots, picking.name)
    lot_field: Literal["lot_id", "lot_name"] = "lot_name" if incoming else "lot_id"
    vals = plan.picking_vals(fields, lot_field=lot_field, lot_ids=lot_ids)
    if vals:
        await client.write(PICKING, [picking.id], vals)


async def _lot_ids(
    client: OdooOperations, lots: frozenset[LotKey], transfer: str
) -> dict[LotKey, int]:
    if not lots:
        return {}
    products = sorted({product for product, _ in lots})
    names = sorted({name for _, name in lots})
    rows = await client.search_read(
        "stock.lot", [("product_id", "in", products), ("name", "in", names)], ["name", "product_id"]
    )
    found: dict[LotKey, int] = {}
    for row in rows:
        product = many2one_id(row.get("product_id")) or 0
        found.setdefault((product, str(row["name"])), int(row["id"]))
    if missing := sorted(lots - found.keys()):
        listed = ", ".join(f"{name!r} of product {product}" for product, name in missing)
        raise ActionRefused(f"{transfer}: no such lot in Odoo: {listed}")
    return found


def _backorder_context(picking_id: int, policy: BackorderPolicy) -> Context:
    """What the backorder wizard's buttons would pass to `button_validate` (module docstring)."""
    if policy == "cancel":
        return {"skip_backorder": True, "picking_ids_not_to_backorder": [picking_id]}
    return {"skip_backorder": True}


def _wizard_model(answer: Any) -> str | None:
    if isinstance(answer, Mapping) and answer.get("res_model") in (
        BACKORDER_WIZARD,
        IMMEDIATE_WIZARD,
    ):
        return str(answer["res_model"])
    return None


def _wizard_button(wizard: str, policy: BackorderPolicy) -> str:
    if wizard == BACKORDER_WIZARD and policy == "cancel":
        return "process_cancel_backorder"
    return "process"


def _describe(answer: Any) -> str:
    if isinstance(answer, Mapping):
        what = answer.get("res_model") or answer.get("tag") or answer.get("type")
        return f"{what!r} ({answer.get('name') or 'an action'})"
    return repr(answer)


def _already_done(picking: _Picking, policy: BackorderPolicy) -> PickingValidation:
    return PickingValidation(
        picking_id=picking.id,
        name=picking.name,
        state=picking.state,
        policy=policy,
        backorder_id=min(picking.backorder_ids, default=None),
        already_done=True,
    )


def _result(
    final: _Picking,
    before: _Picking,
    plan: ShipmentPlan,
    policy: BackorderPolicy,
    wizards: tuple[str, ...],
) -> PickingValidation:
    created = sorted(set(final.backorder_ids) - set(before.backorder_ids))
    return PickingValidation(
        picking_id=final.id,
        name=final.name,
        state=final.state,
        policy=policy,
        backorder_id=created[0] if created else None,
        shipped=plan.shipped,
        short=plan.short,
        wizards=wizards,
    )
