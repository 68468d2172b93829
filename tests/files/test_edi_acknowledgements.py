"""Acknowledgement bookkeeping with a supplier over a drop folder: a sent order waits for its
997 and raises one alert when it is overdue; a 997 that rejects it raises another; an
EDIFACT supplier gets CONTRLs and its CONTRL settles an ORDERS."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from crossdock.canonical.asn import AdvanceShipNotice, AsnItem, AsnOrder
from crossdock.canonical.common import Address, Party, Quantity
from crossdock.canonical.event_types import PURCHASE_ORDER_CONFIRMED_V1
from crossdock.canonical.purchase import PurchaseOrder, PurchaseOrderLine
from crossdock.canonical.registry import build_event
from crossdock.clock import FrozenClock
from crossdock.connectors.edi import edifact
from crossdock.connectors.edi.partner import bookkeeping
from crossdock.connectors.edi.partner.envelopes import edifact_interchange
from crossdock.connectors.edi.x12 import AckStatus, FunctionalAck, ack_to_997
from crossdock.connectors.edi.x12.ack997 import SetResponse
from crossdock.runtime import Runtime
from crossdock.store import events
from tests.files.supplier import SUPPLIER, VENDOR, as_supplier, supplier_file, supplier_partner
from tests.support.factories import make_config, make_runtime

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
OVERDUE = "crossdock.interchange.acknowledgement_overdue.v1"
REJECTED = "crossdock.interchange.rejected.v1"


def purchase_order(number: str) -> PurchaseOrder:
    return PurchaseOrder(
        po_number=number,
        vendor=Party(
            name=VENDOR, address=Address(line1="1 Supply Road", city="Dayton", country_code="US")
        ),
        currency="USD",
        ordered_at=T0,
        lines=[
            PurchaseOrderLine(
                line_id="11",
                sku="WIDGET-1",
                quantity=Quantity(value="10", uom="C62"),
                unit_price=Decimal("2.50"),
            )
        ],
    )


def confirm(runtime: Runtime, number: str, now: datetime) -> None:
    """The Odoo connector's event, routed as translation would route it."""
    envelope = build_event(
        PURCHASE_ORDER_CONFIRMED_V1,
        purchase_order(number),
        source="/odoo/odoo-main",
        subject=number,
        lanekey=f"purchase_order:{number}",
        time=now,
    )
    runtime.queue.enqueue(runtime.router.route(envelope, None), now)


def folder(tmp_path: Path) -> tuple[Path, dict[str, Any]]:
    drop = tmp_path / "drop"
    (drop / "inbound").mkdir(parents=True)
    return drop, {"kind": "folder", "root": str(drop), "pickup": {"settle_for": "PT0S"}}


def book(runtime: Runtime) -> list[bookkeeping.Interchange]:
    with runtime.store.engine.connect() as conn:
        return bookkeeping.for_partner(conn, SUPPLIER)


def alerts(runtime: Runtime) -> dict[str, int]:
    counts = events.counts_by_type(runtime.store)
    return {kind: counts.get(kind, 0) for kind in (OVERDUE, REJECTED)}


async def run(runtime: Runtime, clock: FrozenClock, advance: timedelta) -> None:
    clock.advance(advance)
    await runtime.worker().run_until_idle()


