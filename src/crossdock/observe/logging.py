"""Structured JSON logs (structlog) with message, correlation and job ids, and no secrets."""

from __future__ import annotations

import logging
import sys
from collections.abc import MutableMapping
from typing import Any

import structlog
from opentelemetry import trace

from crossdock.security.redaction import REDACTED, redact_log_event

__all__ = ["REDACTED", "configure_logging", "redact_headers", "redact_secrets"]


def redact_secrets(
    logger: Any, method: str, event_dict: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    """Secrets and personal data out of every log line (the policy: security/redaction.py)."""
    return redact_log_event(logger, method, event_dict)


def add_trace_ids(
    _logger: Any, _method: str, event_dict: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    """The current span's trace and span ids, so a log line leads to its trace."""
    context = trace.get_current_span().get_span_context()
    if context.is_valid:
        event_dict.setdefault("trace_id", format(context.trace_id, "032x"))
        event_dict.setdefault("span_id", format(context.span_id, "016x"))
    return event_dict


class _CurrentStderr:
    """Writes to whatever `sys.stderr` is at the time of writing, not at configuration time,
    so cached loggers survive a redirected or replaced stderr."""

    def write(self, text: str) -> int:
        return sys.stderr.write(text)

    def flush(self) -> None:
        sys.stderr.flush()


def configure_logging(level: str = "info", fmt: str = "json") -> None:
    renderer: Any = (
        structlog.processors.JSONRenderer()
        if fmt == "json"
        else structlog.dev.ConsoleRenderer(colors=False)
    )
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            add_trace_ids,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            redact_secrets,
            structlog.processors.format_exc_info,
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(
            logging.getLevelNamesMapping()[level.upper()]
        ),
        logger_factory=structlog.PrintLoggerFactory(file=_CurrentStderr()),  # type: ignore[arg-type]
        cache_logger_on_first_use=True,
    )


def redact_headers(headers: dict[str, str]) -> dict[str, str]:
    """Headers as stored and shown: credentials replaced, signatures kept (they are not secret
    and are needed to re-verify a message)."""
    hidden = {"authorization", "proxy-authorization", "cookie", "x-api-key"}
    return {name: (REDACTED if name in hidden else value) for name, value in headers.items()}
