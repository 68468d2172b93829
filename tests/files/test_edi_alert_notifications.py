"""An overdue acknowledgement reaches a subscribed endpoint as a signed CloudEvent, through
the notifications connector like any canonical event."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from crossdock.connectors.notify.client import CLIENTS as NOTIFY_CLIENTS
from tests.files.supplier import SUPPLIER, supplier_partner
from tests.files.test_edi_acknowledgements import confirm, folder, run
from tests.support.factories import make_config, make_runtime
from tests.support.notify_receiver import Receiver, real_time_clock, secret_file
from tests.support.server import serving


async def test_an_overdue_acknowledgement_is_delivered_to_subscribers(
    sqlite_url: str, tmp_path: Path
) -> None:
    secret, secret_ref = secret_file(tmp_path)
    receiver = Receiver(secret)
    _drop, transport = folder(tmp_path)
    # The receiver checks the signature's timestamp against its own clock: start a little in
    # the past, so that the time after the wait is close to the real one.
    clock = real_time_clock()
    clock.advance(timedelta(minutes=-3))
    async with serving(receiver.app()) as url:
        config = make_config(
            sqlite_url,
            [],
            partners=[
                supplier_partner(
                    transport, acknowledgements={"expect_within": "PT1M", "check_every": "PT1M"}
                )
            ],
            notifications={
                "subscriptions": [
                    {
                        "name": "buyers",
                        "url": f"{url}/hook",
                        "event_types": ["crossdock.interchange.*"],
                        "secret": secret_ref,
                    }
                ]
            },
        )
        runtime = make_runtime(config, clock)
        runtime.schedule_startup_jobs()
        confirm(runtime, "P00031", clock.now())
        await run(runtime, clock, timedelta(0))
        await run(runtime, clock, timedelta(minutes=2))
        await NOTIFY_CLIENTS.aclose()
    runtime.store.dispose()
    [delivered] = receiver.verified
    event = delivered.event
    assert event["type"] == "crossdock.interchange.acknowledgement_overdue.v1"
    assert event["partner"] == SUPPLIER
    assert event["data"]["document"] == "850 P00031"
    assert event["data"]["control_number"] == "000000001"
    assert event["data"]["problem"] == "acknowledgement_overdue"