async def test_overdue_and_rejected_acknowledgements_raise_one_alert_each(
    db_url: str, tmp_path: Path
) -> None:
    drop, transport = folder(tmp_path)
    partner = supplier_partner(transport)
    clock = FrozenClock(T0)
    runtime = make_runtime(make_config(db_url, [], partners=[partner]), clock)
    runtime.schedule_startup_jobs()
    confirm(runtime, "P00007", T0)
    confirm(runtime, "P00007", T0)  # a second confirmation of the same order: sent once
    await run(runtime, clock, timedelta(0))
    [order_file] = (drop / "outbound").iterdir()
    assert order_file.name == "850-P00007-000000001.x12"
    [sent] = book(runtime)
    assert (sent.ack_status, sent.ack_due_at) == ("pending", T0 + timedelta(hours=1))

    await run(runtime, clock, timedelta(minutes=55))
    assert alerts(runtime) == {OVERDUE: 0, REJECTED: 0}
    await run(runtime, clock, timedelta(minutes=10))
    assert alerts(runtime) == {OVERDUE: 1, REJECTED: 0}
    await run(runtime, clock, timedelta(minutes=10))  # checked again: no second alert
    assert alerts(runtime) == {OVERDUE: 1, REJECTED: 0}
    assert book(runtime)[0].ack_status == "overdue"

    # A second order, and the supplier's 997 rejecting its set (late for the first one).
    confirm(runtime, "P00008", clock.now())
    await run(runtime, clock, timedelta(0))
    rejection = FunctionalAck(
        functional_id="PO",
        group_control="2",
        status=AckStatus.REJECTED,
        included=1,
        received=1,
        accepted=0,
        sets=(SetResponse("850", "0001", AckStatus.REJECTED, codes=("5",)),),
    )
    late_accept = FunctionalAck(
        functional_id="PO",
        group_control="1",
        status=AckStatus.ACCEPTED,
        included=1,
        received=1,
        accepted=1,
    )
    data = supplier_file(
        partner, "997", [ack_to_997(rejection), ack_to_997(late_accept)], 90, clock.now()
    )
    (drop / "inbound" / "997-90.x12").write_bytes(data)
    await run(runtime, clock, timedelta(minutes=1))
    assert alerts(runtime) == {OVERDUE: 1, REJECTED: 1}
    status = {row.document: row.ack_status for row in book(runtime) if row.direction == "out"}
    assert status == {"850 P00007": "accepted", "850 P00008": "rejected"}
    [rejected] = [row for row in book(runtime) if row.document == "850 P00008"]
    assert "set 850 0001: AK5 R 5" in rejected.ack_detail["details"]
    # A file of 997s only is not itself acknowledged.
    assert sorted(p.name for p in (drop / "outbound").iterdir()) == [
        "850-P00007-000000001.x12",
        "850-P00008-000000002.x12",
    ]
    runtime.store.dispose()


async def test_edifact_supplier_gets_orders_and_contrl_and_settles_by_contrl(
    db_url: str, tmp_path: Path
) -> None:
    drop, transport = folder(tmp_path)
    partner = supplier_partner(
        transport,
        standard="edifact",
        version="D96A",
        us={"qualifier": "14", "id": "5412345000013"},
        them={"qualifier": "14", "id": "5798765000002"},
        sets=["ORDERS", "DESADV", "CONTRL"],
    )
    clock = FrozenClock(T0)
    runtime = make_runtime(make_config(db_url, [], partners=[partner]), clock)
    runtime.schedule_startup_jobs()
    confirm(runtime, "P00009", T0)
    await run(runtime, clock, timedelta(0))
    [order_file] = (drop / "outbound").iterdir()
    assert order_file.name == "ORDERS-P00009-000000001.edi"
    [interchange] = edifact.read_edifact(order_file.read_bytes())
    [message] = interchange.accepted
    assert edifact.purchase_order_from_orders(message).po_number == "P00009"

    # The supplier acknowledges with CONTRL, and sends a DESADV we must answer.
    contrl = edifact.build_contrl(interchange, reference="SUP0001", prepared=clock.now())
    (drop / "inbound" / "contrl.edi").write_text(contrl, encoding="latin-1")
    notice = edifact.ship_notice_to_desadv(_notice())
    desadv = edifact_interchange(as_supplier(partner), "DESADV", notice, 41, clock.now())
    (drop / "inbound" / "desadv.edi").write_bytes(desadv)
    await run(runtime, clock, timedelta(minutes=1))

    status = {row.document: row.ack_status for row in book(runtime) if row.direction == "out"}
    assert status["ORDERS P00009"] == "accepted"
    replies = [p for p in (drop / "outbound").iterdir() if p.name.startswith("CONTRL-")]
    [reply] = replies  # the CONTRL file itself is not answered
    [answered] = edifact.read_edifact(reply.read_bytes())
    [uci] = [s for s in answered.accepted[0].segments if s.tag == "UCI"]
    assert (uci.value(1), uci.value(4)) == ("000000041", "7")
    runtime.store.dispose()


def _notice() -> AdvanceShipNotice:
    return AdvanceShipNotice(
        asn_id="DES-1",
        issued_on=date(2026, 3, 2),
        orders=[
            AsnOrder(
                purchase_order_reference="P00009",
                items=[AsnItem(sku="WIDGET-1", quantity=Quantity(value="10", uom="C62"))],
            )
        ],
    )
