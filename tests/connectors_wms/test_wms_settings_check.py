"""`crossdock check` validates a REST WMS declaration and the outbound section, naming places."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

from crossdock.checks import check_config
from crossdock.sandbox.wms.settings import partner_settings


def write(tmp_path: Path, settings: dict[str, Any], outbound: dict[str, Any]) -> Path:
    secret = tmp_path / "wms.secret"
    secret.write_text("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\n", encoding="utf-8")
    path = tmp_path / "crossdock.yaml"
    partners = [
        {"id": "dc1", "kind": "wms_rest", "secrets": [f"file:{secret}"], "settings": settings}
    ]
    path.write_text(yaml.safe_dump({"partners": partners, "outbound": outbound}), encoding="utf-8")
    return path


def test_the_sandbox_declaration_is_valid(tmp_path: Path) -> None:
    settings = partner_settings("http://127.0.0.1:9000", "env:WMS_KEY")
    assert check_config(write(tmp_path, settings, {"warehouses": {"WH": "dc1"}})) == []


def test_each_mistake_is_named_with_its_place(tmp_path: Path) -> None:
    settings = copy.deepcopy(partner_settings("http://127.0.0.1:9000", "env:WMS_KEY"))
    settings["auth"]["key"] = "plain-secret"
    settings["endpoints"]["cancel"]["path"] = "/orders/{order}/cancel"
    settings["payloads"]["release"]["lines"] = "lines[].{sku: sku"
    settings["events"]["kinds"]["SHIPPED"] = "dispatched"
    outbound = {
        "warehouses": {"WH": "dc1", "WH2": "nobody"},
        "sync": {"release": {"mode": "scheduled", "cron": "every night"}},
        "ownership": {"colour": "odoo"},
    }
    problems = check_config(write(tmp_path, settings, outbound))
    text = "\n".join(problems)
    assert "outbound.sync.release.cron" in text
    assert "outbound.ownership: Value error, unknown field(s) colour" in text
    # Config-level problems stop before the partner settings are looked at.
    outbound.pop("sync")
    outbound.pop("ownership")
    problems = check_config(write(tmp_path, settings, outbound))
    places = {problem.split(":", 1)[0] for problem in problems}
    assert {
        "partners[0].settings.auth.api_key.key",
        "partners[0].settings.endpoints.cancel.path",
        "partners[0].settings.payloads.release",
        "partners[0].settings.events.kinds.SHIPPED",
        "outbound.warehouses.WH2",
    } <= places, problems
