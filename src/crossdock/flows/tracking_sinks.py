"""Tracking sinks: what else must happen, in the tracking flow's own transaction, to each
scan the flow accepts (not a duplicate).

A connector that needs every scan of a parcel in order (Odoo's chatter history) registers a
sink rather than routing a job of its own per scan: the sink runs on the parcel's lane inside
the job that decides the parcel's state, so it sees scans in the flow's order, its effects
commit with that decision, and a scan costs one durable job instead of two. A sink records
its effects with `ctx.write` and `ctx.enqueue` and does no I/O of its own.
"""

from __future__ import annotations

from collections.abc import Callable

from crossdock.canonical.envelope import Envelope
from crossdock.canonical.milestones import TrackingMilestone
from crossdock.pipeline.registry import JobContext

TrackingSink = Callable[[JobContext, TrackingMilestone, Envelope], None]
