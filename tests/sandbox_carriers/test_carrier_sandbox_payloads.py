"""The sandbox's provider payloads are what each connector expects: translated unchanged,
every scan becomes the milestone it stands for, and a later webhook repeats earlier ids."""

from __future__ import annotations

import orjson
import pytest

from crossdock.canonical.registry import validate_event
from crossdock.connectors.carriers.aftership import mapping as aftership_mapping
from crossdock.connectors.carriers.easypost import mapping as easypost_mapping
from crossdock.connectors.carriers.shippo import mapping as shippo_mapping
from crossdock.sandbox.carriers.providers import PROVIDERS
from crossdock.sandbox.carriers.scenario import Scenario, build
from crossdock.sandbox.carriers.sender import bodies, sending_order
from tests.sandbox_carriers.conftest import START, expected, milestones, occurred, translate_as

PROVIDER_NAMES = sorted(PROVIDERS)


@pytest.mark.parametrize("provider", PROVIDER_NAMES)
@pytest.mark.parametrize("name", ["delivered", "exception"])
def test_each_cumulative_webhook_maps_to_the_history_so_far(provider: str, name: str) -> None:
    scenario = build(name, "9400111899223197428499", "usps", START)
    rendered = bodies(PROVIDERS[provider], scenario)
    assert len(rendered) == len(scenario.steps)
    seen: set[str] = set()
    for count, body in enumerate(rendered, start=1):
        envelopes = translate_as(provider, body)
        for envelope in envelopes:
            validate_event(envelope)
            assert envelope.subject == scenario.tracking_number
            assert envelope.data["carrier_code"] == "usps"
        assert milestones(envelopes) == expected(scenario.upto(count))
        ids = {e.id for e in envelopes}
        # History resent by the next webhook keeps its ids: one new event per webhook.
        assert seen <= ids
        assert len(ids - seen) == 1
        seen = ids


@pytest.mark.parametrize("provider", PROVIDER_NAMES)
def test_exception_scan_is_an_address_exception(provider: str, exception: Scenario) -> None:
    last = bodies(PROVIDERS[provider], exception)[-1]
    latest = max(translate_as(provider, last), key=occurred)
    assert latest.data["milestone"] == "exception"
    assert latest.data["exception_reason"] == "address"


def test_no_code_is_unknown_to_the_connectors(delivered: Scenario, exception: Scenario) -> None:
    counters = (
        easypost_mapping.UNKNOWN_CODES,
        aftership_mapping.UNKNOWN_CODES,
        shippo_mapping.UNKNOWN_CODES,
        shippo_mapping.MISMATCHED_CODES,
    )
    before = [sum(counter.values()) for counter in counters]
    for provider in PROVIDER_NAMES:
        for scenario in (delivered, exception):
            translate_as(provider, bodies(PROVIDERS[provider], scenario)[-1])
    assert [sum(counter.values()) for counter in counters] == before


def test_delivered_webhooks_carry_the_signer(delivered: Scenario) -> None:
    easypost = orjson.loads(bodies(PROVIDERS["easypost"], delivered)[-1])
    aftership = orjson.loads(bodies(PROVIDERS["aftership"], delivered)[-1])
    generic = orjson.loads(bodies(PROVIDERS["generic"], delivered)[-1])
    assert easypost["description"] == "tracker.updated"
    assert easypost["result"]["signed_by"] == "J SMITH"
    assert easypost["previous_attributes"] == {"status": "out_for_delivery"}
    assert aftership["msg"]["signed_by"] == "J SMITH"
    assert aftership["msg"]["tag"] == "Delivered"
    assert generic["shipment"]["signedBy"] == "J SMITH"
    first = orjson.loads(bodies(PROVIDERS["easypost"], delivered)[0])
    assert first["description"] == "tracker.created"
    assert first["result"]["signed_by"] is None


def test_aftership_checkpoint_times_are_local_with_their_offset(delivered: Scenario) -> None:
    tracking = orjson.loads(bodies(PROVIDERS["aftership"], delivered)[-1])["msg"]
    memphis = next(c for c in tracking["checkpoints"] if c["city"] == "MEMPHIS")
    assert memphis["checkpoint_time"].endswith("-06:00")  # CST in early March
    envelopes = translate_as("aftership", bodies(PROVIDERS["aftership"], delivered)[-1])
    assert min(occurred(e) for e in envelopes) == START


def test_out_of_order_swaps_neighbours_after_the_first() -> None:
    assert sending_order(6, False) == [0, 1, 2, 3, 4, 5]
    assert sending_order(6, True) == [0, 2, 1, 4, 3, 5]
    assert sorted(sending_order(7, True)) == list(range(7))


def test_unknown_scenario_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown scenario"):
        build("lost")
