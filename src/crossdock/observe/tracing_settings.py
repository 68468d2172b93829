"""The `tracing:` config section: where spans go (nowhere by default)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class TracingConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    # off: no spans are made, and nothing is added to jobs or outbound requests.
    exporter: Literal["off", "console", "otlp"] = "off"
    # OTLP over HTTP (protobuf), e.g. http://127.0.0.1:4318/v1/traces; unset: the SDK's
    # default or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT.
    otlp_endpoint: str | None = None
    service_name: str = Field(default="crossdock", min_length=1)
    # Share of new traces recorded (a message arriving with a sampled traceparent is
    # always recorded: the sender asked for it).
    sample_ratio: float = Field(default=1.0, ge=0.0, le=1.0)
