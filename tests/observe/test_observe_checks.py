"""`crossdock check` on the monitors and dashboard sections: each problem with its place."""

from __future__ import annotations

from pathlib import Path

from crossdock.checks import check_config
from tests.support.processes import write_config


def test_check_names_unknown_silent_partners_and_bad_operator_tokens(tmp_path: Path) -> None:
    token = tmp_path / "ops.token"
    token.write_text("t0ken\n", encoding="utf-8")
    path = write_config(
        tmp_path / "crossdock.yaml",
        {
            "partners": [{"id": "acme", "kind": "generic", "secrets": [f"file:{token}"]}],
            "monitors": {"enabled": True, "partner_silence": {"acme": "PT1H", "globex": "PT1H"}},
            "dashboard": {
                "operators": [
                    {"name": "ops", "token": f"file:{token}"},
                    {"name": "ops", "token": f"file:{tmp_path / 'missing.token'}"},
                    {"name": "night", "token": f"file:{token}"},
                ]
            },
        },
    )
    assert check_config(path) == [
        "monitors.partner_silence.globex: no partner 'globex' is configured (partners: acme)",
        "dashboard.operators[1].name: 'ops' is already used by dashboard.operators[0]",
        f"dashboard.operators[1].token: file {tmp_path / 'missing.token'} does not exist",
        "dashboard.operators[2].token: the same token as dashboard.operators[0]",
    ]


def test_check_refuses_a_literal_token_and_a_zero_interval(tmp_path: Path) -> None:
    path = write_config(
        tmp_path / "crossdock.yaml",
        {
            "monitors": {"interval": "PT0S"},
            "dashboard": {"operators": [{"name": "ops", "token": "hunter2"}]},
        },
    )
    problems = check_config(path)
    assert len(problems) == 2
    assert problems[0].startswith("monitors.interval: Input should be greater than 0")
    assert problems[1].startswith("dashboard.operators[0].token: Value error, token must be a ref")
    assert all("hunter2" not in problem for problem in problems)
