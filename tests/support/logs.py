"""Logging that one test cannot break for the next.

`configure_logging` caches each logger on first use (`cache_logger_on_first_use=True`) with
the stream that was `sys.stderr` at configuration time. A module-level logger first used
while a test had stderr captured (capsys, CliRunner) keeps writing to that stream after it
was closed, and the next test that logs through it fails with "I/O operation on closed
file". These helpers give a test fresh module-level loggers and a configuration of its own.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import structlog

from crossdock.observe.logging import configure_logging
from support.cli import kept_logging_config

# Module → name of its module-level `log`.
MODULE_LOGGERS = {
    "crossdock.web.webhooks": "crossdock.intake",
    "crossdock.pipeline.intake": "crossdock.intake",
    "crossdock.pipeline.worker": "crossdock.worker",
}


@contextmanager
def isolated_logging(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Production JSON logs (warning and up) to the current stderr, via fresh loggers."""
    with kept_logging_config():
        configure_logging("warning", "json")
        for module_name, logger_name in MODULE_LOGGERS.items():
            module = importlib.import_module(module_name)
            monkeypatch.setattr(module, "log", structlog.get_logger(logger_name))
        yield
