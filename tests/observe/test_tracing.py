"""One trace per message: intake, translate, the flows' jobs and the outbound call, with the
sender's traceparent continued and sent on to the subscriber; checked with the SDK's
in-memory exporter."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
import structlog
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import StatusCode
from sqlalchemy import select

from crossdock.connectors.notify.client import CLIENTS
from crossdock.connectors.notify.settings import NotificationsConfig, SubscriptionConfig
from crossdock.ids import new_id
from crossdock.observe import tracing
from crossdock.observe.logging import configure_logging
from crossdock.pipeline.translate import TRANSLATE_JOB
from crossdock.runtime import Runtime
from crossdock.sandbox import generic_partner as sim
from crossdock.store.jobs import JobSpec
from crossdock.store.schema import jobs, messages
from crossdock.web.app import create_app
from support.cli import kept_logging_config
from support.factories import PARTNER, make_config, make_runtime, partner_secret
from tests.support import dlq_plugin
from tests.support.notify_receiver import Receiver, real_time_clock, secret_file
from tests.support.server import serving

SENDER_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"
SENDER_SPAN = "00f067aa0ba902b7"
TRACEPARENT = f"00-{SENDER_TRACE}-{SENDER_SPAN}-01"


@pytest.fixture
def exporter() -> Iterator[InMemorySpanExporter]:
    memory = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(memory))
    tracing.use_provider(provider)
    try:
        yield memory
    finally:
        tracing.use_provider(None)


@pytest.fixture
async def closing_clients() -> AsyncIterator[None]:
    yield
    await CLIENTS.aclose()


def hex_id(value: int, width: int) -> str:
    return format(value, f"0{width}x")


def by_name(spans: tuple[ReadableSpan, ...], name: str) -> ReadableSpan:
    (found,) = [span for span in spans if span.name == name]
    return found


def parent_of(span: ReadableSpan) -> int | None:
    return span.parent.span_id if span.parent else None


async def post_order(http: httpx.AsyncClient, runtime: Runtime, secret: str) -> str:
    body = sim.encode(sim.order_confirmed(7, runtime.clock.now()))
    headers = sim.signed_headers(
        secret, body, f"msg_{new_id()}", int(runtime.clock.now().timestamp())
    )
    headers["traceparent"] = TRACEPARENT
    response = await http.post(f"/webhooks/{PARTNER}", content=body, headers=headers)
    assert response.status_code == 202, response.text
    return str(response.json()["message_id"])


def build(db_url: str, tmp_path: Path, hook_url: str, subscriber_ref: str) -> tuple[Runtime, str]:
    secret, ref = partner_secret(tmp_path)
    notifications = NotificationsConfig(
        subscriptions=[
            SubscriptionConfig(
                name="portal",
                url=hook_url,
                event_types=["crossdock.order.*"],
                secret=subscriber_ref,
            )
        ],
        subscription_cache=timedelta(0),
    )
    config = make_config(db_url, [ref], notifications=notifications)
    return make_runtime(config, real_time_clock()), secret


@pytest.mark.usefixtures("closing_clients")
async def test_a_message_is_one_trace_from_intake_to_the_subscriber(
    db_url: str, tmp_path: Path, exporter: InMemorySpanExporter
) -> None:
    subscriber_secret, subscriber_ref = secret_file(tmp_path)
    receiver = Receiver(subscriber_secret)
    async with serving(receiver.app()) as hook_base:
        runtime, secret = build(db_url, tmp_path, hook_base + "/hook", subscriber_ref)
        try:
            async with (
                serving(create_app(runtime, run_workers=False)) as base_url,
                httpx.AsyncClient(base_url=base_url, timeout=30) as http,
            ):
                message_id = await post_order(http, runtime, secret)
                await runtime.worker().run_until_idle()
            with runtime.store.engine.connect() as conn:
                stored = conn.execute(
                    select(messages.c.trace_parent).where(messages.c.id == message_id)
                ).scalar_one()
                translate_payload = conn.execute(
                    select(jobs.c.payload).where(jobs.c.job_type == TRANSLATE_JOB)
                ).scalar_one()
        finally:
            runtime.store.dispose()

    spans = exporter.get_finished_spans()
    names = {span.name for span in spans}
    assert {
        "intake",
        f"job {TRANSLATE_JOB}",
        "job flows.status_board",
        "job notify.fanout",
        "job notify.deliver",
        "HTTP POST",
    } <= names
    # Every span is in the sender's trace.
    assert {hex_id(span.context.trace_id, 32) for span in spans} == {SENDER_TRACE}
    intake = by_name(spans, "intake")
    translate = by_name(spans, f"job {TRANSLATE_JOB}")
    fanout = by_name(spans, "job notify.fanout")
    deliver = by_name(spans, "job notify.deliver")
    call = by_name(spans, "HTTP POST")
    assert hex_id(parent_of(intake) or 0, 16) == SENDER_SPAN
    assert parent_of(translate) == intake.context.span_id
    assert parent_of(by_name(spans, "job flows.status_board")) == translate.context.span_id
    assert parent_of(fanout) == translate.context.span_id
    assert parent_of(deliver) == fanout.context.span_id
    assert parent_of(call) == deliver.context.span_id
    assert translate.attributes is not None
    assert translate.attributes["crossdock.message.id"] == message_id
    # Stored with the message (intake's own span) and carried by the first job.
    own = f"00-{SENDER_TRACE}-{hex_id(intake.context.span_id, 16)}-01"
    assert stored == own
    assert translate_payload["traceparent"] == own
    # The subscriber receives the trace, as a child of the outbound call's span.
    (delivery,) = receiver.verified
    assert delivery.headers["traceparent"] == (
        f"00-{SENDER_TRACE}-{hex_id(call.context.span_id, 16)}-01"
    )


def test_log_lines_carry_the_trace_id(
    exporter: InMemorySpanExporter, capsys: pytest.CaptureFixture[str]
) -> None:
    with kept_logging_config():
        configure_logging("info", "json")
        log = structlog.get_logger("crossdock.test")
        with tracing.tracer().start_as_current_span("probe") as span:
            log.info("inside a span")
        log.info("outside any span")
    inside, outside = (json.loads(line) for line in capsys.readouterr().err.splitlines())
    assert inside["trace_id"] == hex_id(span.get_span_context().trace_id, 32)
    assert inside["span_id"] == hex_id(span.get_span_context().span_id, 16)
    assert "trace_id" not in outside


async def test_tracing_off_adds_nothing_and_keeps_the_senders_traceparent(
    db_url: str, tmp_path: Path
) -> None:
    assert not tracing.enabled()
    secret, ref = partner_secret(tmp_path)
    runtime = make_runtime(make_config(db_url, [ref]), real_time_clock())
    try:
        async with (
            serving(create_app(runtime, run_workers=False)) as base_url,
            httpx.AsyncClient(base_url=base_url, timeout=30) as http,
        ):
            message_id = await post_order(http, runtime, secret)
        with runtime.store.engine.connect() as conn:
            stored = conn.execute(
                select(messages.c.trace_parent).where(messages.c.id == message_id)
            ).scalar_one()
            payload = conn.execute(select(jobs.c.payload)).scalar_one()
    finally:
        runtime.store.dispose()
    assert stored == TRACEPARENT
    assert payload == {"message_id": message_id}


async def test_a_failed_job_is_marked_in_its_span_without_the_errors_text(
    exporter: InMemorySpanExporter, db_url: str, tmp_path: Path
) -> None:
    """Error texts quote what they refused; traces leave Crossdock, so they carry the type."""
    _, ref = partner_secret(tmp_path)
    runtime = make_runtime(make_config(db_url, [ref], plugins=[dlq_plugin.PLUGIN]))
    try:
        runtime.queue.enqueue(
            [JobSpec(dlq_plugin.NEEDS_FIX, "fails", payload={"order": "jane@example.com"})],
            runtime.clock.now(),
        )
        await runtime.worker().run_until_idle()
        (dead,) = runtime.queue.dead_jobs()
    finally:
        runtime.store.dispose()
    assert "jane@example.com" in (dead.last_error or ""), "the stored error keeps the text"
    (span,) = [s for s in exporter.get_finished_spans() if s.name == f"job {dlq_plugin.NEEDS_FIX}"]
    assert span.status.status_code is StatusCode.ERROR
    assert span.status.description == "crossdock.errors.PermanentError"
    assert [(e.name, dict(e.attributes or {})) for e in span.events] == [
        ("exception", {"exception.type": "crossdock.errors.PermanentError"})
    ]
    assert "jane@example.com" not in span.to_json()
