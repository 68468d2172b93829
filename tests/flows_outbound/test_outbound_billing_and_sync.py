"""Invoicing policies (on ship, on delivery, on proof of delivery) and sync modes (real time,
micro-batch, scheduled), end to end over real HTTP."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from crossdock.clock import FrozenClock
from crossdock.flows.outbound import repository
from crossdock.flows.outbound.flow import STEP_JOB
from crossdock.sandbox.odoo.seed import CUSTOMERS
from crossdock.sandbox.wms.stack import Stack, running_stack
from crossdock.store.jobs import JobSpec


def invoices(stack: Stack, order: int) -> list[int]:
    return list(stack.odoo.record("sale.order", order)["invoice_ids"])


async def test_each_invoicing_policy_and_never_twice(sqlite_url: str, tmp_path: Path) -> None:
    on_ship, on_delivery, on_proof = (CUSTOMERS[i][0] for i in range(3))
    outbound = {
        "invoicing": "never",
        "invoicing_by_customer": {
            on_ship: "on_ship",
            on_delivery: "on_delivery",
            on_proof: "on_proof_of_delivery",
        },
    }
    async with running_stack(sqlite_url, tmp_path, outbound=outbound) as stack:
        ship_order, _ = stack.confirm_order([(15, 1.0)], customer=1)
        delivery_order, _ = stack.confirm_order([(16, 1.0)], customer=2)
        proof_order, _ = stack.confirm_order([(17, 1.0)], customer=3)
        await stack.settle(rounds=3)
        after_ship = {o: invoices(stack, o) for o in (ship_order, delivery_order, proof_order)}
        names = {o: stack.picking_of(o)["name"] for o in (ship_order, delivery_order, proof_order)}
        tracking = {o: stack.fulfillment(names[o]).tracking_numbers[0] for o in names}
        # Delivered, but the carrier gave no proof for the third parcel yet.
        for o in (ship_order, delivery_order):
            assert await stack.deliver(tracking[o]) == 202
        assert await stack.deliver(tracking[proof_order], proof=False) == 202
        await stack.settle(execute=False, rounds=2)
        after_delivery = {o: invoices(stack, o) for o in names}
        states = {o: stack.fulfillment(names[o]).state for o in names}
        # The invoice step run again (a crash after Odoo answered, a replay): nothing new.
        flow_row = stack.fulfillment(names[ship_order])
        with stack.runtime.store.transaction() as conn:
            repository.save(conn, flow_row.changed(state="awaiting_invoice"), new=False)
        stack.runtime.queue.enqueue(
            [
                JobSpec(
                    job_type=STEP_JOB,
                    idempotency_key="invoice-again",
                    payload={"step": "invoice", "fulfillment_id": names[ship_order]},
                    lane_key=f"picking:{names[ship_order]}",
                )
            ],
            stack.clock.now(),
        )
        await stack.runtime.worker().run_until_idle()
        again = stack.fulfillment(names[ship_order])
        after_replay = invoices(stack, ship_order)
        dead = stack.runtime.queue.dead_jobs()
    assert dead == []
    assert (len(after_ship[ship_order]), after_ship[delivery_order], after_ship[proof_order]) == (
        1,
        [],
        [],
    )
    assert len(after_delivery[ship_order]) == 1, "invoiced on ship, not again on delivery"
    assert len(after_delivery[delivery_order]) == 1
    assert after_delivery[proof_order] == [], "delivered without proof: not billable yet"
    assert states == {ship_order: "invoiced", delivery_order: "invoiced", proof_order: "delivered"}
    assert again.state == "invoiced"
    assert after_replay == after_delivery[ship_order]


async def test_proof_of_delivery_makes_the_order_billable(sqlite_url: str, tmp_path: Path) -> None:
    outbound = {"invoicing": "on_proof_of_delivery"}
    async with running_stack(sqlite_url, tmp_path, outbound=outbound) as stack:
        order, _ = stack.confirm_order([(18, 2.0)])
        await stack.settle(rounds=3)
        row = stack.fulfillment(stack.picking_of(order)["name"])
        assert await stack.deliver(row.tracking_numbers[0], proof=True) == 202
        await stack.settle(execute=False, rounds=2)
        row = stack.fulfillment(row.fulfillment_id)
        billed = invoices(stack, order)
    assert row.state == "invoiced"
    assert row.proof_of_delivery == 1
    assert billed == row.invoice_ids and len(billed) == 1


async def test_micro_batch_releases_at_most_max_batch_per_interval(
    sqlite_url: str, tmp_path: Path
) -> None:
    start = datetime.now(UTC).replace(minute=5, second=0, microsecond=0)
    outbound = {"sync": {"release": {"mode": "micro_batch", "interval": "PT1H", "max_batch": 2}}}
    clock = FrozenClock(start)
    async with running_stack(sqlite_url, tmp_path, outbound=outbound, clock=clock) as stack:
        for product in (19, 20, 21):
            stack.confirm_order([(product, 1.0)])
        await stack.settle(execute=False, rounds=2)
        before = len(stack.warehouse.orders)
        clock.set(start.replace(minute=0) + timedelta(hours=1))
        await stack.settle(execute=False, rounds=1)
        first_batch = len(stack.warehouse.orders)
        clock.set(start.replace(minute=0) + timedelta(hours=2))
        await stack.settle(execute=False, rounds=1)
        second_batch = len(stack.warehouse.orders)
        states = sorted(row.state for row in repository.all_rows(stack.runtime.store))
    assert (before, first_batch, second_batch) == (0, 2, 3)
    assert states == ["released"] * 3


async def test_scheduled_release_and_invoicing_wait_for_their_cron(
    sqlite_url: str, tmp_path: Path
) -> None:
    start = (datetime.now(UTC) + timedelta(days=1)).replace(
        hour=1, minute=50, second=0, microsecond=0
    )
    outbound = {
        "invoicing": "on_ship",
        "sync": {
            "release": {"mode": "scheduled", "cron": "0 2 * * *"},
            "invoice": {"mode": "scheduled", "cron": "30 2 * * *"},
        },
    }
    clock = FrozenClock(start)
    async with running_stack(sqlite_url, tmp_path, outbound=outbound, clock=clock) as stack:
        order, _ = stack.confirm_order([(22, 1.0)])
        await stack.settle(rounds=2)
        before = len(stack.warehouse.orders)
        clock.set(start.replace(hour=2, minute=0))
        await stack.settle(rounds=2)
        shipped = stack.fulfillment(stack.picking_of(order)["name"])
        uninvoiced = invoices(stack, order)
        clock.set(start.replace(hour=2, minute=30))
        await stack.settle(execute=False, rounds=1)
        invoiced = stack.fulfillment(shipped.fulfillment_id)
        billed = invoices(stack, order)
    assert before == 0
    assert shipped.state == "awaiting_invoice"
    assert uninvoiced == []
    assert invoiced.state == "invoiced"
    assert len(billed) == 1
