"""Fault injection against real processes on PostgreSQL: partners failing, throttling and
hanging, workers killed, poison messages. Each asserts on the final state: every accepted
event applied once by every partner, none twice, none lost."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.faults import odoo_down, scenarios
from tests.faults.scenarios import Report

pytestmark = pytest.mark.slow

BURST = 240


def assert_exactly_once(report: Report) -> None:
    assert report.accepted == report.sent, report.answers
    for name, outcome in report.outcomes.items():
        assert outcome.lost == 0, f"{name} lost {outcome.lost} events"
        assert outcome.duplicates == 0, f"{name} applied {outcome.duplicates} events twice"
        assert outcome.applied_once == outcome.expected, name
    stored, distinct = report.database["stored"]
    assert stored == distinct == report.sent, "each partner message stored once"
    assert report.database["jobs"].keys() <= {"done", "dead"}


def test_partner_failing_every_second_call_then_throttling(
    postgres_url: str, tmp_path: Path
) -> None:
    report = scenarios.flaky_then_throttled(postgres_url, tmp_path, BURST)
    assert_exactly_once(report)
    assert report.database["jobs"].keys() == {"done"}, "no delivery gave up"
    statuses = report.notes["wms_statuses"]
    assert statuses.get("500", 0) > 0 and statuses.get("429", 0) > 0, statuses
    assert report.outcomes["wms"].redelivered == 0
    # The backlog drained at the endpoint's rate limit (150/s, bursts of 30), not faster.
    rate = report.notes["drain_rate"]
    assert rate is None or rate <= 150 * 1.25, rate


def test_hanging_partner_does_not_slow_the_others(postgres_url: str, tmp_path: Path) -> None:
    report = scenarios.hanging_partner(postgres_url, tmp_path, BURST)
    assert_exactly_once(report)
    # The hanging partner held at most its bulkhead (3 of the workers' 16 slots; one more for
    # the endpoint's 20 ms to notice a call its client gave up on) while the portal kept
    # receiving; its breaker opened, so later calls did not even wait.
    assert report.notes["wms_max_in_flight"] <= 3 + 1, report.notes
    assert report.notes["portal_applied_during"] > 0, report.notes
    assert any(times > 0 for times in report.database["breakers"].values())


def test_worker_killed_every_few_seconds(postgres_url: str, tmp_path: Path) -> None:
    report = scenarios.killed_workers(postgres_url, tmp_path, BURST)
    assert report.notes["kills"] >= 3
    assert_exactly_once(report)
    assert report.database["jobs"].keys() == {"done"}


def test_poison_messages_dead_letter_and_every_other_lane_completes(
    postgres_url: str, tmp_path: Path
) -> None:
    report = scenarios.poison_messages(postgres_url, tmp_path, BURST)
    assert_exactly_once(report)
    poisons = report.notes["poisons"]
    assert report.database["dead_types"] == {"pipeline.translate": poisons}
    assert report.database["messages"] == {"translated": BURST - poisons, "failed": poisons}


def test_odoo_down_for_the_middle_third_of_a_burst(postgres_url: str, tmp_path: Path) -> None:
    report = odoo_down.odoo_down_mid_burst(postgres_url, tmp_path, BURST)
    assert_exactly_once(report)
    assert report.outcomes["odoo"].expected == BURST, "every scan is an event to apply"
    assert report.database["jobs"].keys() == {"done"}, "no flush gave up while Odoo was away"
    assert report.notes["odoo_breaker_opened"] >= 1
