"""A CSV supplier is a YAML entry that `crossdock check` validates, naming each place."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from crossdock.checks import check_config
from tests.csv_supplier.supplier import VENDOR, csv_settings
from tests.files.supplier import supplier_settings
from tests.flows_procurement.test_supplier_onboarding_check import HOST_KEY


def check(tmp_path: Path, *partners: dict[str, Any]) -> list[str]:
    path = tmp_path / "crossdock.yaml"
    path.write_text(yaml.safe_dump({"partners": list(partners)}), encoding="utf-8")
    return check_config(path)


def entry(tmp_path: Path, **overrides: Any) -> dict[str, Any]:
    transport = {"kind": "folder", "root": str(tmp_path / "drop")}
    return {
        "id": "brightpack",
        "kind": "csv_supplier",
        "settings": csv_settings(transport, **overrides),
    }


def test_a_valid_entry_passes(tmp_path: Path) -> None:
    assert check(tmp_path, entry(tmp_path)) == []


def test_columns_are_checked_with_their_place(tmp_path: Path) -> None:
    documents = csv_settings({})["documents"]
    documents["acknowledgement"]["columns"][3] = "line_number"
    documents["invoice"]["columns"] = ["invoice_number", "po_number", "quantity"]
    documents["ship_notice"]["columns"].append({"field": "lot", "header": "Charge"})
    documents["order"]["file"] = "orders.csv"
    problems = check(tmp_path, entry(tmp_path, documents=documents, csv={"encoding": "klingon"}))
    place = "partners[0].settings"
    assert sorted(problems) == sorted(
        [
            f"{place}.csv.encoding: Value error, 'klingon' is not an encoding Python knows",
            f"{place}.documents.order.file: String should match pattern "
            "'^[^/\\\\]*\\{po_number\\}[^/\\\\]*$'",
            f"{place}.documents.acknowledgement: Value error, columns[3]: 'line_number' is not "
            "a acknowledgement field (known: po_number, acknowledgement_id, acknowledged_on, "
            "line_id, sku, status, ordered_quantity, promised_quantity, uom, promised_date, "
            "unit_price)",
            f"{place}.documents.ship_notice: Value error, columns[11]: 'lot' is already columns[8]",
            f"{place}.documents.invoice: Value error, columns: a invoice needs invoice_date, "
            "line_id, unit_price",
        ]
    ), problems


def test_a_vendor_supplied_over_edi_and_csv_is_refused(tmp_path: Path) -> None:
    edi = {
        "id": "acme",
        "kind": "edi_supplier",
        "settings": supplier_settings(
            {"kind": "folder", "root": str(tmp_path / "edi")}, vendor_names=[VENDOR]
        ),
    }
    assert check(tmp_path, edi, entry(tmp_path)) == [
        f"partners[1].settings.vendor_names[0]: {VENDOR!r} is already supplied by "
        "partners[0]; an order must go to one supplier"
    ]


def test_an_sftp_account_needs_a_way_to_log_in(tmp_path: Path) -> None:
    transport = {
        "kind": "sftp",
        "host": "sftp.brightpack.example",
        "username": "crossdock",
        "host_key": HOST_KEY,
        "outbound": "inbound",
    }
    sftp = entry(tmp_path)
    sftp["settings"]["transport"] = transport
    assert check(tmp_path, sftp) == [
        "partners[0].settings.transport.outbound: 'inbound' is also the inbound folder",
        "partners[0].settings.transport: an SFTP account needs private_key or password",
    ]
