"""Schemathesis against the app's own OpenAPI, over real HTTP, with a valid API key and with
none: no answer is a 5xx, and none breaks the status codes, content types and schemas the
document declares. Kept short (few examples per operation): it is a smoke net, not a soak."""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import schemathesis
import uvicorn
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from crossdock.clock import FrozenClock
from crossdock.config import LoggingConfig, PartnerConfig
from crossdock.runtime import Runtime
from crossdock.security import api_keys, identities
from crossdock.security.settings import SecurityConfig
from crossdock.web.app import create_app
from support.factories import make_config, make_runtime, partner_secret

# No 5xx and no answer outside its declared content types and schemas, everywhere; the
# routes of this API declare every status they answer with, so those are checked too (the
# signed webhook and health routes do not list theirs in the document).
LENIENT_CHECKS = [not_a_server_error, content_type_conformance, response_schema_conformance]
CHECKS = [*LENIENT_CHECKS, status_code_conformance]
DOCUMENTED_PREFIXES = (
    "/api/v1/messages",
    "/api/v1/events",
    "/api/v1/dead-letters",
    "/api/v1/intake",
    "/api/v1/oauth",
    "/api/v1/audit",
)
EXAMPLES = settings(
    max_examples=8,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@dataclass
class Live:
    url: str
    key: str
    openapi: dict[str, Any]


class ThreadedServer:
    """uvicorn on a free local port in a thread of its own: schemathesis calls are sync."""

    def __init__(self, app: Any) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        self.sock.bind(("127.0.0.1", 0))
        config = uvicorn.Config(app, log_config=None, log_level="warning", access_log=False)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(
            target=lambda: asyncio.run(self.server.serve(sockets=[self.sock])), daemon=True
        )

    def __enter__(self) -> str:
        self.thread.start()
        started = threading.Event()
        while not self.server.started and self.thread.is_alive():
            started.wait(0.01)
        if not self.server.started:
            raise RuntimeError("the server stopped before it started")
        return f"http://127.0.0.1:{self.sock.getsockname()[1]}"

    def __exit__(self, *_exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.sock.close()


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    tmp_path: Path = tmp_path_factory.mktemp("schemathesis")
    _, ref = partner_secret(tmp_path, "acme")
    _, jwt_ref = partner_secret(tmp_path, "jwt")
    config = make_config(
        f"sqlite:///{tmp_path / 'crossdock.db'}",
        [],
        partners=[PartnerConfig(id="acme", kind="generic", secrets=[ref])],
        logging=LoggingConfig(level="error"),
        security=SecurityConfig(subscriptions_api=True, jwt_key=jwt_ref),
    )
    runtime: Runtime = make_runtime(config, FrozenClock(datetime(2026, 12, 1, tzinfo=UTC)))
    now = runtime.clock.now()
    with runtime.store.transaction() as conn:
        identities.create(conn, name="fuzzer", kind="service", now=now, actor="test")
        identities.grant(conn, "fuzzer", ["admin"], now=now, actor="test")
        key = api_keys.create(conn, "fuzzer", now=now, actor="test").secret
    app = create_app(runtime, run_workers=False)
    with ThreadedServer(app) as url:
        yield Live(url=url, key=key, openapi=app.openapi())


def operations(document: dict[str, Any]) -> list[Any]:
    return [result.ok() for result in schemathesis.openapi.from_dict(document).get_all_operations()]


def exercise(operation: Any, url: str, headers: dict[str, str], checks: list[Any]) -> None:
    @given(case=operation.as_strategy())
    @EXAMPLES
    def check(case: Any) -> None:
        case.call_and_validate(base_url=url, headers=headers, checks=checks)

    check()


def fuzz(live: Live, headers: dict[str, str]) -> list[str]:
    """Every operation, a few generated requests each; the failures, each with its route."""
    failures: list[str] = []
    for operation in operations(live.openapi):
        checks = CHECKS if operation.path.startswith(DOCUMENTED_PREFIXES) else LENIENT_CHECKS
        try:
            exercise(operation, live.url, headers, checks)
        except FailureGroup as exc:  # collected with the route, all reported together
            failures.append(f"{operation.method.upper()} {operation.path}: {exc.exceptions}")
    return failures


def test_with_a_valid_key(live: Live) -> None:
    assert fuzz(live, {"authorization": f"Bearer {live.key}"}) == []


def test_without_credentials(live: Live) -> None:
    assert fuzz(live, {}) == []
