"""The ordering rules of a parcel's milestones, case by case."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from crossdock.canonical.milestones import Milestone as M  # noqa: N817 - keeps the table readable
from crossdock.flows.tracking_rules import Current, Outcome, decide, is_terminal

T0 = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
LATER = T0 + timedelta(hours=1)
EARLIER = T0 - timedelta(hours=1)


@pytest.mark.parametrize(
    ("current", "incoming", "at", "expected"),
    [
        (None, M.IN_TRANSIT, T0, Outcome.ADVANCED),
        (None, M.UNKNOWN, T0, Outcome.ADVANCED),
        (M.IN_TRANSIT, M.OUT_FOR_DELIVERY, LATER, Outcome.ADVANCED),
        (M.OUT_FOR_DELIVERY, M.IN_TRANSIT, EARLIER, Outcome.LATE),
        (M.OUT_FOR_DELIVERY, M.IN_TRANSIT, LATER, Outcome.ADVANCED),  # re-routed: time wins
        (M.DELIVERED, M.IN_TRANSIT, LATER, Outcome.HELD),
        (M.DELIVERED, M.EXCEPTION, LATER, Outcome.HELD),
        (M.DELIVERED, M.RETURNED_TO_SENDER, LATER, Outcome.ADVANCED),
        (M.DELIVERED, M.RETURNED_TO_SENDER, EARLIER, Outcome.LATE),
        (M.RETURNED_TO_SENDER, M.DELIVERED, LATER, Outcome.HELD),
        (M.RETURNED_TO_SENDER, M.IN_TRANSIT, EARLIER, Outcome.LATE),
        (M.IN_TRANSIT, M.UNKNOWN, LATER, Outcome.HELD),
        (M.UNKNOWN, M.IN_TRANSIT, LATER, Outcome.ADVANCED),
        (M.OUT_FOR_DELIVERY, M.DELIVERED, T0, Outcome.ADVANCED),  # same instant: further wins
        (M.DELIVERED, M.OUT_FOR_DELIVERY, T0, Outcome.HELD),
        (M.IN_TRANSIT, M.IN_TRANSIT, T0, Outcome.HELD),
        (M.EXCEPTION, M.IN_TRANSIT, LATER, Outcome.ADVANCED),  # the problem was solved
        (M.CANCELLED, M.PICKED_UP, LATER, Outcome.ADVANCED),
    ],
)
def test_decide(current: M | None, incoming: M, at: datetime, expected: Outcome) -> None:
    state = Current(current, T0) if current is not None else None
    assert decide(state, incoming, at) is expected


def test_only_delivered_and_returned_are_terminal() -> None:
    assert {m for m in M if is_terminal(m)} == {M.DELIVERED, M.RETURNED_TO_SENDER}
