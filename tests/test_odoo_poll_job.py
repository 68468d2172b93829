"""The odoo.poll job against the Odoo sandbox: changes land in the inbox once, the cursor moves
with them, and the next poll is scheduled on the model's lane."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from crossdock.clock import FrozenClock, SystemClock
from crossdock.connectors.odoo.poll_job import (
    POLL_JOB,
    cursor_name,
    make_poll_handler,
    startup_jobs,
)
from crossdock.connectors.odoo.pool import OdooClients
from crossdock.pipeline.registry import JobRegistry
from crossdock.pipeline.translate import translate_job_factory
from crossdock.pipeline.worker import Worker
from crossdock.sandbox.odoo.server import build_app
from crossdock.store import cursors
from crossdock.store.schema import jobs
from tests.support.factories import make_config, make_runtime
from tests.support.odoo import PARTNER, odoo_partner
from tests.support.server import serving


async def test_poll_reads_changes_once_and_moves_the_cursor(db_url: str, tmp_path: Path) -> None:
    app = build_app(version=18)
    odoo = app.state.odoo
    clock = FrozenClock(SystemClock().now())
    clients = OdooClients()
    async with serving(app) as url:
        partner = odoo_partner(
            url, tmp_path, [{"model": "stock.picking", "fields": ["name", "state"], "interval": 60}]
        )
        runtime = make_runtime(make_config(db_url, [], partners=[partner]), clock=clock)
        registry = JobRegistry()
        registry.register(
            POLL_JOB,
            make_poll_handler(
                runtime.inbox,
                runtime.partners.config,
                translate_job_factory(runtime.partners),
                clients,
            ),
        )
        worker = Worker(runtime.queue, registry, clock)
        runtime.queue.enqueue(startup_jobs(partner, clock.now()), clock.now())
        await worker.run_until_idle()

        pickings = odoo.records("stock.picking", [], ["name", "state", "write_date"])
        first = runtime.inbox.list(partner=PARTNER, limit=1000)
        assert len(first) == len(pickings) > 0
        assert {json.loads(m.body)["_model"] for m in first} == {"stock.picking"}
        with runtime.store.engine.connect() as conn:
            position = cursors.read(conn, cursor_name(PARTNER, "stock.picking"))
        assert position == {"write_date": max(p["write_date"] for p in pickings)}

        # A user changes one picking; the next poll (one interval later) brings only that.
        odoo.simulate_user_change("stock.picking", pickings[0]["id"], {"state": "cancel"})
        clock.advance(timedelta(seconds=61))
        await worker.run_until_idle()
        second = runtime.inbox.list(partner=PARTNER, limit=1000)
        new = [m for m in second if m.id not in {f.id for f in first}]
        assert [(json.loads(m.body)["_id"], json.loads(m.body)["state"]) for m in new] == [
            (pickings[0]["id"], "cancel")
        ]

        # Nothing changed: the overlap re-reads, the inbox deduplicates, nothing new lands.
        clock.advance(timedelta(seconds=61))
        await worker.run_until_idle()
        assert len(runtime.inbox.list(partner=PARTNER, limit=1000)) == len(second)

        with runtime.store.engine.connect() as conn:
            polls = conn.execute(
                select(jobs.c.status).where(jobs.c.job_type == POLL_JOB).order_by(jobs.c.id)
            ).all()
            translations = conn.execute(
                select(jobs.c.id).where(jobs.c.job_type == "pipeline.translate")
            ).all()
        assert [row.status for row in polls] == ["done", "done", "done", "queued"]
        assert len(translations) == len(second)
    await clients.aclose()
    runtime.store.dispose()
