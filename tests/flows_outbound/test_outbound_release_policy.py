"""Release by policy: a delivery still waiting for stock (`confirmed`) is released when the
Odoo partner's `release_when` names that state, once, and not at all by default."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from crossdock.canonical.event_types import FULFILLMENT_REQUESTED_V1, SHIPMENT_CREATED_V1
from crossdock.connectors.odoo.codes import MappingOptions
from crossdock.connectors.odoo.partner import OdooPartnerSettings
from crossdock.errors import ConfigError
from crossdock.flows.outbound import repository
from crossdock.sandbox.wms.stack import Stack, running_stack

ODOO = {"url": "http://127.0.0.1:8069", "database": "odoo", "login": "api", "password": "env:P"}
PRODUCT = 5


def test_release_when_decides_which_outgoing_states_request_fulfillment() -> None:
    default = MappingOptions.from_settings({})
    waiting = MappingOptions.from_settings({"release_when": ["assigned", "confirmed"]})
    assert default.picking_event("outgoing", "assigned") == FULFILLMENT_REQUESTED_V1
    assert default.picking_event("outgoing", "confirmed") is None
    assert waiting.picking_event("outgoing", "confirmed") == FULFILLMENT_REQUESTED_V1
    assert waiting.picking_event("outgoing", "waiting") is None
    assert waiting.picking_event("incoming", "confirmed") is None, "receipts are not released"
    assert waiting.picking_event("outgoing", "done") == SHIPMENT_CREATED_V1


@pytest.mark.parametrize(
    ("states", "message"),
    [
        (["confirmed"], "must include 'assigned'"),
        (["assigned", "draft"], "draft cannot be released"),
        ("assigned", "must be a list"),
    ],
)
def test_a_wrong_release_policy_is_refused_with_the_reason(states: object, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        MappingOptions.from_settings({"release_when": states})


def test_partner_settings_check_the_release_policy() -> None:
    settings = OdooPartnerSettings.model_validate({"odoo": ODOO})
    assert settings.release_when == ["assigned"]
    with pytest.raises(ValidationError, match="release_when") as refused:
        OdooPartnerSettings.model_validate({"odoo": ODOO, "release_when": ["confirmed"]})
    assert "must include 'assigned'" in str(refused.value)
    with pytest.raises(ValidationError, match="release_when"):
        OdooPartnerSettings.model_validate({"odoo": ODOO, "release_when": ["done", "assigned"]})


def _order_without_stock(stack: Stack) -> tuple[int, dict[str, object]]:
    stack.odoo.set_stock(stack.odoo.ref(f"sandbox.product_{PRODUCT:04d}"), 0)
    order, _name = stack.confirm_order([(PRODUCT, 2.0)])
    picking = stack.picking_of(order)
    assert picking["state"] == "confirmed", picking
    return order, picking


def _make_available(stack: Stack, picking: dict[str, object]) -> None:
    stack.odoo.set_stock(stack.odoo.ref(f"sandbox.product_{PRODUCT:04d}"), 10)
    stack.odoo.call("stock.picking", "action_assign", [int(str(picking["id"]))])


async def test_a_waiting_delivery_is_released_once_when_the_policy_says_so(
    db_url: str, tmp_path: Path
) -> None:
    policy = {"release_when": ["assigned", "confirmed"]}
    async with running_stack(db_url, tmp_path, odoo_settings=policy) as stack:
        order, picking = _order_without_stock(stack)
        await stack.settle(execute=False, rounds=3)
        released = stack.fulfillment(str(picking["name"]))
        [wms_order] = stack.warehouse.orders.values()
        _make_available(stack, picking)
        assert stack.picking_of(order)["state"] == "assigned"
        await stack.settle(execute=False, rounds=3)
        after_ready = stack.fulfillment(str(picking["name"]))
        orders_after_ready = len(stack.warehouse.orders)
        receipts = wms_order.received
        await stack.settle()
        final = stack.picking_of(order)
        row = stack.fulfillment(str(picking["name"]))
        exceptions = repository.exceptions(stack.runtime.store)
        dead = stack.runtime.queue.dead_jobs()
    assert released.state == "released"
    assert released.wms_order_id == wms_order.id
    assert orders_after_ready == 1 and receipts == 1, "the move to assigned released nothing"
    assert after_ready.wms_order_id == wms_order.id
    assert final["state"] == "done"
    assert row.state == "shipped"
    assert exceptions == [] and dead == []


async def test_by_default_a_waiting_delivery_waits_for_its_stock(
    sqlite_url: str, tmp_path: Path
) -> None:
    async with running_stack(sqlite_url, tmp_path) as stack:
        _order, picking = _order_without_stock(stack)
        await stack.settle(execute=False, rounds=3)
        before = repository.get(stack.runtime.store, str(picking["name"]))
        orders_before = len(stack.warehouse.orders)
        _make_available(stack, picking)
        await stack.settle(execute=False, rounds=3)
        row = stack.fulfillment(str(picking["name"]))
        orders_after = len(stack.warehouse.orders)
    assert before is None and orders_before == 0
    assert row.state == "released" and orders_after == 1
