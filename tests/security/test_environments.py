"""Config overlays per environment, and what prod refuses at start."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from crossdock.config import load_config
from crossdock.errors import ConfigError
from crossdock.runtime import Runtime
from crossdock.security.environments import ENV_VAR
from support.cli import invoke, write_config

GOOD_SECRET = "whsec_" + "A" * 32


@pytest.fixture(autouse=True)
def _no_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    # Recorded as absent, so whatever a command sets is undone after the test.
    monkeypatch.delenv(ENV_VAR, raising=False)


def secret_file(tmp_path: Path, name: str, value: str) -> str:
    path = tmp_path / name
    path.write_text(value + "\n", encoding="utf-8")
    return f"file:{path}"


def base(tmp_path: Path, **extra: Any) -> dict[str, Any]:
    return {
        "database": {"url": f"sqlite:///{tmp_path / 'crossdock.db'}"},
        "logging": {"level": "info"},
        "partners": [
            {"id": "acme", "kind": "generic", "secrets": [secret_file(tmp_path, "a", GOOD_SECRET)]}
        ],
        **extra,
    }


def test_an_overlay_merges_over_the_base_partners_by_id(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_config(tmp_path / "crossdock.yaml", base(tmp_path))
    write_config(
        tmp_path / "crossdock.test.yaml",
        {
            "logging": {"level": "debug"},
            "partners": [
                {"id": "acme", "ordered": True},
                {"id": "globex", "kind": "generic", "secrets": ["env:GLOBEX_SECRET"]},
            ],
        },
    )
    assert load_config(path).environment == "dev"
    assert load_config(path).logging.level == "info"
    monkeypatch.setenv(ENV_VAR, "test")
    merged = load_config(path)
    assert merged.environment == "test"
    assert merged.logging.level == "debug"
    assert [(p.id, p.ordered, len(p.secrets)) for p in merged.partners] == [
        ("acme", True, 1),
        ("globex", False, 1),
    ]
    write_config(tmp_path / "crossdock.test.yaml", {"logging": {"level": "loud"}})
    with pytest.raises(ConfigError, match=r"crossdock\.yaml \+ crossdock\.test\.yaml: logging"):
        load_config(path)


def test_prod_refuses_plain_http_missing_default_and_weak_secrets_and_operator_tokens(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = base(
        tmp_path,
        environment="prod",
        notifications={"api_tokens": [secret_file(tmp_path, "t", "x" * 40)]},
        dashboard={"operators": [{"name": "ops", "token": secret_file(tmp_path, "o", "y" * 40)}]},
    )
    data["partners"] += [
        {"id": "globex", "kind": "generic", "secrets": [secret_file(tmp_path, "g", "changeme")]},
        {"id": "initech", "kind": "generic", "secrets": [secret_file(tmp_path, "i", "short")]},
        {"id": "umbrella", "kind": "generic", "secrets": ["env:CROSSDOCK_TEST_NOT_SET"]},
        {"id": "hooli", "kind": "generic"},
        {
            "id": "freight",
            "kind": "generic_carrier",
            "secrets": [secret_file(tmp_path, "f", GOOD_SECRET)],
            "settings": {
                "carrier_code": "dhl_freight",
                "fields": {"tracking_number": "t", "status": "s", "occurred_at": "o"},
                "api": {"url_template": "http://tracking.example/{tracking_number}"},
            },
        },
    ]
    path = write_config(tmp_path / "crossdock.yaml", data)
    monkeypatch.delenv("CROSSDOCK_TEST_NOT_SET", raising=False)
    with pytest.raises(ConfigError) as refused:
        Runtime.build(load_config(path))
    text = str(refused.value)
    assert text.startswith("refusing to start in prod")
    for expected in (
        "partners[5].settings.api.url_template: plain HTTP endpoint",
        "partners[1].secrets[0]: file:",
        "holds a known default value",
        "partners[2].secrets[0]: file:",
        "is 5 characters",
        "partners[3].secrets[0]: env var CROSSDOCK_TEST_NOT_SET is not set",
        "partners[4].secrets: none given",
        "notifications.api_tokens[0]: static operator tokens are refused in prod",
        "dashboard.operators[0].token: static operator tokens are refused in prod",
        "security.audit_key: not set",
    ):
        assert expected in text, expected

    checked = invoke("check", "-c", str(path))
    assert checked.exit_code == 1
    assert "plain HTTP endpoint" in checked.output
    assert invoke("worker", "-c", str(path)).exit_code == 1


def test_a_clean_prod_config_starts_and_dev_allows_what_prod_refuses(tmp_path: Path) -> None:
    data = base(tmp_path, security={"audit_key": secret_file(tmp_path, "k", "k" * 32)})
    path = write_config(tmp_path / "crossdock.yaml", data)
    write_config(tmp_path / "crossdock.dev.yaml", {"notifications": {"api_tokens": ["env:X"]}})
    write_config(tmp_path / "crossdock.prod.yaml", {"logging": {"level": "warning"}})
    assert invoke("--env", "prod", "check", "-c", str(path)).exit_code == 0
    runtime = Runtime.build(load_config(path))
    try:
        assert runtime.config.environment == "prod"
        assert runtime.config.logging.level == "warning"
    finally:
        runtime.store.dispose()
    dev = invoke("--env", "dev", "check", "-c", str(path))
    assert dev.exit_code == 1, "dev checks the overlay's secret reference, not prod rules"
    assert "static operator tokens" not in dev.output
