"""`POST /api/v1/intake/{partner}`: intake for partners that authenticate with an API key
(`webhooks:write:<partner>`) rather than a signature; a key posts only as its own partner.

Same guarantees as the signed webhooks (web/webhooks.py): the answer comes only after the raw
bytes are durable, an unparseable body is kept and marked failed, and a repeated
`Idempotency-Key` is the same message.
"""

from __future__ import annotations

import orjson
from fastapi import APIRouter, Request
from starlette.responses import Response

from crossdock.ids import new_id
from crossdock.observe.logging import redact_headers
from crossdock.runtime import Runtime
from crossdock.security import scopes
from crossdock.store.inbox import ACCEPTED, IncomingMessage
from crossdock.web.api_models import PROBLEM_RESPONSES, Accepted
from crossdock.web.auth import Authenticated, require
from crossdock.web.problems import problem
from crossdock.web.webhooks import MAX_MESSAGE_ID, BodyTooLarge, json_error, read_body

PREFIX = "/api/v1"


def build_intake_router(runtime: Runtime) -> APIRouter:
    router = APIRouter(prefix=PREFIX, responses=PROBLEM_RESPONSES)
    limit_bytes = runtime.config.intake.max_body_bytes

    @router.post(
        "/intake/{partner}",
        status_code=202,
        response_model=Accepted,
        responses={413: PROBLEM_RESPONSES[422], 503: PROBLEM_RESPONSES[422]},
    )
    async def intake(partner: str, request: Request, principal: Authenticated) -> Response:
        """A partner's message, authenticated by its key (`webhooks:write:<partner>`): stored
        durably before the answer. `Idempotency-Key` names the message for deduplication."""
        instance = f"{PREFIX}/intake/{partner}"
        require(principal, f"{scopes.WEBHOOKS_WRITE}:{partner}")
        if runtime.partners.config(partner) is None:
            return problem(
                404,
                "Unknown partner",
                f"no partner {partner!r} is configured",
                kind="unknown-partner",
                instance=instance,
            )
        try:
            body = await read_body(request, limit_bytes)
        except BodyTooLarge:
            return problem(
                413,
                "Body too large",
                f"the body exceeds the {limit_bytes} byte limit",
                kind="body-too-large",
                instance=instance,
                limit=limit_bytes,
            )
        headers = {name.lower(): value for name, value in request.headers.items()}
        dedup_key = headers.get("idempotency-key") or new_id()
        if len(dedup_key) > MAX_MESSAGE_ID:
            return problem(
                400,
                "Idempotency key too long",
                f"Idempotency-Key has {len(dedup_key)} characters; at most {MAX_MESSAGE_ID}",
                kind="message-id-too-long",
                instance=instance,
            )
        content_type = headers.get("content-type")
        message = IncomingMessage(
            id=new_id(),
            partner=partner,
            dedup_key=dedup_key,
            received_at=runtime.clock.now(),
            headers={**redact_headers(headers), "x-crossdock-key": principal.key_id},
            body=body,
            content_type=content_type if content_type and len(content_type) <= 255 else None,
            parse_error=json_error(body),
        )
        committer = request.app.state.committer
        try:
            answer = await committer.submit(message)
        except Exception:  # noqa: BLE001 - any storage failure: the sender must retry
            return problem(
                503,
                "Not stored",
                "the message could not be stored; nothing was kept, send it again",
                kind="store-unavailable",
                instance=instance,
                headers={"Retry-After": "1"},
            )
        if answer.response_status != ACCEPTED:
            return problem(
                answer.response_status,
                "Unparseable body",
                f"the body is not valid JSON ({answer.error}); it was stored as message "
                f"{answer.message_id} and marked failed",
                kind="unparseable-body",
                instance=instance,
                message_id=answer.message_id,
            )
        return Response(
            orjson.dumps({"message_id": answer.message_id, "status": "accepted"}),
            status_code=202,
            media_type="application/json",
            headers={"Crossdock-Duplicate": "true"} if answer.duplicate else None,
        )

    return router
