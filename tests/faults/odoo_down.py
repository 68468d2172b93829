"""Odoo down for the middle third of a burst: the Odoo sandbox as its own process, stopped
and started again on the same data file; tracking milestones wait in Crossdock meanwhile."""

from __future__ import annotations

import asyncio
import re
import subprocess
import time
from collections import Counter
from pathlib import Path

import httpx
from sqlalchemy import text

from crossdock.connectors.odoo.client import OdooClient, make_http_client
from crossdock.connectors.odoo.milestone_notes import REF_LENGTH
from crossdock.connectors.odoo.settings import OdooSettings
from crossdock.sandbox.odoo import ADMIN_LOGIN, ADMIN_PASSWORD, SANDBOX_DB
from crossdock.sandbox.tracking_burst import create_pickings
from tests.faults import harness
from tests.faults.harness import Outcome, Rig
from tests.faults.scenarios import Report, _report
from tests.support.processes import free_port, start, stop

REF = re.compile(rf"ref ([0-9a-f-]{{{REF_LENGTH}}})")
ODOO = "odoo"


class OdooSandbox:
    """`crossdock sandbox odoo` on a data file, so a restart finds what was written before."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None
        self.starts = 0

    def start(self) -> None:
        self.starts += 1
        self.process = start(
            ["sandbox", "odoo", "--port", str(self.port), "--db", str(self.workdir / "odoo.db")],
            self.workdir / f"odoo{self.starts}.log",
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                answer = httpx.post(
                    f"{self.url}/web/webclient/version_info",
                    json={"jsonrpc": "2.0", "params": {}},
                    timeout=2,
                )
                if answer.status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise TimeoutError("the Odoo sandbox did not start")

    def stop(self) -> None:
        if self.process is not None:
            stop(self.process)
            self.process = None


def settings_for(url: str, password_file: Path) -> OdooSettings:
    return OdooSettings(
        url=url,
        database=SANDBOX_DB,
        protocol="jsonrpc",
        login=ADMIN_LOGIN,
        password=f"file:{password_file}",
    )


async def chatter_refs(settings: OdooSettings) -> Counter[tuple[int, str]]:
    """(picking id, scan reference) of every milestone note line in the pickings' chatter."""
    async with make_http_client(settings) as http:
        client = OdooClient(settings, http)
        rows = await client.search_read(
            "mail.message", [("model", "=", "stock.picking")], ["res_id", "body"]
        )
    found: Counter[tuple[int, str]] = Counter()
    for row in rows:
        for ref in REF.findall(str(row["body"])):
            found[(int(row["res_id"]), ref)] += 1
    return found


def expected_refs(rig: Rig, picking_of: dict[str, int]) -> set[tuple[int, str]]:
    store = rig.store()
    try:
        with store.engine.connect() as conn:
            rows = conn.execute(
                text("SELECT id, subject FROM events WHERE type = :t"),
                {"t": "crossdock.shipment.milestone_recorded.v1"},
            ).all()
    finally:
        store.dispose()
    return {(picking_of[subject], event_id[:REF_LENGTH]) for event_id, subject in rows}


def odoo_down_mid_burst(db_url: str, workdir: Path, total: int) -> Report:
    """Odoo stops after the first third of the burst is accepted and comes back after the
    second; every scan must reach the picking's chatter once."""
    password_file = workdir / "odoo.password"
    password_file.write_text(ADMIN_PASSWORD + "\n", encoding="utf-8")
    odoo = OdooSandbox(workdir)
    odoo.start()
    try:
        settings = settings_for(odoo.url, password_file)
        parcels = max(1, total // harness.STEPS)
        pickings = asyncio.run(create_pickings(settings, parcels, "1Z0000"))
        picking_of = {str(p["carrier_tracking_ref"]): int(p["id"]) for p in pickings}
        webhooks = harness.burst(total)
        partner = {
            "id": ODOO,
            "kind": "odoo",
            "secrets": [f"file:{password_file}"],
            "settings": {
                "odoo": settings.model_dump(mode="json"),
                "milestones": {"flush_window": "PT0.5S"},
            },
        }
        resilience = {
            "resources": {
                "notify:*": {"concurrency": 3},
                f"odoo:{ODOO}": {"rate": {"per_second": 20, "burst": 5}, "concurrency": 2},
            }
        }
        with harness.rig(db_url, workdir, partners=[partner], resilience=resilience) as rig:
            marks: dict[str, float] = {}

            async def drive() -> harness.Sending:
                async def progress(accepted: int) -> None:
                    if accepted == max(1, total // 3) and "fault" not in marks:
                        marks["fault"] = time.time()
                        await asyncio.to_thread(odoo.stop)
                    if accepted == max(1, 2 * total // 3) and "recovered" not in marks:
                        await asyncio.to_thread(odoo.start)
                        marks["recovered"] = time.time()

                return await harness.send(rig, webhooks, rate=total / 12, progress=progress)

            sending = asyncio.run(drive())
            opened = harness.scalar_in(
                rig,
                "SELECT coalesce(max(times_opened), 0) FROM resource_states"
                f" WHERE resource = 'odoo:{ODOO}'",
            )
            drain = _drain_into_odoo(rig, settings, picking_of, marks["recovered"])
            found = asyncio.run(chatter_refs(settings))
            expected = expected_refs(rig, picking_of)
            applied = set(found)
            report = _report(
                "Odoo down for the middle third",
                rig, webhooks, sending, drain, (marks["fault"], marks["recovered"]),
                odoo_breaker_opened=opened,
            )  # fmt: skip
            report.outcomes[ODOO] = Outcome(
                name=ODOO,
                expected=len(expected),
                applied_once=sum(1 for key in expected if found.get(key) == 1),
                duplicates=sum(count - 1 for count in found.values() if count > 1),
                lost=len(expected - applied),
                redelivered=0,
                latencies=[],
            )
            return report
    finally:
        odoo.stop()


def _drain_into_odoo(
    rig: Rig, settings: OdooSettings, picking_of: dict[str, int], recovered: float
) -> float:
    """Seconds from Odoo's return until no job is open and the buffer is empty."""
    harness.wait_drained(rig, 180)
    deadline = time.monotonic() + 120
    while harness.scalar_in(rig, "SELECT count(*) FROM coalesce_buffer") > 0:
        if time.monotonic() > deadline:
            raise AssertionError("milestones still buffered for Odoo")
        time.sleep(0.3)
    harness.wait_drained(rig, 60)
    return time.time() - recovered
