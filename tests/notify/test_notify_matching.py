"""The pure rules: which events a subscription wants, what an answer means, what config is valid."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from crossdock.canonical.envelope import Envelope
from crossdock.config import Config
from crossdock.connectors.notify.checks import notification_problems
from crossdock.connectors.notify.matching import customer_keys, matches, matching, type_matches
from crossdock.connectors.notify.model import Filters, Subscription
from crossdock.connectors.notify.responses import classify, parse_retry_after
from crossdock.connectors.notify.settings import NotificationsConfig
from crossdock.connectors.notify.signing import check_secret, new_secret, webhook_id
from crossdock.connectors.notify.wiring import domain_patterns
from tests.support.notify_receiver import milestone_event

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
CAP = timedelta(hours=1)


def sub(
    sub_id: int = 1, types: tuple[str, ...] = ("crossdock.shipment.*",), status: str = "active",
    **filters: Any,
) -> Subscription:  # fmt: skip
    return Subscription(
        id=sub_id, name=f"s{sub_id}", url="https://example.com/h", event_types=types,
        filters=Filters.from_json(filters), secret="env:X", source="api",
        status=status,  # type: ignore[arg-type]
        failure_streak=0, created_at=NOW, updated_at=NOW,
    )  # fmt: skip


def order_event(customer: dict[str, Any] | None, **data: Any) -> Envelope:
    return Envelope(
        id="o-1", source="/odoo/main", type="crossdock.order.confirmed.v1", time=NOW,
        data={"order_number": "S00042", **({"customer": customer} if customer else {}), **data},
        partner="odoo", schemaversion=1,
    )  # fmt: skip


def test_event_types_match_exactly_or_by_domain() -> None:
    assert type_matches(["crossdock.shipment.*"], "crossdock.shipment.created.v1")
    assert type_matches(["crossdock.order.confirmed.v1"], "crossdock.order.confirmed.v1")
    assert not type_matches(["crossdock.order.confirmed.v1"], "crossdock.order.confirmed.v2")
    assert not type_matches(["crossdock.ship.*"], "crossdock.shipment.created.v1")
    assert not type_matches(["crossdock.order.*"], "crossdock.shipment.created.v1")


def test_partner_and_milestone_filters() -> None:
    delivered = milestone_event(milestone="delivered", partner="easypost")
    in_transit = milestone_event(milestone="in_transit", partner="easypost")
    other_partner = milestone_event(milestone="delivered", partner="shippo")
    wanted = sub(partners=["easypost"], milestones=["delivered", "exception"])
    assert matches(wanted, delivered)
    assert not matches(wanted, in_transit)
    assert not matches(wanted, other_partner)
    assert matches(sub(), other_partner)  # no filter: any
    assert not matches(sub(partners=["easypost"]), milestone_event(partner=None))


def test_customer_filter_looks_at_the_customer_the_event_names() -> None:
    acme = order_event({"name": "Jane Doe", "company": "ACME", "email": "jane@acme.test"})
    assert customer_keys(acme.data) == {"Jane Doe", "ACME", "jane@acme.test"}
    wanted = sub(types=("crossdock.order.*",), customers=["ACME"])
    assert matches(wanted, acme)
    assert not matches(wanted, order_event({"name": "Other Co"}))
    assert not matches(wanted, order_event(None))
    assert matches(wanted, order_event(None, customer_ref="ACME"))
    invoice = {"direction": "customer", "partner": {"name": "ACME"}}
    assert customer_keys(invoice) == {"ACME"}
    assert customer_keys({**invoice, "direction": "vendor"}) == set()


def test_matching_skips_disabled_subscriptions_and_sorts_by_id() -> None:
    event = milestone_event()
    subs = [sub(3), sub(1), sub(2, status="disabled"), sub(4, types=("crossdock.order.*",))]
    assert [s.id for s in matching(subs, event)] == [1, 3]


@pytest.mark.parametrize(
    ("status", "kind", "counts"),
    [
        (200, "delivered", False),
        (204, "delivered", False),
        (410, "gone", True),
        (500, "retry", True),
        (503, "retry", True),
        (408, "retry", True),
        (409, "retry", True),
        (425, "retry", True),
        (429, "retry", False),
        (400, "permanent", True),
        (401, "permanent", True),
        (404, "permanent", True),
        (301, "permanent", True),
    ],
)
def test_answers_are_classified(status: int, kind: str, counts: bool) -> None:
    verdict = classify(status, {}, NOW, CAP)
    assert (verdict.kind, verdict.counts_toward_streak) == (kind, counts)


def test_retry_after_in_seconds_or_as_a_date_capped() -> None:
    assert parse_retry_after("120", NOW, CAP) == 120.0
    date = format_datetime(NOW + timedelta(seconds=90), usegmt=True)
    assert parse_retry_after(date, NOW, CAP) == 90.0
    past = format_datetime(NOW - timedelta(seconds=90), usegmt=True)
    assert parse_retry_after(past, NOW, CAP) == 0.0
    assert parse_retry_after("999999", NOW, CAP) == 3600.0
    assert parse_retry_after("soon", NOW, CAP) is None
    assert parse_retry_after(None, NOW, CAP) is None
    verdict = classify(429, {"retry-after": "30"}, NOW, CAP)
    assert verdict.retry_after == 30.0


def test_webhook_ids_are_stable_per_subscription_and_event() -> None:
    event = milestone_event()
    assert webhook_id(1, event) == webhook_id(1, event)
    assert webhook_id(1, event) != webhook_id(2, event)
    assert webhook_id(1, event) != webhook_id(1, milestone_event())


def test_secrets_must_be_standard_webhooks_secrets() -> None:
    assert check_secret(new_secret()).startswith("whsec_")
    with pytest.raises(ValueError, match="base64"):
        check_secret("whsec_not base64!")
    with pytest.raises(ValueError, match="24 to 64 bytes"):
        check_secret("whsec_c2hvcnQ=")


def test_config_is_validated_with_places(tmp_path: Path) -> None:
    with pytest.raises(ValidationError) as caught:
        Config.model_validate(
            {
                "notifications": {
                    "subscriptions": [
                        {
                            "name": "p",
                            "url": "portal.example.com",
                            "event_types": ["crossdock.shipment"],
                            "secret": "whsec_plain",
                            "filters": {"carriers": []},
                        }
                    ],
                    "api_tokens": ["plain-token"],
                }
            }
        )
    places = {".".join(str(p) for p in err["loc"]) for err in caught.value.errors()}
    assert places == {
        "notifications.subscriptions.0.url",
        "notifications.subscriptions.0.event_types",
        "notifications.subscriptions.0.secret",
        "notifications.subscriptions.0.filters.carriers",
        "notifications.api_tokens",
    }
    short = tmp_path / "short.whsec"
    short.write_text("whsec_c2hvcnQ=", encoding="utf-8")
    settings = NotificationsConfig.model_validate(
        {
            "subscriptions": [
                {"name": "a", "url": "https://a.test/h", "event_types": ["crossdock.order.*"],
                 "secret": "env:CROSSDOCK_TEST_NO_SUCH_VAR"},
                {"name": "a", "url": "https://b.test/h", "event_types": ["crossdock.order.*"],
                 "secret": f"file:{short}"},
            ],
            "api_tokens": ["env:CROSSDOCK_TEST_NO_SUCH_TOKEN"],
        }
    )  # fmt: skip
    problems = notification_problems(settings)
    assert problems[0] == (
        "notifications.subscriptions[0].secret: env var CROSSDOCK_TEST_NO_SUCH_VAR is not set"
    )
    assert problems[1].startswith("notifications.subscriptions[1].name: 'a' is already used")
    assert problems[2].startswith("notifications.subscriptions[1].secret:")
    assert "24 to 64 bytes" in problems[2]
    assert problems[3].startswith("notifications.api_tokens[0]:")
    assert len(problems) == 4


def test_every_canonical_domain_is_routed() -> None:
    patterns = domain_patterns()
    assert "crossdock.shipment.*" in patterns
    assert "crossdock.order.*" in patterns
    assert "crossdock.invoice.*" in patterns
