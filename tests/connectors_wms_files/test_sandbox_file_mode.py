"""`crossdock sandbox wms --mode files`: a release file in the drop folder comes back as
acknowledgement, pick, packing and shipment files in the same layout."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from crossdock.canonical.carrier import FulfillmentRequest
from crossdock.cli import app
from crossdock.connectors.wms.codes import CodeTables
from crossdock.connectors.wms.files.codec import decode, encode
from crossdock.connectors.wms.files.mapping import release_records
from crossdock.connectors.wms.files.settings import Layout
from crossdock.sandbox.wms.file_layouts import layout

REQUEST = FulfillmentRequest.model_validate(
    {
        "fulfillment_id": "WH/OUT/00007",
        "warehouse": {"code": "DC1"},
        "ship_to": {
            "name": "Delta Home BV",
            "address": {"line1": "Coolsingel 40", "city": "Rotterdam", "country_code": "NL"},
        },
        "lines": [
            {"line_id": "9", "sku": "WMS-0001", "quantity": {"value": "4", "uom": "EA"}},
            {"line_id": "10", "sku": "WMS-0002", "quantity": {"value": "1", "uom": "EA"}},
        ],
    }
)


def test_a_release_file_is_executed_into_confirmation_files(tmp_path: Path) -> None:
    fixed = Layout.model_validate(layout("fixed"))
    (tmp_path / "outbound").mkdir()
    release = encode(release_records(REQUEST, CodeTables()), fixed)
    (tmp_path / "outbound" / "ORD_WH_OUT_00007.txt").write_bytes(release)
    args = ["sandbox", "wms", "--mode", "files", "--folder", str(tmp_path), "--layout", "fixed"]
    result = CliRunner().invoke(app, [*args, "--once", "--delay", "0", "--short-every", "1"])
    assert result.exit_code == 0, result.output
    assert "1 file(s) taken, 4 confirmation(s) written" in result.output
    written = sorted((tmp_path / "inbound").iterdir())
    assert [path.name.split("_", 2)[1] for path in written] == ["ACK", "PCK", "PAK", "SHP"]
    records = decode(written[-1].read_bytes(), fixed, written[-1].name)
    assert [r.kind for r in records] == ["shipment", "ship_line", "ship_line", "package"]
    shipped = {r.values["line_id"]: r.values["quantity"] for r in records if r.kind == "ship_line"}
    assert shipped == {"9": 3, "10": 1}  # every order's first line one short
    assert not list((tmp_path / "outbound").iterdir())
    assert len(list((tmp_path / "wms-archive").iterdir())) == 1


def test_the_file_mode_needs_a_folder_or_a_transport(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["sandbox", "wms", "--mode", "files", "--once"])
    assert result.exit_code != 0
    assert "give --folder DIR or --transport FILE" in result.output
    bad = tmp_path / "transport.yaml"
    bad.write_text("kind: sftp\nhost: 127.0.0.1\n", encoding="utf-8")
    result = CliRunner().invoke(
        app, ["sandbox", "wms", "--mode", "files", "--transport", str(bad), "--once"]
    )
    assert result.exit_code != 0
    assert "not a transport section" in result.output
