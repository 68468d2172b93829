"""OpenTelemetry tracing: one trace per message, from intake through its jobs and calls.

The trace context travels with the work itself, so it survives process boundaries: intake
stores its span's W3C `traceparent` with the message, the translate job carries it in its
payload, and every job started within a traced job carries the context of the job that
made it. Outbound httpx calls send `traceparent` to the partner.

Crossdock keeps its own provider rather than the process-global one, so it can be set up
(and, in tests, replaced) whenever the config is read; nothing is recorded or added to any
payload while tracing is off.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Awaitable, Callable, Iterator, Mapping, Sequence
from dataclasses import replace
from typing import Any

import httpx
from opentelemetry import trace
from opentelemetry.context import Context
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, ConsoleSpanExporter, SpanExporter
from opentelemetry.sdk.trace.sampling import ParentBased, TraceIdRatioBased
from opentelemetry.trace import Span, SpanKind, Status, StatusCode, Tracer
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator
from starlette.requests import Request

from crossdock.observe.tracing_settings import TracingConfig
from crossdock.store.jobs import Job, JobSpec

TRACEPARENT = "traceparent"
_SPAN_KEY = "crossdock.span"
_propagator = TraceContextTextMapPropagator()
_provider: trace.TracerProvider | None = None
_NOOP = trace.NoOpTracerProvider()


def build_provider(settings: TracingConfig, exporter: SpanExporter | None = None) -> TracerProvider:
    provider = TracerProvider(
        resource=Resource.create({"service.name": settings.service_name}),
        sampler=ParentBased(TraceIdRatioBased(settings.sample_ratio)),
    )
    if exporter is None:
        exporter = _exporter(settings)
    provider.add_span_processor(BatchSpanProcessor(exporter))
    return provider


def _exporter(settings: TracingConfig) -> SpanExporter:
    if settings.exporter == "console":
        return ConsoleSpanExporter()
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import (  # noqa: PLC0415
        OTLPSpanExporter,
    )

    return OTLPSpanExporter(endpoint=settings.otlp_endpoint)


def configure_tracing(settings: TracingConfig) -> None:
    """Set up spans as the config says; "off" leaves (or puts) tracing off."""
    use_provider(None if settings.exporter == "off" else build_provider(settings))


def use_provider(provider: trace.TracerProvider | None) -> None:
    """Record spans with `provider` from now on (None: stop). Tests pass one with an
    in-memory exporter."""
    global _provider
    previous, _provider = _provider, provider
    if isinstance(previous, TracerProvider) and previous is not provider:
        previous.shutdown()


def enabled() -> bool:
    return _provider is not None


def tracer() -> Tracer:
    return (_provider or _NOOP).get_tracer("crossdock")


def extract(carrier: Mapping[str, str]) -> Context | None:
    """The context a `traceparent` (and `tracestate`) in `carrier` names, or None."""
    if TRACEPARENT not in carrier:
        return None
    return _propagator.extract(dict(carrier))


def current_traceparent() -> str | None:
    """The current span's `traceparent`, when a span is being recorded."""
    if not trace.get_current_span().get_span_context().is_valid:
        return None
    carrier: dict[str, str] = {}
    _propagator.inject(carrier)
    return carrier.get(TRACEPARENT)


def carry(specs: Sequence[JobSpec]) -> list[JobSpec]:
    """Jobs made within a traced job continue its trace: its context goes in their payload."""
    parent = current_traceparent() if _provider is not None else None
    if parent is None:
        return list(specs)
    return [
        spec
        if TRACEPARENT in spec.payload
        else replace(spec, payload={**spec.payload, TRACEPARENT: parent})
        for spec in specs
    ]


