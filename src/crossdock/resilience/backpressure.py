"""Backpressure at intake: a partner whose open jobs pass its limit is asked to come back later.

Counting a partner's backlog on every request would cost intake a query per message, so each
process counts at most once per `backlog_check_interval` per partner and trusts that figure
in between; the limit is therefore approximate by up to one interval's intake.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from crossdock.clock import Clock
from crossdock.resilience.settings import Backpressure, ResilienceConfig
from crossdock.store.engine import Store
from crossdock.store.schema import OPEN_JOB_STATES, jobs


@dataclass(frozen=True)
class Refusal:
    """Why intake refuses this partner now: its backlog and the configured answer."""

    partner: str
    backlog: int
    limit: Backpressure


def open_jobs_of(store: Store, partner: str) -> int:
    query = select(func.count()).where(
        jobs.c.partner == partner, jobs.c.status.in_(OPEN_JOB_STATES)
    )
    with store.engine.connect() as conn:
        return int(conn.execute(query).scalar() or 0)


class BacklogGuard:
    def __init__(self, store: Store, config: ResilienceConfig, clock: Clock) -> None:
        self.store = store
        self.config = config
        self.clock = clock
        self._counts: dict[str, tuple[datetime, int]] = {}
        self._counting: dict[str, asyncio.Task[int]] = {}

    async def refusal(self, partner: str) -> Refusal | None:
        """None when the partner may send; else the refusal to answer with."""
        limit = self.config.backpressure.get(partner)
        if limit is None:
            return None
        backlog = await self._backlog(partner)
        return Refusal(partner, backlog, limit) if backlog >= limit.max_backlog else None

    async def _backlog(self, partner: str) -> int:
        checked = self._counts.get(partner)
        if (
            checked is not None
            and self.clock.now() - checked[0] < self.config.backlog_check_interval
        ):
            return checked[1]
        task = self._counting.get(partner)
        if task is None:
            # One count at a time per partner: requests arriving meanwhile wait for it.
            task = asyncio.create_task(self.store.run(open_jobs_of, self.store, partner))
            self._counting[partner] = task
        try:
            count = await asyncio.shield(task)
        finally:
            if task.done():
                self._counting.pop(partner, None)
        self._counts[partner] = (self.clock.now(), count)
        return count
