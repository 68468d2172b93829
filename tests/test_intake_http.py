"""`POST /webhooks/{partner}` over real HTTP, on SQLite and PostgreSQL.

The app runs in-process under uvicorn, in the test's event loop, with workers off so the
test decides when jobs run. The clock is frozen, so signatures are made for a known "now".
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
from sqlalchemy import func, select

from crossdock.clock import FrozenClock
from crossdock.config import IntakeConfig, PartnerConfig
from crossdock.ids import new_id
from crossdock.runtime import Runtime
from crossdock.sandbox import generic_partner as sim
from crossdock.store import events
from crossdock.store.schema import jobs, messages
from crossdock.web.app import create_app
from support.factories import make_config, make_runtime, partner_secret
from support.logs import isolated_logging
from support.server import serving

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
TS = int(NOW.timestamp())
LIMIT = 2048
PROBLEM = "https://crossdock.dev/problems/"


@pytest.fixture(autouse=True)
def _logging(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    with isolated_logging(monkeypatch):
        yield


class Partners:
    def __init__(self, tmp_path: Path) -> None:
        self.acme, self.acme_ref = partner_secret(tmp_path, "acme")
        self.globex, self.globex_ref = partner_secret(tmp_path, "globex")
        self.missing_ref = f"file:{tmp_path / 'nowhere.secret'}"


@pytest.fixture
def partners(tmp_path: Path) -> Partners:
    return Partners(tmp_path)


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(NOW)


@pytest.fixture
def runtime(db_url: str, partners: Partners, clock: FrozenClock) -> Iterator[Runtime]:
    config = make_config(
        db_url,
        [partners.acme_ref],
        partners=[
            PartnerConfig(id="acme", kind="generic", secrets=[partners.acme_ref]),
            PartnerConfig(id="globex", kind="generic", secrets=[partners.globex_ref]),
            PartnerConfig(id="broken", kind="generic", secrets=[partners.missing_ref]),
        ],
        intake=IntakeConfig(max_body_bytes=LIMIT),
    )
    runtime = make_runtime(config, clock)
    try:
        yield runtime
    finally:
        runtime.store.dispose()


@pytest.fixture
async def client(runtime: Runtime) -> AsyncIterator[httpx.AsyncClient]:
    async with (
        serving(create_app(runtime, run_workers=False)) as base_url,
        httpx.AsyncClient(base_url=base_url, timeout=30) as http,
    ):
        yield http


# -- helpers -----------------------------------------------------------------------------


def order_body(number: int = 1) -> bytes:
    return sim.encode(sim.order_confirmed(number, NOW))


def unmappable_body() -> bytes:
    return sim.encode(
        {
            "type": "crossdock.order.confirmed.v1",
            "subject": "SO-BAD",
            "time": "2026-03-02T09:00:00Z",
            "data": {"order_number": "SO-BAD", "lines": []},
        }
    )


def signed(secret: str, body: bytes, msg_id: str | None = None, ts: int = TS) -> dict[str, str]:
    return sim.signed_headers(secret, body, msg_id or f"msg_{new_id()}", ts)


def count(runtime: Runtime, table: Any) -> int:
    with runtime.store.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def stored_counts(runtime: Runtime) -> tuple[int, int]:
    return count(runtime, messages), count(runtime, jobs)


def assert_problem(
    response: httpx.Response, status: int, kind: str, title: str, detail: str | None = None
) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert body["type"] == PROBLEM + kind
    assert body["title"] == title
    assert body["status"] == status
    assert isinstance(body["detail"], str)
    assert body["detail"].strip()
    if detail is not None:
        assert body["detail"] == detail
    return body


# -- errors that store nothing -----------------------------------------------------------


async def test_unknown_partner_is_404_and_not_stored(
    client: httpx.AsyncClient, runtime: Runtime, partners: Partners
) -> None:
    body = order_body()
    response = await client.post(
        "/webhooks/nobody", content=body, headers=signed(partners.acme, body)
    )
    problem = assert_problem(
        response,
        404,
        "unknown-partner",
        "Unknown partner",
        "no partner 'nobody' is configured; check the partner id in the URL",
    )
    assert problem["instance"] == "/webhooks/nobody"
    assert stored_counts(runtime) == (0, 0)


MISSING_HEADER_CASES = [
    (
        ("webhook-id", "webhook-timestamp", "webhook-signature"),
        "missing header(s): webhook-id, webhook-timestamp, webhook-signature",
    ),
    (("webhook-signature",), "missing header(s): webhook-signature"),
    (("webhook-id", "webhook-timestamp"), "missing header(s): webhook-id, webhook-timestamp"),
]


async def test_missing_signature_headers_are_401_and_not_stored(
    client: httpx.AsyncClient, runtime: Runtime, partners: Partners
) -> None:
    body = order_body()
    for dropped, detail in MISSING_HEADER_CASES:
        headers = {k: v for k, v in signed(partners.acme, body).items() if k not in dropped}
        response = await client.post("/webhooks/acme", content=body, headers=headers)
        problem = assert_problem(response, 401, "bad-signature", "Signature rejected", detail)
        assert problem["instance"] == "/webhooks/acme"
    assert stored_counts(runtime) == (0, 0)


async def test_bad_signatures_are_401_and_not_stored(
    client: httpx.AsyncClient, runtime: Runtime, partners: Partners
) -> None:
    body = order_body()
    cases = [
        # Signed with another partner's secret.
        (signed(partners.globex, body), "no v1 signature matches any active secret"),
        # Signed correctly, then the body was changed on the way.
        (
            signed(partners.acme, order_body(2)),
            "no v1 signature matches any active secret",
        ),
        # Only a signature of a version the scheme does not know.
        (
            {
                **signed(partners.acme, body),
                "webhook-signature": "v2," + signed(partners.acme, body)["webhook-signature"][3:],
            },
            "webhook-signature holds no v1 signature",
        ),
    ]
    for headers, detail in cases:
        response = await client.post("/webhooks/acme", content=body, headers=headers)
        assert_problem(response, 401, "bad-signature", "Signature rejected", detail)
    assert stored_counts(runtime) == (0, 0)


async def test_stale_and_future_timestamps_are_401_and_not_stored(
    client: httpx.AsyncClient, runtime: Runtime, partners: Partners
) -> None:
    body = order_body()
    stale = TS - 301
    response = await client.post(
        "/webhooks/acme", content=body, headers=signed(partners.acme, body, ts=stale)
    )
    assert_problem(
        response,
        401,
        "bad-signature",
        "Signature rejected",
        f"webhook-timestamp {stale} is older than the 300 s tolerance",
    )
    future = TS + 301
    response = await client.post(
        "/webhooks/acme", content=body, headers=signed(partners.acme, body, ts=future)
    )
    assert_problem(
        response,
        401,
        "bad-signature",
        "Signature rejected",
        f"webhook-timestamp {future} is in the future",
    )
    assert stored_counts(runtime) == (0, 0)
    # Right at the edge of the window the same request is fine.
    response = await client.post(
        "/webhooks/acme", content=body, headers=signed(partners.acme, body, ts=TS - 300)
    )
    assert response.status_code == 202
    assert stored_counts(runtime) == (1, 1)


async def test_broken_secret_reference_is_503_and_not_stored(
    client: httpx.AsyncClient, runtime: Runtime, partners: Partners
) -> None:
    body = order_body()
    response = await client.post(
        "/webhooks/broken", content=body, headers=signed(partners.acme, body)
    )
    problem = assert_problem(
        response,
        503,
        "partner-misconfigured",
        "Partner misconfigured",
        "partner 'broken' cannot be verified right now; the operator has been told",
    )
    assert "nowhere.secret" not in problem["detail"]
    assert stored_counts(runtime) == (0, 0)


async def test_body_over_the_limit_is_413_with_content_length(
    client: httpx.AsyncClient, runtime: Runtime, partners: Partners
) -> None:
    body = b'{"type": "crossdock.order.confirmed.v1", "pad": "' + b"x" * LIMIT + b'"}'
    response = await client.post(
        "/webhooks/acme", content=body, headers=signed(partners.acme, body)
    )
    problem = assert_problem(
        response,
        413,
        "body-too-large",
        "Body too large",
        f"the body exceeds the {LIMIT} byte limit for webhooks",
    )
    assert problem["limit"] == LIMIT
    assert problem["instance"] == "/webhooks/acme"
    assert stored_counts(runtime) == (0, 0)


async def test_body_over_the_limit_is_413_when_chunked(
    client: httpx.AsyncClient, runtime: Runtime, partners: Partners
) -> None:
    chunk = b" " * 512
    body = b"{}" + chunk * 5

    async def chunks() -> AsyncIterator[bytes]:
        yield b"{}"
        for _ in range(5):
            yield chunk

    headers = signed(partners.acme, body)
    request = client.build_request("POST", "/webhooks/acme", content=chunks(), headers=headers)
    assert "content-length" not in request.headers
    assert request.headers["transfer-encoding"] == "chunked"
    response = await client.send(request)
    problem = assert_problem(
        response,
        413,
        "body-too-large",
        "Body too large",
        f"the body exceeds the {LIMIT} byte limit for webhooks",
    )
    assert problem["limit"] == LIMIT
    assert stored_counts(runtime) == (0, 0)


async def test_body_exactly_at_the_limit_is_accepted(
    client: httpx.AsyncClient, runtime: Runtime, partners: Partners
) -> None:
    body = order_body()
    body = body + b" " * (LIMIT - len(body))
    assert len(body) == LIMIT
    response = await client.post(
        "/webhooks/acme", content=body, headers=signed(partners.acme, body)
    )
    assert response.status_code == 202, response.text
    stored = runtime.inbox.get(response.json()["message_id"])
    assert stored is not None
    assert stored.body == body


async def test_unknown_route_and_wrong_method_are_problems(client: httpx.AsyncClient) -> None:
    response = await client.post("/nowhere", content=b"{}")
    assert_problem(response, 404, "http-404", "Not Found", "POST /nowhere: Not Found")
    response = await client.get("/webhooks/acme")
    assert_problem(
        response, 405, "http-405", "HTTP error", "GET /webhooks/acme: Method Not Allowed"
    )


# -- what is stored ----------------------------------------------------------------------


async def test_body_that_is_not_json_is_stored_failed_and_answered_400(
    client: httpx.AsyncClient, runtime: Runtime, partners: Partners
) -> None:
    garbled = b'{"type": "crossdock.order.confirmed.v1", "data": '
    msg_id = "msg_garbled_1"
    response = await client.post(
        "/webhooks/acme", content=garbled, headers=signed(partners.acme, garbled, msg_id)
    )
    problem = assert_problem(response, 400, "unparseable-body", "Unparseable body")
    message_id = problem["message_id"]
    assert problem["instance"] == "/webhooks/acme"
    assert problem["detail"].startswith("the body is not valid JSON (")
    assert problem["detail"].endswith(f"it was stored as message {message_id} and marked failed")
    assert "crossdock-duplicate" not in response.headers

    failed = runtime.inbox.list(status="failed")
    assert [m.id for m in failed] == [message_id]
    stored = failed[0]
    assert stored.partner == "acme"
    assert stored.dedup_key == msg_id
    assert stored.body == garbled
    assert stored.response_status == 400
    assert stored.error is not None
    assert stored.error.startswith("unparseable: ")
    # Kept, but nothing to translate.
    assert stored_counts(runtime) == (1, 0)

    # A redelivery gets the same answer and the same message, and stores nothing new.
    again = await client.post(
        "/webhooks/acme",
        content=garbled,
        headers=signed(partners.acme, garbled, msg_id, ts=TS + 10),
    )
    repeat = assert_problem(again, 400, "unparseable-body", "Unparseable body")
    assert repeat["message_id"] == message_id
    assert repeat["detail"] == problem["detail"]
    assert again.headers["crossdock-duplicate"] == "true"
    assert stored_counts(runtime) == (1, 0)


async def test_body_that_is_not_utf8_is_stored_failed(
    client: httpx.AsyncClient, runtime: Runtime, partners: Partners
) -> None:
    body = b'{"type": "\xff\xfe"}'
    ts = str(TS)
    key = base64.b64decode(partners.acme.removeprefix("whsec_"))
    digest = hmac.new(key, f"msg_latin.{ts}.".encode() + body, hashlib.sha256).digest()
    headers = {
        "content-type": "application/json",
        "webhook-id": "msg_latin",
        "webhook-timestamp": ts,
        "webhook-signature": "v1," + base64.b64encode(digest).decode(),
    }
    response = await client.post("/webhooks/acme", content=body, headers=headers)
    problem = assert_problem(response, 400, "unparseable-body", "Unparseable body")
    stored = runtime.inbox.get(problem["message_id"])
    assert stored is not None
    assert stored.body == body
    assert stored.status == "failed"
    assert stored.error is not None
    assert stored.error.startswith("unparseable: ")
    assert stored_counts(runtime) == (1, 0)


async def test_valid_webhook_is_committed_before_the_answer(
    client: httpx.AsyncClient, runtime: Runtime, partners: Partners
) -> None:
    body = order_body()
    headers = {
        **signed(partners.acme, body, "msg_order_1"),
        "x-correlation-id": "corr-42",
        "authorization": "Bearer do-not-store-me",
    }
    response = await client.post("/webhooks/acme", content=body, headers=headers)
    assert response.status_code == 202, response.text
    assert response.headers["content-type"] == "application/json"
    answer = response.json()
    assert set(answer) == {"message_id", "status"}
    assert answer["status"] == "accepted"
    assert "crossdock-duplicate" not in response.headers

    # No waiting: the row and its translate job exist the moment the answer is in.
    stored = runtime.inbox.get(answer["message_id"])
    assert stored is not None
    assert stored.partner == "acme"
    assert stored.dedup_key == "msg_order_1"
    assert stored.status == "received"
    assert stored.error is None
    assert stored.response_status == 202
    assert stored.body == body
    assert stored.content_type == "application/json"
    assert stored.correlation_id == "corr-42"
    assert stored.received_at == NOW
    assert stored.headers["webhook-id"] == "msg_order_1"
    assert stored.headers["webhook-signature"] == headers["webhook-signature"]
    assert stored.headers["authorization"] == "[redacted]"
    queued = runtime.queue.list_jobs()
    assert [(j.job_type, j.status, j.message_id, j.partner) for j in queued] == [
        ("pipeline.translate", "queued", answer["message_id"], "acme")
    ]
    assert queued[0].idempotency_key == f"translate:{answer['message_id']}"
    assert queued[0].correlation_id == "corr-42"


async def test_repeated_webhook_id_gets_the_same_answer_and_stores_nothing_new(
    client: httpx.AsyncClient, runtime: Runtime, partners: Partners
) -> None:
    body = order_body()
    first = await client.post(
        "/webhooks/acme", content=body, headers=signed(partners.acme, body, "msg_dup")
    )
    assert first.status_code == 202
    # Redeliveries are signed anew, with a later timestamp.
    for delay in (0, 5, 60):
        again = await client.post(
            "/webhooks/acme",
            content=body,
            headers=signed(partners.acme, body, "msg_dup", ts=TS + delay),
        )
        assert again.status_code == 202
        assert again.json() == first.json()
        assert again.headers["crossdock-duplicate"] == "true"
    assert stored_counts(runtime) == (1, 1)


async def test_same_webhook_id_from_another_partner_is_another_message(
    client: httpx.AsyncClient, runtime: Runtime, partners: Partners
) -> None:
    body = order_body()
    from_acme = await client.post(
        "/webhooks/acme", content=body, headers=signed(partners.acme, body, "msg_shared")
    )
    from_globex = await client.post(
        "/webhooks/globex", content=body, headers=signed(partners.globex, body, "msg_shared")
    )
    assert from_acme.status_code == from_globex.status_code == 202
    assert "crossdock-duplicate" not in from_globex.headers
    acme_id = from_acme.json()["message_id"]
    globex_id = from_globex.json()["message_id"]
    assert acme_id != globex_id
    assert stored_counts(runtime) == (2, 2)
    acme_message = runtime.inbox.get(acme_id)
    globex_message = runtime.inbox.get(globex_id)
    assert acme_message is not None
    assert globex_message is not None
    assert (acme_message.partner, acme_message.dedup_key) == ("acme", "msg_shared")
    assert (globex_message.partner, globex_message.dedup_key) == ("globex", "msg_shared")


async def test_concurrent_duplicates_make_one_message(
    client: httpx.AsyncClient, runtime: Runtime, partners: Partners
) -> None:
    body = order_body()
    headers = signed(partners.acme, body, "msg_storm")
    responses = await asyncio.gather(
        *(client.post("/webhooks/acme", content=body, headers=headers) for _ in range(20))
    )
    assert [r.status_code for r in responses] == [202] * 20
    ids = {r.json()["message_id"] for r in responses}
    assert len(ids) == 1
    # Exactly one request made the message; the other 19 were answered as duplicates.
    originals = [r for r in responses if "crossdock-duplicate" not in r.headers]
    assert len(originals) == 1
    assert stored_counts(runtime) == (1, 1)
    stored = runtime.inbox.list()
    assert [m.id for m in stored] == list(ids)


# -- header values longer than their columns ------------------------------------------


OVERLONG = {
    "webhook-id (messages.dedup_key, 255)": ("webhook-id", "m" * 300),
    "x-correlation-id (messages.correlation_id, 255)": ("x-correlation-id", "c" * 300),
    "traceparent (messages.trace_parent, 64)": (
        "traceparent",
        "00-" + "a" * 32 + "-" + "b" * 16 + "-01" + "-extra" * 10,
    ),
    "content-type (messages.content_type, 255)": (
        "content-type",
        "application/json; profile=" + "p" * 300,
    ),
}


async def test_overlong_header_values_get_a_final_answer_not_503(
    client: httpx.AsyncClient, runtime: Runtime, partners: Partners
) -> None:
    """A signed message whose headers do not fit the inbox columns must not be answered
    "503, send it again": the partner would resend it forever and it would never be kept.

    SQLite does not enforce VARCHAR lengths and stores these (202); PostgreSQL raises
    StringDataRightTruncation inside the batch transaction, and intake answers 503.
    """
    outcomes: dict[str, int] = {}
    for case, (name, value) in OVERLONG.items():
        body = order_body()
        headers = signed(partners.acme, body)
        if name == "webhook-id":
            headers = signed(partners.acme, body, value)
        else:
            headers[name] = value
        response = await client.post("/webhooks/acme", content=body, headers=headers)
        outcomes[case] = response.status_code
        if response.status_code >= 400:
            assert response.headers["content-type"] == "application/problem+json"
    assert {case: status for case, status in outcomes.items() if status >= 500} == {}


async def test_one_bad_message_does_not_fail_the_others_in_its_batch(
    db_url: str, partners: Partners, clock: FrozenClock
) -> None:
    """Group commit shares one transaction; a message that cannot be stored must not take
    the other messages of its batch down with it (they were fine and are answered 503)."""
    config = make_config(
        db_url,
        [partners.acme_ref],
        # A long gathering window, so both requests surely share one batch.
        intake=IntakeConfig(group_commit_max_wait=timedelta(milliseconds=300)),
    )
    runtime = make_runtime(config, clock)
    good = order_body(1)
    bad = order_body(2)
    bad_headers = {**signed(partners.acme, bad, "msg_bad"), "traceparent": "t" * 100}
    try:
        async with (
            serving(create_app(runtime, run_workers=False)) as base_url,
            httpx.AsyncClient(base_url=base_url, timeout=30) as http,
        ):
            good_answer, _bad_answer = await asyncio.gather(
                http.post(
                    "/webhooks/acme",
                    content=good,
                    headers=signed(partners.acme, good, "msg_good"),
                ),
                http.post("/webhooks/acme", content=bad, headers=bad_headers),
            )
        assert good_answer.status_code == 202, good_answer.text
        assert [m.dedup_key for m in runtime.inbox.list() if m.dedup_key == "msg_good"] == [
            "msg_good"
        ]
    finally:
        runtime.store.dispose()


# -- health, readiness, OpenAPI ----------------------------------------------------------


async def test_health_readiness_and_openapi(client: httpx.AsyncClient) -> None:
    health = await client.get("/healthz")
    assert health.status_code == 200
    assert health.json() == {"status": "ok"}
    ready = await client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json() == {"status": "ready", "checks": {"database": "ok", "migrations": "ok"}}
    spec = await client.get("/openapi.json")
    assert spec.status_code == 200
    paths = spec.json()["paths"]
    assert "/webhooks/{partner}" in paths
    assert "post" in paths["/webhooks/{partner}"]
    assert {"/healthz", "/readyz"} <= set(paths)


async def test_readyz_is_503_before_migration(db_url: str, partners: Partners) -> None:
    config = make_config(db_url, [partners.acme_ref])
    runtime = Runtime.build(config, clock=FrozenClock(NOW))  # no migration on purpose
    try:
        async with (
            serving(create_app(runtime, run_workers=False)) as base_url,
            httpx.AsyncClient(base_url=base_url) as http,
        ):
            health = await http.get("/healthz")
            ready = await http.get("/readyz")
    finally:
        runtime.store.dispose()
    assert health.status_code == 200
    problem = assert_problem(
        ready,
        503,
        "not-ready",
        "Not ready",
        "database schema is not at the current migration; run `crossdock db upgrade`",
    )
    assert problem["checks"] == {"database": "ok", "migrations": "behind"}


async def test_readyz_is_503_when_the_database_is_unreachable(
    tmp_path: Path, partners: Partners
) -> None:
    config = make_config(f"sqlite:///{tmp_path / 'no-such-dir' / 'x.db'}", [partners.acme_ref])
    runtime = Runtime.build(config, clock=FrozenClock(NOW))
    try:
        async with (
            serving(create_app(runtime, run_workers=False)) as base_url,
            httpx.AsyncClient(base_url=base_url) as http,
        ):
            health = await http.get("/healthz")
            ready = await http.get("/readyz")
    finally:
        runtime.store.dispose()
    assert health.status_code == 200
    problem = assert_problem(
        ready, 503, "not-ready", "Not ready", "database unreachable: OperationalError"
    )
    assert problem["checks"] == {"database": "unreachable"}


# -- through the workers -----------------------------------------------------------------


async def test_workers_translate_valid_and_dead_letter_unmappable(
    client: httpx.AsyncClient, runtime: Runtime, partners: Partners
) -> None:
    good = order_body(7)
    bad = unmappable_body()
    garbled = b"not json at all"
    answers = {}
    for name, body in (("good", good), ("bad", bad), ("garbled", garbled)):
        response = await client.post(
            "/webhooks/acme", content=body, headers=signed(partners.acme, body)
        )
        answers[name] = response.json()["message_id"]
    assert stored_counts(runtime) == (3, 2)

    # Two translations, then the status-board job the translated order was routed to.
    processed = await runtime.worker().run_until_idle()
    assert processed == 3

    envelopes = events.for_message(runtime.store, answers["good"])
    assert len(envelopes) == 1
    envelope = envelopes[0]
    assert envelope.type == "crossdock.order.confirmed.v1"
    assert envelope.subject == "SO00007"
    assert envelope.partner == "acme"
    assert envelope.source == "/partners/acme"
    good_message = runtime.inbox.get(answers["good"])
    assert good_message is not None
    assert good_message.status == "translated"
    assert good_message.error is None

    mapping_error = (
        "data.ship_to: Field required; "
        "data.lines: List should have at least 1 item after validation, not 0"
    )
    bad_message = runtime.inbox.get(answers["bad"])
    assert bad_message is not None
    assert bad_message.status == "failed"
    assert bad_message.error == f"unmappable: {mapping_error}"
    assert events.for_message(runtime.store, answers["bad"]) == []
    dead = runtime.queue.dead_jobs()
    assert [(j.job_type, j.message_id, j.attempts) for j in dead] == [
        ("pipeline.translate", answers["bad"], 1)
    ]
    assert dead[0].last_error == f"crossdock.errors.MappingError: {mapping_error}"
    assert dead[0].last_traceback is not None
    assert "MappingError" in dead[0].last_traceback

    garbled_message = runtime.inbox.get(answers["garbled"])
    assert garbled_message is not None
    assert garbled_message.status == "failed"
    assert garbled_message.error is not None
    assert garbled_message.error.startswith("unparseable: ")

    assert runtime.queue.counts() == {
        ("pipeline.translate", "done"): 1,
        ("pipeline.translate", "dead"): 1,
        ("flows.status_board", "done"): 1,
    }
    assert runtime.queue.open_count() == 0


def test_order_body_fits_the_limit() -> None:
    """The fixtures above rely on a valid event fitting the small configured limit."""
    assert len(order_body()) < LIMIT
    assert orjson.loads(order_body())["type"] == "crossdock.order.confirmed.v1"
