"""`crossdock procurement interchanges` shows what was sent and whether it was acknowledged;
`crossdock procurement order` names an order the flow does not know."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from crossdock.clock import FrozenClock
from crossdock.config import load_config
from tests.files.supplier import SUPPLIER, supplier_settings
from tests.files.test_edi_acknowledgements import T0, confirm, folder, run
from tests.support.cli import invoke, table_cells, write_config
from tests.support.factories import make_runtime


async def test_interchanges_and_unknown_order(sqlite_url: str, tmp_path: Path) -> None:
    _drop, transport = folder(tmp_path)
    path = write_config(
        tmp_path / "crossdock.yaml",
        {
            "database": {"url": sqlite_url},
            "logging": {"level": "warning"},
            "partners": [
                {"id": SUPPLIER, "kind": "edi_supplier", "settings": supplier_settings(transport)}
            ],
        },
    )
    clock = FrozenClock(T0)
    runtime = make_runtime(load_config(path), clock)
    confirm(runtime, "P00041", T0)
    await run(runtime, clock, timedelta(0))
    runtime.store.dispose()

    listed = invoke("procurement", "interchanges", "-c", str(path), "--partner", SUPPLIER)
    assert listed.exit_code == 0, listed.output
    rows = [row for row in table_cells(listed.stdout) if row[0] == "out"]
    assert [(row[1], row[2], row[5]) for row in rows] == [("000000001", "850 P00041", "pending")]
    missing = invoke("procurement", "order", "P09999", "-c", str(path))
    assert missing.exit_code == 1
    assert "no purchase order P09999 in the procurement flow" in missing.output
