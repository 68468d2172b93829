"""Seed secrets and personal data, run the flow, and find none of them in the logs, the
traces, or what a viewer gets from the API and the dashboard's pages; an identity with
`pii:read` does see the personal data."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import httpx
import orjson
import pytest
import structlog
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from crossdock.observe import tracing
from crossdock.observe.logging import configure_logging
from crossdock.runtime import Runtime
from crossdock.sandbox.generic_partner import order_confirmed
from crossdock.security.redaction import (
    PERSONAL,
    REDACTED,
    redact,
    redact_for_role,
    redact_log_event,
)
from support.cli import kept_logging_config
from tests.security.conftest import BOTH_ENGINES, Mint, bearer

NAME = "Jane Q. Doorstep"
EMAIL = "jane.doorstep@example.com"
PHONE = "+32 470 12 34 56"
STREET = "17 Hidden Lane"
PERSONAL_DATA = (NAME, EMAIL, PHONE, STREET)


def order_with_personal_data(number: int) -> dict[str, Any]:
    document = order_confirmed(number, datetime(2026, 12, 1, 8, 0, tzinfo=UTC))
    ship_to = document["data"]["ship_to"]
    ship_to.update(name=NAME, email=EMAIL, phone=PHONE)
    ship_to["address"]["line1"] = STREET
    return document


def broken_order(number: int) -> dict[str, Any]:
    """Unmappable: the email field holds a whole record, so the error quotes its input."""
    document = order_with_personal_data(number)
    document["data"]["ship_to"]["email"] = {"who": NAME, "phone": PHONE}
    return document


@pytest.fixture
def spans() -> Iterator[InMemorySpanExporter]:
    memory = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(memory))
    tracing.use_provider(provider)
    try:
        yield memory
    finally:
        tracing.use_provider(None)


def exported(memory: InMemorySpanExporter) -> str:
    """Everything a collector would receive: names, attributes, events, statuses."""
    return "\n".join(span.to_json() for span in memory.get_finished_spans())


@pytest.fixture
def log_stream() -> Iterator[io.StringIO]:
    stream = io.StringIO()
    with kept_logging_config():
        configure_logging("debug", "json")
        structlog.configure(logger_factory=structlog.PrintLoggerFactory(file=stream))
        yield stream


@BOTH_ENGINES
async def test_a_viewer_and_the_logs_see_no_secret_and_no_personal_data(
    client: httpx.AsyncClient,
    mint: Mint,
    runtime: Runtime,
    log_stream: io.StringIO,
    spans: InMemorySpanExporter,
) -> None:
    partner_key = mint("acme-svc", "webhooks:write:acme", kind="partner")
    viewer = mint("viewer", "role:viewer", kind="user")
    privileged = mint("dpo", "role:viewer", "pii:read", kind="user")
    secrets = (partner_key, partner_key.rsplit("_", 1)[1], viewer, privileged)

    ids = []
    for document in (order_with_personal_data(1), broken_order(2)):
        answer = await client.post(
            "/api/v1/intake/acme",
            content=orjson.dumps(document),
            headers={**bearer(partner_key), "content-type": "application/json"},
        )
        assert answer.status_code == 202, answer.text
        ids.append(answer.json()["message_id"])
    await runtime.worker().run_until_idle()
    structlog.get_logger("test").warning(
        "partner contact", email=EMAIL, ship_to={"name": NAME, "phone": PHONE}, token=viewer
    )

    seen_by_viewer = []
    for path in [
        "/api/v1/messages",
        *(f"/api/v1/messages/{message_id}" for message_id in ids),
        "/api/v1/events",
        "/api/v1/dead-letters",
    ]:
        answer = await client.get(path, headers=bearer(viewer))
        assert answer.status_code == 200, (path, answer.text)
        seen_by_viewer.append(answer.text)
    assert (await client.post("/dashboard/login", data={"token": viewer})).status_code == 303
    for path in [
        "/",
        "/dashboard/search?q=SO00001",
        *(f"/dashboard/messages/{message_id}" for message_id in ids),
        "/dashboard/dead-letters",
    ]:
        page = await client.get(path)
        assert page.status_code == 200, (path, page.text)
        assert "(viewer)" in page.text, "the page was served to the viewer's session"
        seen_by_viewer.append(page.text)
    viewer_text = "\n".join(seen_by_viewer)
    traces = exported(spans)
    assert "job pipeline.translate" in traces
    assert "exception.type" in traces, "the failed translation is in the trace"
    statuses = {m["id"]: m["status"] for m in orjson.loads(seen_by_viewer[0])["messages"]}
    assert statuses == {ids[0]: "translated", ids[1]: "failed"}, "the flow ran"
    assert "crossdock.order.confirmed.v1" in viewer_text
    logs = log_stream.getvalue()
    assert "partner contact" in logs
    for value in (*PERSONAL_DATA, *secrets):
        assert value not in viewer_text, value
        assert value not in logs, value
        assert value not in traces, value

    full = await client.get(f"/api/v1/messages/{ids[0]}", headers=bearer(privileged))
    for value in PERSONAL_DATA:
        assert value in full.text, "pii:read sees personal data"
    for value in secrets:
        assert value not in full.text, "but never a secret"


def test_the_policy_masks_by_key_by_neighbour_and_by_value() -> None:
    value = {
        "client_secret": "s3cr3t",
        "product": {"name": "Euro pallet", "sku": "PAL-1"},
        "party": {"name": NAME, "address": {"line1": STREET, "city": "Antwerp"}},
        "note": f"call {PHONE} or mail {EMAIL}, order 2026-12-01, tracking 940011189922385",
        "lines": [{"contact_name": NAME}],
    }
    assert redact(value) == {
        "client_secret": REDACTED,
        "product": {"name": "Euro pallet", "sku": "PAL-1"},
        "party": {"name": PERSONAL, "address": {"line1": PERSONAL, "city": "Antwerp"}},
        "note": f"call {PERSONAL} or mail {PERSONAL}, order 2026-12-01, tracking 940011189922385",
        "lines": [{"contact_name": PERSONAL}],
    }
    shown = redact(value, personal_data=True)
    assert shown["client_secret"] == REDACTED
    assert shown["party"]["name"] == NAME
    assert redact_for_role("operator", value) == redact(value)
    assert redact_for_role("admin", value) == shown


def test_the_log_processor_keeps_the_machinery_fields() -> None:
    error = ValueError("x")
    event = redact_log_event(
        None, "error", {"event": f"mail {EMAIL}", "exc_info": (ValueError, error, None), "n": 1}
    )
    assert event == {"event": f"mail {PERSONAL}", "exc_info": (ValueError, error, None), "n": 1}
