"""Sync modes: when a workflow's step runs — at once, at the next micro-batch, or on a cron.

The step itself is the same job whatever the mode; only when it is enqueued differs. In
real time the flow enqueues it directly. Otherwise the row waits in the workflow's waiting
state and the flow enqueues one sweep job for the next slot (its idempotency key is the
slot, so every order waiting for that slot shares it); the sweep takes at most `max_batch`
waiting rows, enqueues their steps on their own lanes, and schedules the next slot if rows
are left.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from croniter import croniter

from crossdock.flows.outbound.settings import SyncMode

EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


def next_slot(mode: SyncMode, now: datetime) -> datetime:
    """The first slot strictly after `now`: a multiple of the interval, or the cron's next."""
    if mode.mode == "scheduled" and mode.cron is not None:
        following = croniter(mode.cron, now.astimezone(UTC)).get_next(datetime)
        return following if following.tzinfo else following.replace(tzinfo=UTC)
    step = mode.interval if mode.mode == "micro_batch" else timedelta(0)
    if step <= timedelta(0):
        return now
    elapsed = (now - EPOCH) // step
    return EPOCH + (elapsed + 1) * step