@contextlib.contextmanager
def job_span(job: Job) -> Iterator[Span]:
    """The span of one job attempt, a child of the context its payload carries."""
    if _provider is None:
        # The hot path of every job: with tracing off, not even a no-op span.
        yield trace.INVALID_SPAN
        return
    parent = job.payload.get(TRACEPARENT)
    context = extract({TRACEPARENT: parent}) if isinstance(parent, str) else None
    attributes: dict[str, Any] = {
        "crossdock.job.id": job.id,
        "crossdock.job.type": job.job_type,
        "crossdock.job.attempt": job.attempts,
    }
    optional = {
        "crossdock.lane": job.lane_key,
        "crossdock.partner": job.partner,
        "crossdock.message.id": job.message_id,
        "crossdock.correlation.id": job.correlation_id,
    }
    attributes.update({name: value for name, value in optional.items() if value})
    with tracer().start_as_current_span(
        f"job {job.job_type}",
        context=context,
        kind=SpanKind.CONSUMER,
        attributes=attributes,
        record_exception=False,
        set_status_on_exception=False,
    ) as span:
        try:
            yield span
        except Exception as exc:
            failed(span, exc)
            raise


def failed(span: Span, exc: BaseException) -> None:
    """Mark a span failed by the error's type only. Error texts quote what they refused (a
    payload's field, an address) and traces leave Crossdock for a collector: the text stays
    in the job's stored last error, shown through the redaction policy (docs/security.md)."""
    kind = f"{type(exc).__module__}.{type(exc).__qualname__}"
    span.set_status(Status(StatusCode.ERROR, kind))
    span.add_event("exception", {"exception.type": kind})


@contextlib.contextmanager
def intake_span(partner: str, headers: Mapping[str, str]) -> Iterator[Span]:
    """The root of a message's trace (or a child of the sender's, when it sent one)."""
    with tracer().start_as_current_span(
        "intake",
        context=extract(headers),
        kind=SpanKind.SERVER,
        attributes={"crossdock.partner": partner},
        record_exception=False,
        set_status_on_exception=False,
    ) as span:
        try:
            yield span
        except Exception as exc:
            failed(span, exc)
            raise


def message_traceparent(headers: Mapping[str, str]) -> str | None:
    """What to store with a message: intake's own span when tracing, else what the sender
    sent (kept for whoever traces later)."""
    own = current_traceparent()
    sent = headers.get(TRACEPARENT)
    chosen = own or sent
    return chosen if chosen is not None and len(chosen) <= 64 else None


async def _on_request(request: httpx.Request) -> None:
    if _provider is None:
        return
    span = tracer().start_span(
        f"HTTP {request.method}",
        kind=SpanKind.CLIENT,
        attributes={
            "http.request.method": request.method,
            "server.address": request.url.host,
            "url.path": request.url.path,
        },
    )
    carrier: dict[str, str] = {}
    _propagator.inject(carrier, context=trace.set_span_in_context(span))
    request.headers.update(carrier)
    request.extensions[_SPAN_KEY] = span


async def _on_response(response: httpx.Response) -> None:
    span = response.request.extensions.pop(_SPAN_KEY, None)
    if isinstance(span, Span):
        span.set_attribute("http.response.status_code", response.status_code)
        span.end()


# `httpx.AsyncClient(event_hooks=HTTPX_HOOKS)`: sends `traceparent` on every outbound call.
# A call that fails before any response leaves its span unended (not exported).
HTTPX_HOOKS: dict[str, list[Any]] = {"request": [_on_request], "response": [_on_response]}


def with_traceparent(payload: dict[str, Any], traceparent: str | None) -> dict[str, Any]:
    """A first job's payload, carrying its message's trace while tracing is on."""
    if _provider is None or not traceparent:
        return payload
    return {**payload, TRACEPARENT: traceparent}


Endpoint = Callable[..., Awaitable[Any]]


def traced_intake(endpoint: Endpoint) -> Endpoint:
    """Run a webhook endpoint `(partner, request)` inside the message's intake span."""

    @functools.wraps(endpoint)
    async def traced(partner: str, request: Request) -> Any:
        if _provider is None:
            return await endpoint(partner, request)
        with intake_span(partner, request.headers) as span:
            response = await endpoint(partner, request)
            status = getattr(response, "status_code", None)
            if isinstance(status, int):
                span.set_attribute("http.response.status_code", status)
            return response

    return traced
