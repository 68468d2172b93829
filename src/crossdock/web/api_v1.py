"""`/api/v1`: messages, events and dead letters for API-key holders (intake for partners
that authenticate with a key: web/api_intake.py).

Every route needs a bearer API key (web/auth.py) and a scope; a partner's key reads only its
own messages and posts only as itself. Answers pass through the redaction policy: secrets
never, personal data only for holders of `pii:read`.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, FastAPI, Query
from sqlalchemy import select
from starlette.responses import JSONResponse, Response

from crossdock.observe.logging import redact_headers
from crossdock.runtime import Runtime
from crossdock.security import scopes
from crossdock.security.api_keys import Principal
from crossdock.security.redaction import mask_text, may_read_personal_data, redact, redact_body
from crossdock.store import events
from crossdock.store.inbox import StoredMessage
from crossdock.store.schema import events as events_table
from crossdock.store.schema import messages
from crossdock.web.api_audit import build_audit_router
from crossdock.web.api_intake import build_intake_router
from crossdock.web.api_models import (
    PROBLEM_RESPONSES,
    DeadLetter,
    DeadLetterList,
    EventList,
    MessageDetail,
    MessageList,
    MessageSummary,
    ReplayRequest,
    ReplayResult,
    document_problems,
)
from crossdock.web.api_oauth import build_oauth_router
from crossdock.web.auth import Authenticated, install_auth, require
from crossdock.web.problems import problem

PREFIX = "/api/v1"
PARTNER_ID = r"^[a-z0-9][a-z0-9_-]{0,63}$"
MessageStatus = Literal["received", "translated", "failed"]


def _summary(message: Any, personal: bool) -> MessageSummary:
    return MessageSummary(
        id=message.id,
        partner=message.partner,
        partner_message_id=message.dedup_key,
        received_at=message.received_at,
        status=message.status,
        error=message.error if personal or message.error is None else mask_text(message.error),
        content_type=message.content_type,
        correlation_id=message.correlation_id,
    )


def _readable(principal: Principal) -> frozenset[str] | None:
    return scopes.partners_with(principal.scopes, scopes.MESSAGES_READ)


def build_api_router(runtime: Runtime) -> APIRouter:
    router = APIRouter(prefix=PREFIX, responses=PROBLEM_RESPONSES)
    run = runtime.store.run

    def list_messages(partners: frozenset[str] | None, status: str | None, limit: int) -> list[Any]:
        query = select(messages).order_by(messages.c.received_at.desc()).limit(limit)
        if partners is not None:
            query = query.where(messages.c.partner.in_(sorted(partners)))
        if status:
            query = query.where(messages.c.status == status)
        with runtime.store.engine.connect() as conn:
            return list(conn.execute(query))

    @router.get("/messages", response_model=MessageList)
    async def get_messages(
        principal: Authenticated,
        partner: Annotated[str | None, Query(pattern=PARTNER_ID)] = None,
        status: MessageStatus | None = None,
        limit: Annotated[int, Query(ge=1, le=500)] = 50,
    ) -> MessageList:
        """Stored messages, newest first: only of the partners the key may read."""
        readable = _readable(principal)
        if partner is not None:
            require(principal, f"{scopes.MESSAGES_READ}:{partner}")
            readable = frozenset({partner})
        elif readable is not None and not readable:
            require(principal, f"{scopes.MESSAGES_READ}:<partner>")
        rows = await run(list_messages, readable, status, limit)
        personal = may_read_personal_data(principal.scopes)
        return MessageList(messages=[_summary(row, personal) for row in rows])

    @router.get("/messages/{message_id}", response_model=MessageDetail)
    async def get_message(message_id: str, principal: Authenticated) -> Response:
        """One message with its headers, body and events, redacted for the reader."""
        found: StoredMessage | None = await run(runtime.inbox.get, message_id)
        readable = _readable(principal)
        if found is None or (readable is not None and found.partner not in readable):
            # The same answer whether it does not exist or belongs to another partner.
            return problem(
                404,
                "Unknown message",
                f"no message {message_id} that this key may read",
                kind="unknown-message",
                instance=f"{PREFIX}/messages/{message_id}",
            )
        personal = may_read_personal_data(principal.scopes)
        recorded = await run(events.for_message, runtime.store, message_id)
        detail = MessageDetail(
            **_summary(found, personal).model_dump(),
            headers=redact(redact_headers(found.headers), personal_data=personal),
            body=redact_body(found.body, personal_data=personal),
            events=[
                redact(envelope.to_cloudevent(), personal_data=personal) for envelope in recorded
            ],
        )
        return JSONResponse(detail.model_dump(mode="json"))

    def recent_events(event_type: str | None, limit: int) -> list[dict[str, Any]]:
        query = (
            select(events_table.c.envelope).order_by(events_table.c.recorded_at.desc()).limit(limit)
        )
        if event_type:
            query = query.where(events_table.c.type == event_type)
        with runtime.store.engine.connect() as conn:
            return [row.envelope for row in conn.execute(query)]

    @router.get("/events", response_model=EventList)
    async def get_events(
        principal: Authenticated,
        event_type: Annotated[str | None, Query(alias="type", max_length=128)] = None,
        limit: Annotated[int, Query(ge=1, le=500)] = 50,
    ) -> EventList:
        """Canonical events, newest first (`events:read`)."""
        require(principal, scopes.EVENTS_READ)
        personal = may_read_personal_data(principal.scopes)
        found = await run(recent_events, event_type, limit)
        return EventList(events=[redact(item, personal_data=personal) for item in found])

    @router.get("/dead-letters", response_model=DeadLetterList)
    async def get_dead_letters(
        principal: Authenticated,
        job_type: Annotated[str | None, Query(max_length=100)] = None,
        partner: Annotated[str | None, Query(pattern=PARTNER_ID)] = None,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    ) -> DeadLetterList:
        """Dead-lettered jobs with their last error (`dlq:read`)."""
        require(principal, scopes.DLQ_READ)
        personal = may_read_personal_data(principal.scopes)
        dead = await run(
            lambda: runtime.queue.dead_jobs(job_type=job_type, partner=partner, limit=limit)
        )
        return DeadLetterList(
            dead_letters=[
                DeadLetter(
                    id=job.id,
                    job_type=job.job_type,
                    partner=job.partner,
                    lane_key=job.lane_key,
                    attempts=job.attempts,
                    dead_since=job.finished_at,
                    last_error=redact(job.last_error, personal_data=personal),
                    payload=redact(job.payload, personal_data=personal),
                )
                for job in dead
            ]
        )

    @router.post("/dead-letters/replay", response_model=ReplayResult)
    async def replay_dead_letters(body: ReplayRequest, principal: Authenticated) -> ReplayResult:
        """Re-enqueue dead jobs (`dlq:replay`); each replay is audited under the key's identity."""
        require(principal, scopes.DLQ_REPLAY)
        outcome = await run(
            runtime.queue.replay, body.job_ids, runtime.clock.now(), principal.actor
        )
        return ReplayResult(
            replayed=outcome.replayed,
            skipped={str(job_id): reason for job_id, reason in outcome.skipped.items()},
        )

    return router


def install_api_v1(app: FastAPI, runtime: Runtime) -> None:
    install_auth(app)
    document_problems(app)
    # Resolved once at start: a missing key stops the server, not one request.
    jwt_key = runtime.config.security.jwt_key_bytes()
    app.state.jwt_key = jwt_key
    if jwt_key is not None:
        app.include_router(build_oauth_router(runtime, jwt_key))
    app.include_router(build_api_router(runtime))
    app.include_router(build_intake_router(runtime))
    app.include_router(build_audit_router(runtime))
