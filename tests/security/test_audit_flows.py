"""Status changes decided by the flows land in the audit chain, with before and after."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

from crossdock.canonical.envelope import Envelope
from crossdock.clock import FrozenClock
from crossdock.flows import status_board
from crossdock.runtime import Runtime
from crossdock.security.audit_verify import verify
from crossdock.security.config_audit import record_at_start
from crossdock.store import audit
from support.factories import make_config, make_runtime
from support.tracking import scan

T0 = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
TRACKING = "1Z999AA10123456784"


async def deliver(runtime: Runtime, *envelopes: Envelope) -> None:
    for envelope in envelopes:
        runtime.queue.enqueue(runtime.router.route(envelope, None), runtime.clock.now())
        await runtime.worker().run_until_idle()


def changes(runtime: Runtime) -> list[tuple[str, object, object]]:
    with runtime.store.engine.connect() as conn:
        return [
            (entry.target, entry.before, entry.after)
            for entry in audit.entries(conn, action="status.changed")
        ]


async def test_tracking_status_changes_are_audited_and_the_chain_verifies(db_url: str) -> None:
    runtime = make_runtime(make_config(db_url, []), clock=FrozenClock(NOW))
    try:
        await deliver(
            runtime,
            scan(TRACKING, "picked_up", T0, 0),
            scan(TRACKING, "out_for_delivery", T0, 20),
            scan(TRACKING, "in_transit", T0, 5),  # late: no status change, no entry
            scan(TRACKING, "delivered", T0, 22),
        )
        lane = f"shipment:{TRACKING}"
        assert changes(runtime) == [
            (lane, None, {"status": "picked_up"}),
            (lane, {"status": "picked_up"}, {"status": "out_for_delivery"}),
            (lane, {"status": "out_for_delivery"}, {"status": "delivered"}),
        ]
        with runtime.store.engine.connect() as conn:
            entries = audit.entries(conn, action="status.changed")
            assert {entry.actor for entry in entries} == {status_board.AUDIT_ACTOR}
            assert entries[0].details["partner"] == "carrier"
            assert verify(conn).ok
    finally:
        runtime.store.dispose()


def _event(event_type: str, subject: str, hour: int) -> Envelope:
    return Envelope(
        id=f"{subject}-{hour}",
        source="/tests",
        type=event_type,
        subject=subject,
        time=T0.replace(hour=hour),
        data={},
        schemaversion=1,
    )


def test_orders_and_purchase_orders_are_audited_inventory_is_not(db_url: str) -> None:
    runtime = make_runtime(make_config(db_url, []), clock=FrozenClock(NOW))
    try:
        with runtime.store.transaction() as conn:
            status_board.apply(conn, _event("crossdock.order.confirmed.v1", "SO042", 9), NOW)
            status_board.apply(conn, _event("crossdock.order.cancelled.v1", "SO042", 10), NOW)
            # An older event does not move the board, so it is not a change either.
            status_board.apply(conn, _event("crossdock.order.confirmed.v1", "SO042", 8), NOW)
            status_board.apply(conn, _event("crossdock.purchase_order.confirmed.v1", "PO7", 9), NOW)
            status_board.apply(
                conn, _event("crossdock.inventory.balance_reported.v1", "WH/A", 9), NOW
            )
        assert changes(runtime) == [
            ("order:SO042", None, {"status": "confirmed"}),
            ("order:SO042", {"status": "confirmed"}, {"status": "cancelled"}),
            ("purchase_order:PO7", None, {"status": "confirmed"}),
        ]
    finally:
        runtime.store.dispose()


def test_a_config_change_is_recorded_once_with_what_moved(db_url: str) -> None:
    runtime = make_runtime(make_config(db_url, []), clock=FrozenClock(NOW))
    try:
        config = runtime.config
        assert record_at_start(runtime.store, config, now=NOW, actor="cli:ops")
        assert not record_at_start(runtime.store, config, now=NOW, actor="cli:ops")
        changed = config.model_copy(
            update={"logging": config.logging.model_copy(update={"level": "debug"})}
        )
        starts = [
            threading.Thread(
                target=record_at_start,
                args=(runtime.store, changed),
                kwargs={"now": NOW, "actor": f"cli:w{n}"},
            )
            for n in range(4)
        ]
        for thread in starts:
            thread.start()
        for thread in starts:
            thread.join()
        with runtime.store.engine.connect() as conn:
            first, second = audit.entries(conn, action="config.changed")
            assert verify(conn).ok
        assert first.details["first"] is True
        assert second.details["changed"] == ["logging.level"]
        assert second.before is not None
        assert second.before["values"] == {"logging.level": "warning"}
        assert second.after["settings"]["logging.level"] == "debug"
    finally:
        runtime.store.dispose()
