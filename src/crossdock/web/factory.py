"""An app factory for uvicorn's multi-process mode, which needs an import string."""

from __future__ import annotations

import os
from pathlib import Path

from fastapi import FastAPI

from crossdock.config import CONFIG_ENV, load_config
from crossdock.observe.logging import configure_logging
from crossdock.observe.tracing import configure_tracing
from crossdock.runtime import Runtime
from crossdock.web.app import create_app

RUN_WORKERS_ENV = "CROSSDOCK_RUN_WORKERS"


def app_from_env() -> FastAPI:
    path = os.environ.get(CONFIG_ENV)
    config = load_config(Path(path) if path else None)
    configure_logging(config.logging.level, config.logging.format)
    configure_tracing(config.tracing)
    run_workers = os.environ.get(RUN_WORKERS_ENV, "1") == "1"
    return create_app(Runtime.build(config), run_workers=run_workers)
