"""PostgreSQL restarted in the middle of a burst: intake answers 503 while it is down (the
sender retries), workers reconnect by themselves, nothing is lost or applied twice.

It restarts the machine's PostgreSQL server, which every other test on it shares, so it runs
only when CROSSDOCK_FAULTS_PG_RESTART=1 (.ci/run sets it) and always last (conftest.py).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.faults import scenarios
from tests.faults.test_faults_partners import BURST, assert_exactly_once

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        os.environ.get(scenarios.PG_RESTART_ENV) != "1",
        reason=f"restarts the shared PostgreSQL server; set {scenarios.PG_RESTART_ENV}=1",
    ),
]


def test_postgres_restarted_mid_burst(restart_safe_postgres_url: str, tmp_path: Path) -> None:
    report = scenarios.postgres_restarted(restart_safe_postgres_url, tmp_path, BURST)
    assert_exactly_once(report)
    assert report.database["jobs"].keys() == {"done"}
    assert report.answers.get(503, 0) + report.answers.get(0, 0) > 0, (
        "intake refused (503) or was unreachable while the database restarted",
        report.answers,
    )
