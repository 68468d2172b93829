"""The file WMS gateway: a release retried writes the same file (one order at the WMS), an
unreachable SFTP server is a retryable failure, and a layout without cancel records refuses
cancellations plainly."""

from __future__ import annotations

from pathlib import Path

import pytest

from crossdock.canonical.carrier import FulfillmentRequest
from crossdock.config import PartnerConfig
from crossdock.connectors.files.channel import TransportError
from crossdock.connectors.wms.files.gateway import FileWmsGateway
from crossdock.connectors.wms.files.settings import FileWmsSettings
from crossdock.errors import PermanentError, RetryableError
from crossdock.flows.outbound.gateway import CancelOutcome
from crossdock.sandbox.wms.file_layouts import partner_settings
from crossdock.sandbox.wms.files import FileWarehouse, warehouse_side
from tests.files.sftp_server import sftp_server
from tests.support.factories import make_config, make_runtime

REQUEST = FulfillmentRequest.model_validate(
    {
        "fulfillment_id": "WH/OUT/00031",
        "warehouse": {"code": "WH"},
        "ship_to": {
            "name": "Lux Office SA",
            "address": {"line1": "Grand-Rue 21", "city": "Luxembourg", "country_code": "LU"},
        },
        "lines": [{"line_id": "5", "sku": "CD-0001", "quantity": {"value": "1", "uom": "C62"}}],
    }
)


def gateway(sqlite_url: str, settings: dict[str, object]) -> FileWmsGateway:
    partner = PartnerConfig(id="dc1", kind="wms_files", settings=settings)
    runtime = make_runtime(make_config(sqlite_url, [], partners=[partner]))
    return FileWmsGateway("dc1", FileWmsSettings.model_validate(settings), runtime.store)


async def test_a_retried_release_rewrites_the_same_file(sqlite_url: str, tmp_path: Path) -> None:
    (tmp_path / "inbound").mkdir()
    settings = partner_settings({"kind": "folder", "root": str(tmp_path)}, "csv")
    files = gateway(sqlite_url, settings)
    assert await files.release(REQUEST) == "WH/OUT/00031"
    assert await files.release(REQUEST) == "WH/OUT/00031"  # the answer was lost: again
    assert [p.name for p in (tmp_path / "outbound").iterdir()] == ["ORD_WH_OUT_00031.txt"]
    declared = FileWmsSettings.model_validate(settings)
    warehouse = FileWarehouse(warehouse_side(declared.transport), declared.layout)
    assert await warehouse.take() == 1
    # Taken after the first delivery, the second one is the same order to the WMS.
    assert await files.release(REQUEST) == "WH/OUT/00031"
    assert await warehouse.take() == 1
    [order] = warehouse.orders.values()
    assert order.received == 2
    assert await files.cancel("WH/OUT/00031", None) is CancelOutcome.CANCELLED
    assert (
        (tmp_path / "outbound" / "CAN_WH_OUT_00031.txt")
        .read_bytes()
        .startswith(b"CX;WH/OUT/00031;;")
    )


async def test_an_unreachable_sftp_server_is_retryable(sqlite_url: str, tmp_path: Path) -> None:
    async with sftp_server(tmp_path) as account:
        transport = account.transport()
    # The server is gone now: its port refuses connections.
    files = gateway(sqlite_url, partner_settings(transport, "fixed"))
    with pytest.raises(TransportError) as caught:
        await files.release(REQUEST)
    assert isinstance(caught.value, RetryableError)


async def test_without_a_cancel_record_a_cancel_is_refused(sqlite_url: str, tmp_path: Path) -> None:
    (tmp_path / "inbound").mkdir()
    settings = partner_settings({"kind": "folder", "root": str(tmp_path)}, "csv")
    del settings["layout"]["records"]["cancel"]
    files = gateway(sqlite_url, settings)
    with pytest.raises(PermanentError, match="declares no cancel record"):
        await files.cancel("WH/OUT/00031", "WMS-1")
