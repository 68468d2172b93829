"""The demo runs the whole pipeline; no secret reaches a log line or the console."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
import structlog

from crossdock.demo import run_demo
from crossdock.observe.logging import REDACTED, configure_logging, redact_secrets


def test_demo_runs_end_to_end_and_never_prints_the_secret(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    workdir = tmp_path / "demo"
    assert run_demo(workdir, 40, orders=12) == 0
    output = capsys.readouterr()
    secret = (workdir / "acme-3pl.secret").read_text(encoding="utf-8").strip()
    assert "demo ok" in output.out
    assert "translated" in output.out
    # The WMS picks every tenth order it receives one short where it can (which order that
    # is depends on release order): any backorder is released and invoiced too.
    said = " ".join(output.out.split())  # the console wraps long lines
    assert "fulfillment ok: 12 of 12 orders carried from confirmation to invoice" in said
    assert re.search(r"[01] partial shipments with their backorders, 0 dead letters", said)
    assert secret not in output.out + output.err
    assert secret.removeprefix("whsec_") not in output.out + output.err


def test_log_lines_are_json_with_ids_and_redact_credentials() -> None:
    stream = io.StringIO()
    configure_logging("debug", "json")
    structlog.configure(logger_factory=structlog.PrintLoggerFactory(file=stream))
    log = structlog.get_logger("t").bind(message_id="m-1", correlation_id="c-1", job_id=7)
    log.info("calling partner", api_key="sk_live_123", authorization="Bearer abc", sku="X")
    line = json.loads(stream.getvalue().strip())
    assert line["message_id"] == "m-1"
    assert line["correlation_id"] == "c-1"
    assert line["job_id"] == 7
    assert line["api_key"] == REDACTED
    assert line["authorization"] == REDACTED
    assert line["sku"] == "X"
    assert "sk_live_123" not in stream.getvalue()
    configure_logging("warning", "json")


def test_redaction_keeps_the_event_text() -> None:
    event = {"event": "token refreshed", "client_secret": "s3cr3t"}
    assert redact_secrets(None, "info", event) == {
        "event": "token refreshed",
        "client_secret": REDACTED,
    }
