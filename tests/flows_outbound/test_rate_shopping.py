"""Rate shopping's choice, pure: the cheapest rate meeting the order's service level, ties to
fewer transit days, and a clear refusal when nothing meets it."""

from __future__ import annotations

from decimal import Decimal
from itertools import permutations

import pytest
from pydantic import ValidationError

from crossdock.config import Config
from crossdock.flows.outbound.checks import outbound_problems
from crossdock.flows.outbound.gateway import Rate
from crossdock.flows.outbound.rate_shopping import NoRateForLevel, choose_rate, requested_level
from crossdock.flows.outbound.settings import OutboundConfig, RateShopping


def rate(
    service: str,
    level: str,
    price: str,
    days: int,
    partner: str = "labels-a",
    currency: str = "EUR",
) -> Rate:
    return Rate(partner, "postnl", service, level, Decimal(price), currency, days)


LABEL_SETTINGS = {"base_url": "http://127.0.0.1:9", "api_key": "env:K", "carrier_code": "postnl"}
QUOTES = [
    rate("PNL-EXP", "express", "14.90", 1),
    rate("PNL-STD", "standard", "6.95", 2),
    rate("PNL-ECO", "economy", "4.50", 5),
    rate("DHL-STD", "standard", "7.20", 1, partner="labels-b"),
]


def test_the_cheapest_rate_meeting_the_level_is_chosen() -> None:
    assert choose_rate(QUOTES, "standard", "EUR").rate.service_code == "PNL-STD"
    assert choose_rate(QUOTES, "economy", "EUR").rate.service_code == "PNL-ECO"
    assert choose_rate(QUOTES, "express", "EUR").rate.service_code == "PNL-EXP"


def test_a_faster_service_meets_a_slower_promise_when_it_is_cheaper() -> None:
    cheap_express = [*QUOTES, rate("FLASH", "express", "5.10", 1, partner="labels-b")]
    choice = choose_rate(cheap_express, "standard", "EUR")
    assert (choice.rate.partner, choice.rate.service_code) == ("labels-b", "FLASH")
    assert "cheapest of 4 rate(s) meeting 'standard' in EUR (of 5 quoted)" in choice.reason


def test_equal_prices_go_to_fewer_transit_days_whatever_the_answer_order() -> None:
    tied = [
        rate("SLOW", "standard", "6.00", 4),
        rate("FAST", "standard", "6.00", 1, partner="labels-b"),
        rate("MID", "standard", "6.00", 2),
    ]
    chosen = {choose_rate(list(order), "standard", "EUR").rate.service_code
              for order in permutations(tied)}  # fmt: skip
    assert chosen == {"FAST"}
    assert (
        "3 at that price, fewest transit days chosen" in choose_rate(tied, "standard", "EUR").reason
    )


def test_quotes_in_another_currency_are_set_aside() -> None:
    quotes = [rate("CHF-STD", "standard", "1.00", 1, currency="CHF"), *QUOTES]
    assert choose_rate(quotes, "standard", "EUR").rate.service_code == "PNL-STD"


def test_no_rate_meeting_the_level_is_refused_naming_what_was_quoted() -> None:
    slow = [rate("PNL-ECO", "economy", "4.50", 5), rate("X", "overnight-ish", "1.00", 1)]
    with pytest.raises(NoRateForLevel, match="no rate satisfies service level 'express'") as exc:
        choose_rate(slow, "express", "EUR")
    assert "labels-a/PNL-ECO economy 4.50 EUR 5d" in str(exc.value)
    with pytest.raises(NoRateForLevel, match="quoted: nothing"):
        choose_rate([], "standard", "EUR")


def test_the_requested_level_comes_from_the_delivery_method() -> None:
    shopping = RateShopping(service_levels={"DHL Express": "express"}, default_level="economy")
    assert requested_level("DHL Express", shopping) == "express"
    assert requested_level("Standard", shopping) == "standard", "a method named after a level"
    assert requested_level(None, shopping) == "economy"
    with pytest.raises(NoRateForLevel, match="'PostNL Standard' has no service level"):
        requested_level("PostNL Standard", shopping)


def test_the_choice_is_kept_with_its_reason_and_every_quote() -> None:
    record = choose_rate(QUOTES, "standard", "EUR").record()
    assert record["service_code"] == "PNL-STD" and record["price"] == "6.95"
    assert record["requested_level"] == "standard"
    assert record["reason"].startswith("cheapest of")
    assert [q["service_code"] for q in record["quotes"]] == [q.service_code for q in QUOTES]


def test_several_label_carriers_need_rate_shopping() -> None:
    assert OutboundConfig(label_carrier="labels").label_carriers == ["labels"]
    both = OutboundConfig(label_carrier=["a", "b"], rate_shopping=RateShopping())
    assert both.label_carriers == ["a", "b"]
    with pytest.raises(ValidationError, match="configure rate_shopping"):
        OutboundConfig(label_carrier=["a", "b"])
    with pytest.raises(ValidationError, match="currency"):
        RateShopping(currency="euro")


def test_check_names_a_label_carrier_that_is_not_a_label_api() -> None:
    config = Config.model_validate(
        {
            "partners": [
                {"id": "labels", "kind": "carrier_labels", "settings": LABEL_SETTINGS},
                {"id": "feed", "kind": "generic"},
            ],
            "outbound": {
                "label_carrier": ["labels", "feed", "nobody"],
                "rate_shopping": {},
            },
        }
    )
    assert outbound_problems(config) == [
        "outbound.label_carrier[1]: partner 'feed' is a 'generic', not a label API",
        "outbound.label_carrier[2]: no partner 'nobody' is configured",
    ]
