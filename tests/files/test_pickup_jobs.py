"""Pickup over a real SFTP server: only settled files are taken, a file is stored before it
is archived and answered, a repeated interchange is one message with the same 997, and a file
claimed by a poll that died is finished by the next one."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from crossdock.canonical.asn import AdvanceShipNotice, AsnItem, AsnOrder
from crossdock.canonical.common import Quantity
from crossdock.clock import FrozenClock
from crossdock.connectors.edi.partner import bookkeeping
from crossdock.connectors.edi.x12 import TransactionSet, ack_from_997, read_x12, ship_notice_to_856
from crossdock.runtime import Runtime
from crossdock.store import events
from crossdock.store.schema import messages
from tests.files.sftp_server import sftp_server
from tests.files.supplier import SUPPLIER, supplier_file, supplier_partner
from tests.support.factories import make_config, make_runtime

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
STEP = timedelta(seconds=10)


def notice(asn_id: str = "ASN-1") -> AdvanceShipNotice:
    return AdvanceShipNotice(
        asn_id=asn_id,
        issued_on=date(2026, 3, 1),
        orders=[
            AsnOrder(
                purchase_order_reference="P00042",
                items=[AsnItem(sku="WIDGET-1", quantity=Quantity(value="5", uom="C62"))],
            )
        ],
    )


async def run(runtime: Runtime, clock: FrozenClock, advance: timedelta = STEP) -> None:
    clock.advance(advance)
    await runtime.worker().run_until_idle()


def stored(runtime: Runtime) -> list[str]:
    with runtime.store.engine.connect() as conn:
        return list(conn.execute(select(messages.c.id).order_by(messages.c.id)).scalars())


async def test_settled_files_are_stored_archived_answered_and_repeats_fold(
    db_url: str, tmp_path: Path
) -> None:
    async with sftp_server(tmp_path) as account:
        partner = supplier_partner(account.transport())
        clock = FrozenClock(T0)
        runtime = make_runtime(make_config(db_url, [], partners=[partner]), clock)
        runtime.schedule_startup_jobs()
        body = supplier_file(partner, "856", [ship_notice_to_856(notice())], 7001, T0)
        inbound = account.home / "inbound"
        (inbound / "asn-1.x12").write_bytes(body[:40])  # still uploading
        await run(runtime, clock, timedelta(0))
        (inbound / "asn-1.x12").write_bytes(body)  # grew since the last listing: not yet
        await run(runtime, clock)
        assert stored(runtime) == []
        assert (inbound / "asn-1.x12").exists()

        await run(runtime, clock)  # unchanged for a whole settle period: taken
        [message_id] = stored(runtime)
        assert not (inbound / "asn-1.x12").exists()
        [archived] = (account.home / "archive").iterdir()
        assert archived.read_bytes() == body and archived.name.endswith("-asn-1.x12")
        [reply_file] = (account.home / "outbound").iterdir()
        first_reply = reply_file.read_bytes()
        [ack] = [ack_from_997(i) for i in read_x12(first_reply) if isinstance(i, TransactionSet)]
        assert (ack.functional_id, ack.group_control, ack.status.value) == ("SH", "7001", "A")
        assert b"ISA*00*          *00*          *ZZ*CROSSDOCK      *ZZ*ACMESUPPLY" in first_reply
        [event] = events.for_message(runtime.store, message_id)
        assert event.type == "crossdock.ship_notice.received.v1"
        assert event.lanekey == "purchase_order:P00042"

        # The supplier sends the same interchange again under another name.
        (inbound / "asn-1-resend.x12").write_bytes(body)
        await run(runtime, clock)
        await run(runtime, clock)
        assert stored(runtime) == [message_id]
        assert len(list((account.home / "archive").iterdir())) == 2
        assert [p.read_bytes() for p in (account.home / "outbound").iterdir()] == [first_reply]
        with runtime.store.engine.connect() as conn:
            book = bookkeeping.for_partner(conn, SUPPLIER)
        assert [(row.direction, row.control_number) for row in book] == [
            ("in", "000007001"),
            ("out", "000000001"),
        ]
        assert book[0].reply_body == first_reply
        assert runtime.queue.counts().get(("pipeline.translate", "dead"), 0) == 0
        runtime.store.dispose()


async def test_a_file_claimed_by_a_poll_that_died_is_finished_next_time(
    db_url: str, tmp_path: Path
) -> None:
    drop = tmp_path / "drop"
    (drop / "inbound").mkdir(parents=True)
    (drop / ".crossdock-claimed").mkdir()
    transport = {
        "kind": "folder",
        "root": str(drop),
        "pickup": {"settle_for": "PT0S", "max_bytes": 2000},
    }
    partner = supplier_partner(transport)
    body = supplier_file(partner, "856", [ship_notice_to_856(notice("ASN-9"))], 7002, T0)
    assert len(body) < 2000
    (drop / "inbound" / "huge.x12").write_bytes(b"x" * 2001)  # left in the partner's sight
    (drop / ".crossdock-claimed" / "asn-9.x12").write_bytes(body)
    (drop / "inbound" / "not-edi.txt").write_bytes(b"hello")
    clock = FrozenClock(T0)
    runtime = make_runtime(make_config(db_url, [], partners=[partner]), clock)
    runtime.schedule_startup_jobs()
    await run(runtime, clock, timedelta(0))
    assert len(stored(runtime)) == 2
    assert sorted(p.name.split("-", 1)[1] for p in (drop / "archive").iterdir()) == [
        "asn-9.x12",
        "not-edi.txt",
    ]
    assert list((drop / ".crossdock-claimed").iterdir()) == []
    assert [p.name for p in (drop / "inbound").iterdir()] == ["huge.x12"]
    # The text file is kept, visible and failed, never dropped; it gets no reply.
    failed = runtime.inbox.list(status="failed")
    assert [m.headers["x-crossdock-file"] for m in failed] == ["not-edi.txt"]
    assert failed[0].dedup_key.startswith("sha256:")
    assert [p.name for p in (drop / "outbound").iterdir()] == ["997-000000001.x12"]
    runtime.store.dispose()


async def test_a_broken_set_is_rejected_alone_in_the_997_and_the_rest_translated(
    sqlite_url: str, tmp_path: Path
) -> None:
    drop = tmp_path / "drop"
    (drop / "inbound").mkdir(parents=True)
    partner = supplier_partner(
        {"kind": "folder", "root": str(drop), "pickup": {"settle_for": "PT0S"}}
    )
    bodies = [ship_notice_to_856(notice("ASN-A")), ship_notice_to_856(notice("ASN-B"))]
    good = supplier_file(partner, "856", bodies, 7003, T0).decode()
    # The second set's SE01 miscounts its segments.
    head, _, tail = good.rpartition("~SE*")
    count, rest = tail.split("*", 1)
    (drop / "inbound" / "two.x12").write_text(f"{head}~SE*{int(count) + 1}*{rest}")
    clock = FrozenClock(T0)
    runtime = make_runtime(make_config(sqlite_url, [], partners=[partner]), clock)
    runtime.schedule_startup_jobs()
    await run(runtime, clock, timedelta(0))
    [message_id] = stored(runtime)
    [reply] = (drop / "outbound").iterdir()
    [ack] = [ack_from_997(i) for i in read_x12(reply.read_bytes()) if isinstance(i, TransactionSet)]
    assert ack.status.value == "P"
    assert [(s.control_number, s.status.value, s.codes) for s in ack.sets] == [
        ("0001", "A", ()),
        ("0002", "R", ("4",)),
    ]
    [event] = events.for_message(runtime.store, message_id)
    assert event.data["asn_id"] == "ASN-A"
    runtime.store.dispose()
