"""SIGKILL the server mid-burst: every acknowledged message is stored once and handled once."""

from __future__ import annotations

import asyncio
import random
import time
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text

from crossdock.sandbox import generic_partner as sim
from crossdock.store.engine import Store
from tests.support.factories import PARTNER, partner_secret
from tests.support.processes import free_port, kill_hard, start, stop, wait_healthy, write_config

pytestmark = pytest.mark.slow

MILESTONE = "crossdock.shipment.milestone_recorded.v1"
STATUS_CHANGED = "crossdock.shipment.status_changed.v1"
TOTAL = 2_400
SENDERS = 32
KILL_AFTER = 800


async def send_until_accepted(
    client: httpx.AsyncClient,
    secret: str,
    index: int,
    body: bytes,
    accepted: dict[int, str],
    deadline: float,
) -> None:
    """A partner that retries with the same message id until it gets its 202."""
    while time.monotonic() < deadline:
        headers = sim.signed_headers(secret, body, f"msg_crash_{index}")
        try:
            response = await client.post(f"/webhooks/{PARTNER}", content=body, headers=headers)
        except httpx.TransportError:
            await asyncio.sleep(0.05)
            continue
        if response.status_code == 202:
            accepted[index] = response.json()["message_id"]
            return
        assert response.status_code >= 500, response.text
        await asyncio.sleep(0.05)
    raise AssertionError(f"message {index} never accepted")


def test_sigkill_mid_burst_loses_nothing_and_applies_nothing_twice(
    db_url: str, tmp_path: Path
) -> None:
    secret, secret_ref = partner_secret(tmp_path)
    port = free_port()
    config = write_config(
        tmp_path / "crossdock.yaml",
        {
            "database": {"url": db_url},
            "server": {"port": port},
            "partners": [{"id": PARTNER, "kind": "generic", "secrets": [secret_ref]}],
            "workers": {"concurrency": 8, "lease": "PT3S", "reclaim_interval": "PT1S"},
            "logging": {"level": "warning"},
        },
    )
    rng = random.Random(11)
    bodies = [sim.encode(sim.sample_event(i, rng)) for i in range(TOTAL)]
    accepted: dict[int, str] = {}
    accepted_before_kill: dict[int, str] = {}
    servers = [start(["serve", "--config", str(config)], tmp_path / "serve1.log")]
    wait_healthy(port, servers[0])

    async def burst() -> None:
        queue: asyncio.Queue[int] = asyncio.Queue()
        for index in range(TOTAL):
            queue.put_nowait(index)
        deadline = time.monotonic() + 240
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=10) as client:

            async def sender() -> None:
                while not queue.empty():
                    index = queue.get_nowait()
                    await send_until_accepted(
                        client, secret, index, bodies[index], accepted, deadline
                    )

            async def killer() -> None:
                while len(accepted) < KILL_AFTER:
                    await asyncio.sleep(0.005)
                accepted_before_kill.update(accepted)
                await asyncio.to_thread(kill_hard, servers[0])
                await asyncio.sleep(0.5)
                servers.append(start(["serve", "--config", str(config)], tmp_path / "serve2.log"))
                await asyncio.to_thread(wait_healthy, port, servers[-1])

            await asyncio.gather(killer(), *(sender() for _ in range(SENDERS)))

    try:
        asyncio.run(burst())
        store = Store.from_url(db_url)
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            with store.engine.connect() as conn:
                open_jobs = conn.execute(
                    text("SELECT count(*) FROM jobs WHERE status IN ('queued','running','waiting')")
                ).scalar()
            if open_jobs == 0:
                break
            time.sleep(0.3)
    finally:
        for server in servers:
            stop(server)

    assert len(accepted) == TOTAL
    assert len(accepted_before_kill) >= KILL_AFTER
    with store.engine.connect() as conn:
        stored = dict(
            conn.execute(
                text("SELECT dedup_key, id FROM messages WHERE partner = :p"), {"p": PARTNER}
            ).all()
        )
        events_per_message = conn.execute(
            text(
                "SELECT message_id, count(*) FROM events WHERE type <> :changed GROUP BY message_id"
            ),
            {"changed": STATUS_CHANGED},
        ).all()
        by_type = dict(conn.execute(text("SELECT type, count(*) FROM events GROUP BY type")).all())
        jobs = dict(conn.execute(text("SELECT status, count(*) FROM jobs GROUP BY status")).all())
        translate_jobs = conn.execute(
            text(
                "SELECT count(*), count(DISTINCT message_id) FROM jobs "
                "WHERE job_type = 'pipeline.translate'"
            )
        ).one()
        applied = conn.execute(text("SELECT sum(events_applied) FROM entity_states")).scalar()
        statuses = dict(
            conn.execute(text("SELECT status, count(*) FROM messages GROUP BY status")).all()
        )
    store.dispose()
    # Stored exactly once: one row per partner message id, and the id we answered is the id kept.
    assert len(stored) == TOTAL
    for index, message_id in accepted.items():
        assert stored[f"msg_crash_{index}"] == message_id
    # Handled exactly once: one translation, one event per message, each event applied once.
    assert translate_jobs == (TOTAL, TOTAL)
    assert len(events_per_message) == TOTAL
    assert {count for _message, count in events_per_message} == {1}
    # Derived events: a status change per milestone that moved its parcel, recorded once.
    milestones, changes = by_type.get(MILESTONE, 0), by_type.get(STATUS_CHANGED, 0)
    created = by_type.get("crossdock.shipment.created.v1", 0)
    assert 0 < changes <= milestones
    # translate + the board (non-milestone events) + the tracking flow (milestones, and
    # shipments that register their parcels; it updates the board for status changes)
    assert jobs == {"done": TOTAL + (TOTAL - milestones) + milestones + created}
    assert applied == TOTAL - milestones + changes
    assert statuses == {"translated": TOTAL}
