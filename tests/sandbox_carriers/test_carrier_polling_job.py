"""The `carrier.poll:<partner>` job end to end, on SQLite and PostgreSQL: due shipments are
fetched from the (simulated) provider within the rate budget, stored in the inbox in the
provider's webhook shape and translated into milestone events; not-due, closed and other
carriers' rows are left alone, rows past max_age are given up, throttling ends a run early."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select

from crossdock.canonical.event_types import SHIPMENT_MILESTONE_RECORDED_V1
from crossdock.clock import FrozenClock
from crossdock.config import PartnerConfig
from crossdock.connectors.carriers import polling
from crossdock.connectors.carriers.settings import PollingSettings
from crossdock.runtime import Runtime
from crossdock.sandbox.carriers.api import TrackingBook, build_app
from crossdock.sandbox.carriers.scenario import build
from crossdock.store import events
from crossdock.store.schema import jobs, messages, shipment_tracking
from tests.sandbox_carriers.conftest import START
from tests.support.factories import make_config, make_runtime
from tests.support.server import serving

PARTNER = "easypost"
KEY = "sk-test-poll-7"
NOW = START + timedelta(days=3)


def _partner(tmp_path: Path, url: str, **polling_settings: Any) -> PartnerConfig:
    secret = tmp_path / "webhook.secret"
    secret.write_text("whsec-easypost-poll\n", encoding="utf-8")
    key = tmp_path / "api.key"
    key.write_text(KEY + "\n", encoding="utf-8")
    return PartnerConfig(
        id=PARTNER,
        kind="easypost",
        secrets=[f"file:{secret}"],
        settings={
            "api": {"base_url": url, "api_key": f"file:{key}"},
            "polling": {"enabled": True, "carriers": ["usps"], **polling_settings},
        },
    )


def _row(number: str, next_poll_at: datetime | None, carrier: str = "usps", **kw: Any) -> dict:
    return {
        "tracking_number": number,
        "carrier_code": carrier,
        "events_applied": 0,
        "late_events": 0,
        "registered_at": kw.get("registered_at", NOW - timedelta(days=2)),
        "next_poll_at": next_poll_at,
        "polls": 0,
        "updated_at": NOW - timedelta(days=2),
    }


def _rows(runtime: Runtime) -> dict[str, Any]:
    with runtime.store.engine.connect() as conn:
        return {row.tracking_number: row for row in conn.execute(select(shipment_tracking))}


def _poll_jobs(runtime: Runtime) -> list[Any]:
    query = (
        select(jobs.c.status, jobs.c.run_at, jobs.c.lane_key)
        .where(jobs.c.job_type == polling.job_type(PARTNER))
        .order_by(jobs.c.id)
    )
    with runtime.store.engine.connect() as conn:
        return list(conn.execute(query))


async def test_poll_job_end_to_end(db_url: str, tmp_path: Path) -> None:
    first = build("delivered", "9400111899223197400001", "usps", START)
    second = build("exception", "9400111899223197400002", "usps", START)
    third = build("delivered", "9400111899223197400003", "usps", START)
    book = TrackingBook()
    book.add(first, visible=4)
    book.add(second)
    book.add(third)
    api = build_app(book, KEY)
    clock = FrozenClock(NOW)
    async with serving(api) as url:
        # Budget: 2 a minute, a run a minute → 2 shipments per run.
        partner = _partner(tmp_path, url, max_per_minute=2, interval="PT30M", max_age="P30D")
        runtime = make_runtime(make_config(db_url, [], partners=[partner]), clock=clock)
        with runtime.store.transaction() as conn:
            conn.execute(
                insert(shipment_tracking),
                [
                    _row(first.tracking_number, NOW - timedelta(hours=3)),
                    _row("9400100000000000000404", NOW - timedelta(hours=2)),  # unknown
                    _row(second.tracking_number, NOW - timedelta(hours=1)),
                    _row(third.tracking_number, NOW - timedelta(minutes=1)),
                    _row("9400100000000000000999", NOW + timedelta(minutes=10)),  # not due
                    _row("9400100000000000000888", None),  # delivered: closed
                    _row("1Z999AA10123456784", NOW - timedelta(hours=5), carrier="ups"),
                    _row(
                        "9400100000000000000777",
                        NOW - timedelta(hours=4),
                        registered_at=NOW - timedelta(days=31),
                    ),
                ],
            )
        assert runtime.schedule_startup_jobs() == 1
        assert runtime.schedule_startup_jobs() == 0  # a second process schedules nothing new

        worker = runtime.worker()
        await worker.run_until_idle()  # the first run, and the translation of what it stored
        rows = _rows(runtime)
        polled_at = NOW + timedelta(minutes=30)
        # The two most overdue usps rows: one known, one the provider has never heard of.
        assert rows[first.tracking_number].polls == 1
        # (Applying the polled milestones may push it further: what is heard wins.)
        assert rows[first.tracking_number].next_poll_at >= polled_at
        assert rows["9400100000000000000404"].polls == 1
        assert rows["9400100000000000000404"].next_poll_at == polled_at
        # Over budget this run: still due, untouched.
        for number in (second.tracking_number, third.tracking_number):
            assert rows[number].polls == 0
            assert rows[number].next_poll_at < NOW
        assert rows["9400100000000000000999"].polls == 0
        assert rows["9400100000000000000888"].next_poll_at is None
        assert rows["1Z999AA10123456784"].polls == 0
        assert rows["1Z999AA10123456784"].next_poll_at == NOW - timedelta(hours=5)
        # Past max_age: given up, never asked.
        assert rows["9400100000000000000777"].next_poll_at is None
        assert rows["9400100000000000000777"].polls == 0
        assert api.state.requests["easypost"] == 2

        stored = runtime.inbox.list(partner=PARTNER)
        assert len(stored) == 1
        assert stored[0].headers["x-crossdock-source"] == "carrier.poll"
        assert stored[0].dedup_key.startswith("poll:sha256:")

        # The next run is scheduled on the partner's lane at the next slot, once.
        scheduled = _poll_jobs(runtime)
        assert [job.status for job in scheduled] == ["done", "queued"]
        assert {job.lane_key for job in scheduled} == {polling.job_type(PARTNER)}
        assert scheduled[1].run_at == polling.slot_start(
            NOW + timedelta(minutes=1), timedelta(minutes=1)
        )

        # Translation turned the polled answer into milestone events, like a webhook.
        recorded = events.for_message(runtime.store, stored[0].id)
        mine = [
            e
            for e in recorded
            if e.subject == first.tracking_number and e.type == SHIPMENT_MILESTONE_RECORDED_V1
        ]
        assert sorted(e.data["milestone"] for e in mine) == sorted(
            ["info_received", "picked_up", "in_transit", "in_transit"]
        )

        # A minute later the next run takes the next two; nothing is asked twice.
        clock.advance(timedelta(minutes=1))
        await worker.run_until_idle()
        rows = _rows(runtime)
        assert rows[second.tracking_number].polls == 1
        assert rows[third.tracking_number].polls == 1
        assert api.state.requests["easypost"] == 4

        # When they are due again, unchanged answers add no message.
        stored_before = {m.id for m in runtime.inbox.list(partner=PARTNER, limit=100)}
        clock.set(_rows(runtime)[first.tracking_number].next_poll_at + timedelta(minutes=1))
        await worker.run_until_idle()
        with runtime.store.engine.connect() as conn:
            bodies = conn.execute(select(messages.c.id).where(messages.c.partner == PARTNER)).all()
        assert {row.id for row in bodies} == stored_before
        assert api.state.requests["easypost"] == 6
        assert sum(row.polls for row in _rows(runtime).values()) == 6
        assert runtime.queue.dead_jobs() == []
        runtime.store.dispose()


async def test_throttled_provider_ends_the_run_early(db_url: str, tmp_path: Path) -> None:
    numbers = [f"94001118992231974100{n:02d}" for n in range(4)]
    book = TrackingBook()
    for number in numbers:
        book.add(build("delivered", number, "usps", START))
    api = build_app(book, KEY, max_per_second=1, clock=lambda: 7.5)
    clock = FrozenClock(NOW)
    async with serving(api) as url:
        partner = _partner(tmp_path, url, max_per_minute=600, concurrency=1)
        runtime = make_runtime(make_config(db_url, [], partners=[partner]), clock=clock)
        with runtime.store.transaction() as conn:
            conn.execute(
                insert(shipment_tracking),
                [_row(n, NOW - timedelta(minutes=10 - i)) for i, n in enumerate(numbers)],
            )
        runtime.schedule_startup_jobs()
        await runtime.worker().run_until_idle(max_jobs=1)
        rows = _rows(runtime)
        assert [rows[n].polls for n in numbers] == [1, 0, 0, 0]
        assert all(rows[n].next_poll_at < NOW for n in numbers[1:])  # still due
        assert api.state.requests["easypost"] == 2  # the answered one and the refused one
        assert len(runtime.inbox.list(partner=PARTNER)) == 1
        assert [job.status for job in _poll_jobs(runtime)] == ["done", "queued"]
        runtime.store.dispose()


def test_next_run_honours_retry_after() -> None:
    settings = PollingSettings(enabled=True, carriers=["usps"], run_every=timedelta(seconds=60))
    at = NOW.replace(second=20)
    assert polling.next_run(settings, at, None) == at.replace(second=0) + timedelta(minutes=1)
    assert polling.next_run(settings, at, 300) == at + timedelta(seconds=300)
    assert settings.per_run() == 60
    half = PollingSettings(max_per_minute=90, run_every=timedelta(seconds=20))
    assert half.per_run() == 30


def test_slot_keys_merge_a_restarted_schedule() -> None:
    settings = PollingSettings(enabled=True, carriers=["usps"])
    chained = polling.poll_job(PARTNER, settings, polling.next_run(settings, NOW, None))
    restarted = polling.poll_job(PARTNER, settings, NOW + timedelta(seconds=61))
    assert chained.idempotency_key == restarted.idempotency_key
