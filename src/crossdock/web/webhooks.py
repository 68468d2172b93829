"""`POST /webhooks/{partner}`: verify, store durably, and only then answer."""

from __future__ import annotations

import orjson
import structlog
from fastapi import APIRouter, Request
from starlette.responses import Response

from crossdock.connectors.base import WebhookRequest
from crossdock.ids import new_id
from crossdock.observe import metrics, tracing
from crossdock.observe.logging import redact_headers
from crossdock.pipeline.intake import GroupCommitter
from crossdock.resilience.backpressure import BacklogGuard
from crossdock.runtime import Runtime
from crossdock.security.secrets import SecretError
from crossdock.security.standard_webhooks import SignatureError
from crossdock.store.inbox import ACCEPTED, IncomingMessage
from crossdock.web.problems import problem

log = structlog.get_logger("crossdock.intake")


class BodyTooLarge(Exception):
    pass


async def read_body(request: Request, limit: int) -> bytes:
    """Read at most `limit` bytes; a declared or actual larger body is refused early."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise BodyTooLarge
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge
        chunks.append(chunk)
    return b"".join(chunks)


MAX_MESSAGE_ID = 255


def _fits(value: str | None, limit: int) -> str | None:
    """Optional metadata that does not fit its column is left out (it stays in the headers)."""
    return value if value is not None and len(value) <= limit else None


def json_error(body: bytes) -> str | None:
    try:
        orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        return str(exc)
    return None


def build_router(runtime: Runtime, committer: GroupCommitter, stats: dict[str, int]) -> APIRouter:
    router = APIRouter()
    limit = runtime.config.intake.max_body_bytes
    instance_base = "/webhooks/"
    backlog = BacklogGuard(runtime.store, runtime.config.resilience, runtime.clock)

    def count(partner: str, outcome: str) -> None:
        key = f"{partner}:{outcome}"
        stats[key] = stats.get(key, 0) + 1
        metrics.intake_request(partner, outcome, known=outcome != "unknown_partner")

    @router.post("/webhooks/{partner}", status_code=202)
    @tracing.traced_intake
    async def receive_webhook(partner: str, request: Request) -> Response:
        instance = instance_base + partner
        if runtime.partners.config(partner) is None:
            count(partner, "unknown_partner")
            return problem(
                404,
                "Unknown partner",
                f"no partner {partner!r} is configured; check the partner id in the URL",
                kind="unknown-partner",
                instance=instance,
            )
        try:
            body = await read_body(request, limit)
        except BodyTooLarge:
            count(partner, "too_large")
            return problem(
                413,
                "Body too large",
                f"the body exceeds the {limit} byte limit for webhooks",
                kind="body-too-large",
                instance=instance,
                limit=limit,
            )
        headers = {name.lower(): value for name, value in request.headers.items()}
        now = runtime.clock.now()
        try:
            signed = WebhookRequest(
                headers=headers,
                body=body,
                query=dict(request.query_params),
                client_host=request.client.host if request.client else None,
            )
            dedup_key = runtime.partners.verifier(partner).verify(signed, now)
        except SignatureError as exc:
            # Counted, logged, not stored: an unsigned request is not a partner message.
            count(partner, "bad_signature")
            log.warning("webhook signature rejected", partner=partner, reason=exc.detail)
            return problem(
                401,
                "Signature rejected",
                exc.detail,
                kind="bad-signature",
                instance=instance,
            )
        except SecretError as exc:
            count(partner, "misconfigured")
            log.exception("partner secret unavailable", partner=partner, reason=str(exc))
            return problem(
                503,
                "Partner misconfigured",
                f"partner {partner!r} cannot be verified right now; the operator has been told",
                kind="partner-misconfigured",
                instance=instance,
            )
        refusal = await backlog.refusal(partner)
        if refusal is not None:
            count(partner, "backpressure")
            seconds = max(1, round(refusal.limit.retry_after.total_seconds()))
            return problem(
                refusal.limit.status,
                "Backlog full",
                f"partner {partner!r} has {refusal.backlog} messages' work still open (limit "
                f"{refusal.limit.max_backlog}); nothing was stored, send it again later",
                kind="backpressure",
                instance=instance,
                headers={"Retry-After": str(seconds)},
                backlog=refusal.backlog,
                limit=refusal.limit.max_backlog,
            )
        if len(dedup_key) > MAX_MESSAGE_ID:
            count(partner, "bad_message_id")
            return problem(
                400,
                "Message id too long",
                f"the partner's message id is {len(dedup_key)} characters; at most "
                f"{MAX_MESSAGE_ID} are kept for deduplication",
                kind="message-id-too-long",
                instance=instance,
            )
        message = IncomingMessage(
            id=new_id(),
            partner=partner,
            dedup_key=dedup_key,
            received_at=now,
            headers=redact_headers(headers),
            body=body,
            content_type=_fits(headers.get("content-type"), 255),
            parse_error=json_error(body),
            correlation_id=_fits(headers.get("x-correlation-id"), 255),
            trace_parent=tracing.message_traceparent(headers),
        )
        try:
            answer = await committer.submit(message)
        except Exception:  # noqa: BLE001 - any storage failure: the sender must retry
            count(partner, "store_failed")
            return problem(
                503,
                "Not stored",
                "the message could not be stored; nothing was kept, send it again",
                kind="store-unavailable",
                instance=instance,
                headers={"Retry-After": "1"},
            )
        extra = {"Crossdock-Duplicate": "true"} if answer.duplicate else None
        if answer.response_status == ACCEPTED:
            count(partner, "duplicate" if answer.duplicate else "accepted")
            return Response(
                orjson.dumps({"message_id": answer.message_id, "status": "accepted"}),
                status_code=202,
                media_type="application/json",
                headers=extra,
            )
        count(partner, "unparseable")
        return problem(
            answer.response_status,
            "Unparseable body",
            f"the body is not valid JSON ({answer.error}); it was stored as message "
            f"{answer.message_id} and marked failed",
            kind="unparseable-body",
            instance=instance,
            headers=extra,
            message_id=answer.message_id,
        )

    return router
