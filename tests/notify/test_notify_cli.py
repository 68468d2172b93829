"""`crossdock subscriptions` as an operator uses it, and `crossdock check` on notifications."""

from __future__ import annotations

from pathlib import Path

from crossdock.config import Config
from tests.support.cli import invoke, table_rows, write_config
from tests.support.notify_receiver import secret_file


def config_file(tmp_path: Path, secret_ref: str) -> Path:
    config = Config.model_validate(
        {
            "database": {"url": f"sqlite:///{tmp_path / 'crossdock.db'}"},
            "logging": {"level": "warning"},
            "notifications": {
                "subscriptions": [
                    {
                        "name": "portal",
                        "url": "https://portal.example.com/hook",
                        "event_types": ["crossdock.shipment.*"],
                        "secret": secret_ref,
                    }
                ]
            },
        }
    )
    return write_config(tmp_path / "crossdock.yaml", config.model_dump(mode="json"))


def test_subscriptions_commands(tmp_path: Path) -> None:
    _secret, ref = secret_file(tmp_path)
    path = str(config_file(tmp_path, ref))
    assert invoke("db", "upgrade", "-c", path).exit_code == 0

    listed = invoke("subscriptions", "list", "-c", path)
    assert listed.exit_code == 0, listed.output
    ((sub_id, name, source, status, streak, *_),) = table_rows(listed.output)
    assert (name, source, status, streak) == ("portal", "config", "active", "0")

    disabled = invoke("subscriptions", "disable", "portal", "--reason", "moving", "-c", path)
    assert disabled.exit_code == 0, disabled.output
    shown = invoke("subscriptions", "show", sub_id, "-c", path)
    assert "disabled" in shown.output
    assert "moving" in shown.output
    assert ref not in shown.output  # the secret reference stays private too

    assert invoke("subscriptions", "enable", "portal", "-c", path).exit_code == 0
    relisted = invoke("subscriptions", "list", "-c", path)
    assert table_rows(relisted.output)[0][3] == "active"
    log = invoke("subscriptions", "deliveries", "portal", "-c", path)
    assert log.exit_code == 0
    assert "0 delivery log entries" in log.output
    missing = invoke("subscriptions", "show", "nope", "-c", path)
    assert missing.exit_code == 1


def test_check_reports_notification_problems_with_their_place(tmp_path: Path) -> None:
    path = config_file(tmp_path, "env:CROSSDOCK_TEST_UNSET_NOTIFY_SECRET")
    result = invoke("check", "-c", str(path))
    assert result.exit_code == 1
    assert (
        "notifications.subscriptions[0].secret: env var CROSSDOCK_TEST_UNSET_NOTIFY_SECRET "
        "is not set"
    ) in result.output
