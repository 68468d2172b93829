"""`crossdock check` validates a file WMS declaration, naming the place of each mistake."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

from crossdock.checks import check_config
from crossdock.sandbox.wms.file_layouts import partner_settings

SFTP = {
    "kind": "sftp",
    "host": "127.0.0.1",
    "username": "crossdock",
    "host_key": "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl",
    "private_key": "env:CROSSDOCK_TEST_UNSET_WMS_KEY",
}


def write(tmp_path: Path, settings: dict[str, Any]) -> Path:
    path = tmp_path / "crossdock.yaml"
    partners = [{"id": "dc1", "kind": "wms_files", "settings": settings}]
    config = {"partners": partners, "outbound": {"warehouses": {"WH": "dc1"}}}
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return path


def test_the_sandbox_declarations_are_valid(tmp_path: Path) -> None:
    for name in ("csv", "fixed"):
        settings = partner_settings({"kind": "folder", "root": str(tmp_path)}, name)  # type: ignore[arg-type]
        assert check_config(write(tmp_path, settings)) == []


def test_each_mistake_is_named_with_its_place(tmp_path: Path) -> None:
    settings = copy.deepcopy(partner_settings({"kind": "folder", "root": str(tmp_path)}, "fixed"))
    records = settings["layout"]["records"]
    records["order_line"]["fields"][3]["width"] = None
    records["package"]["fields"][2]["name"] = "mass"
    settings["layout"]["encoding"] = "ebcdic-martian"
    settings["layout"]["timezone"] = "Mars/Olympus"
    settings["files"]["cancel"] = "CAN_{order}.txt"
    text = "\n".join(check_config(write(tmp_path, settings)))
    for expected in (
        "partners[0].settings.layout.encoding: Value error, 'ebcdic-martian' is not an encoding",
        "partners[0].settings.layout.timezone: Value error, 'Mars/Olympus' is not an IANA",
        "partners[0].settings.files.cancel: Value error, 'CAN_{order}.txt' may only name",
    ):
        assert expected in text, text
    settings["layout"]["encoding"], settings["layout"]["timezone"] = "latin-1", "Europe/Brussels"
    settings["files"]["cancel"] = "CAN_{fulfillment_id}.txt"
    text = "\n".join(check_config(write(tmp_path, settings)))
    assert "partners[0].settings.layout: Value error, " in text
    assert "records.order_line.fields[3].width: fixed-width fields need a width" in text
    assert "records.package.fields[2].name: package has no field 'mass'" in text
    assert "records.package.fields: package needs a 'weight' field" in text


def test_folders_and_sftp_secrets_are_checked(tmp_path: Path) -> None:
    settings = partner_settings({**SFTP, "inbound": "exchange", "outbound": "exchange"}, "csv")
    settings["books_carrier"] = False
    del settings["layout"]["records"]["label"]
    text = "\n".join(check_config(write(tmp_path, settings)))
    assert "books_carrier is false: layout.records needs a label record" in text
    settings = partner_settings({**SFTP, "inbound": "exchange", "outbound": "exchange"}, "csv")
    problems = check_config(write(tmp_path, settings))
    assert "partners[0].settings.transport.outbound: 'exchange' is also the inbound folder" in (
        problems
    )
    assert any(p.startswith("partners[0].settings.transport.private_key: ") for p in problems), (
        problems
    )
