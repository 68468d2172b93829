"""Onboarding a supplier is a YAML entry that `crossdock check` validates, naming each place."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from crossdock.checks import check_config
from tests.files.supplier import supplier_settings

HOST_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl"


def write(tmp_path: Path, document: dict[str, Any]) -> Path:
    path = tmp_path / "crossdock.yaml"
    path.write_text(yaml.safe_dump(document), encoding="utf-8")
    return path


def sftp(**overrides: Any) -> dict[str, Any]:
    return {
        "kind": "sftp",
        "host": "sftp.acme.example",
        "username": "crossdock",
        "host_key": HOST_KEY,
        **overrides,
    }


def test_a_valid_supplier_entry_passes(tmp_path: Path) -> None:
    key = tmp_path / "id_ed25519"
    key.write_text("-----BEGIN OPENSSH PRIVATE KEY-----\n...\n", encoding="utf-8")
    document = {
        "partners": [
            {
                "id": "acme",
                "kind": "edi_supplier",
                "settings": supplier_settings(sftp(private_key=f"file:{key}")),
            },
        ]
    }
    assert check_config(write(tmp_path, document)) == []


def test_each_problem_is_named_with_its_place(tmp_path: Path) -> None:
    broken = supplier_settings(
        sftp(private_key="-----BEGIN OPENSSH PRIVATE KEY-----", port=70000),
        version="003040",
        sets=["855", "ORDERS"],
        tolerances={"price_percent": "-1"},
    )
    broken["them"] = {"qualifier": "ZZZ", "id": "ACMESUPPLY"}
    missing_key = supplier_settings(
        sftp(private_key=f"file:{tmp_path / 'nowhere'}"), them={"qualifier": "ZZ", "id": "OTHER"}
    )
    no_login = supplier_settings(sftp(), them={"qualifier": "ZZ", "id": "THIRD"})
    document = {
        "partners": [
            {"id": "acme", "kind": "edi_supplier", "settings": broken},
            {"id": "acme-two", "kind": "edi_supplier", "settings": missing_key},
            {"id": "acme-three", "kind": "edi_supplier", "settings": no_login},
        ],
        "procurement": {"odoo_partner": "erp"},
    }
    problems = check_config(write(tmp_path, document))
    places = {problem.split(": ", 1)[0] for problem in problems}
    assert {
        "partners[0].settings.version",
        "partners[0].settings.them",
        "partners[0].settings.sets",
        "partners[0].settings.tolerances.price_percent",
        "partners[0].settings.transport.sftp.port",
        "partners[0].settings.transport.sftp.private_key",
        "partners[1].settings.transport.private_key",
        "partners[2].settings.transport",
        "partners[2].settings.vendor_names[0]",
        "procurement.odoo_partner",
    } <= places, problems
    text = "\n".join(problems)
    assert "'003040' is not a x12 version Crossdock reads (known: 004010, 005010)" in text
    assert "'ORDERS' are not x12 sets Crossdock maps" in text
    assert f"file {tmp_path / 'nowhere'} does not exist" in text
    assert "an SFTP account needs private_key or password" in text
    assert "'Acme Supplies Ltd' is already supplied by partners[1]" in text
    assert "no partner 'erp'" in text
