"""`/api/v1/subscriptions`: manage outbound notification endpoints and read their delivery log.

Every call carries `Authorization: Bearer <token>`: one of `notifications.api_tokens`, or
the API key of an identity holding `config:read` (GET) or `config:write` (changes). Errors
are problem+json like the rest of the HTTP surface.
"""

from __future__ import annotations

import hmac
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, FastAPI, Path, Query, Request
from pydantic import BaseModel, ConfigDict, Field, field_validator
from starlette.responses import JSONResponse, Response

from crossdock.connectors.notify.model import Filters
from crossdock.connectors.notify.repository import NameTaken
from crossdock.connectors.notify.service import SubscriptionService
from crossdock.connectors.notify.settings import (
    NAME_PATTERN,
    SubscriptionFilters,
    check_event_type_pattern,
    check_url,
)
from crossdock.runtime import Runtime
from crossdock.security import scopes
from crossdock.security.api_keys import Principal
from crossdock.security.secrets import resolve
from crossdock.web.auth import principal_for
from crossdock.web.problems import problem

# Ids are 64-bit on PostgreSQL and SQLite alike: anything outside that is no subscription,
# answered 422 before a query could overflow the column.
SubscriptionId = Annotated[int, Path(ge=1, le=2**63 - 1)]
PREFIX = "/api/v1/subscriptions"


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class NewSubscription(_Body):
    name: str = Field(pattern=NAME_PATTERN)
    url: str
    event_types: list[str] = Field(min_length=1)
    filters: SubscriptionFilters = Field(default_factory=SubscriptionFilters)

    @field_validator("url")
    @classmethod
    def _url(cls, value: str) -> str:
        return check_url(value)

    @field_validator("event_types")
    @classmethod
    def _types(cls, value: list[str]) -> list[str]:
        return [check_event_type_pattern(pattern) for pattern in value]


class SubscriptionChange(_Body):
    status: Literal["active", "disabled"]
    reason: str | None = Field(default=None, max_length=500)


class Unauthorized(Exception):
    def __init__(self, status: int, detail: str) -> None:
        self.status = status
        self.detail = detail


def caller(request: Request) -> str:
    """The authenticated caller, for the audit trail: which token, never the token itself."""
    tokens: list[bytes] = request.app.state.api_tokens
    scheme, _, offered = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not offered.strip():
        raise Unauthorized(401, "send Authorization: Bearer <token>")
    candidate = offered.strip().encode()
    for index, token in enumerate(tokens):
        if hmac.compare_digest(candidate, token):
            return f"api:token[{index}]"
    # An identity's API key with a config scope may manage subscriptions too.
    outcome = principal_for(
        request.app.state.runtime, offered.strip(), getattr(request.app.state, "jwt_key", None)
    )
    if isinstance(outcome, Principal):
        needed = scopes.CONFIG_READ if request.method == "GET" else scopes.CONFIG_WRITE
        if scopes.allows(outcome.scopes, needed):
            return outcome.actor
        raise Unauthorized(403, f"identity {outcome.identity} lacks the scope {needed}")
    raise Unauthorized(
        403, "the bearer token is not one of notifications.api_tokens nor a valid API key"
    )


Caller = Annotated[str, Depends(caller)]


def _not_found(subscription_id: int) -> Response:
    return problem(
        404,
        "Unknown subscription",
        f"no subscription with id {subscription_id}",
        kind="unknown-subscription",
        instance=f"{PREFIX}/{subscription_id}",
    )


def build_subscriptions_router(service: SubscriptionService) -> APIRouter:
    router = APIRouter()
    run = service.store.run

    @router.post(PREFIX, status_code=201)
    async def create_subscription(body: NewSubscription, actor: Caller) -> Response:
        try:
            created = await run(
                service.create,
                name=body.name,
                url=body.url,
                event_types=body.event_types,
                filters=Filters.from_json(body.filters.model_dump()),
                actor=actor,
            )
        except NameTaken as exc:
            return problem(409, "Name taken", str(exc), kind="subscription-name-taken")
        document = {**created.subscription.public(), "secret": created.secret}
        location = f"{PREFIX}/{created.subscription.id}"
        return JSONResponse(document, status_code=201, headers={"location": location})

    @router.get(PREFIX)
    async def list_subscriptions(_actor: Caller) -> Response:
        found = await run(service.all)
        return JSONResponse({"subscriptions": [sub.public() for sub in found]})

    @router.get(PREFIX + "/{subscription_id}")
    async def show_subscription(subscription_id: SubscriptionId, _actor: Caller) -> Response:
        found = await run(service.get, subscription_id)
        return _not_found(subscription_id) if found is None else JSONResponse(found.public())

    @router.patch(PREFIX + "/{subscription_id}")
    async def change_subscription(
        subscription_id: SubscriptionId, body: SubscriptionChange, actor: Caller
    ) -> Response:
        changed = await run(
            service.set_status,
            subscription_id,
            active=body.status == "active",
            actor=actor,
            reason=body.reason,
        )
        return _not_found(subscription_id) if changed is None else JSONResponse(changed.public())

    @router.delete(PREFIX + "/{subscription_id}", status_code=204)
    async def delete_subscription(subscription_id: SubscriptionId, actor: Caller) -> Response:
        outcome = await run(service.remove, subscription_id, actor)
        if outcome == "missing":
            return _not_found(subscription_id)
        if outcome == "config":
            return problem(
                409,
                "Defined in the config file",
                f"subscription {subscription_id} comes from the config file: remove it there "
                "(or disable it with PATCH)",
                kind="subscription-from-config",
                instance=f"{PREFIX}/{subscription_id}",
            )
        return Response(status_code=204)

    @router.get(PREFIX + "/{subscription_id}/deliveries")
    async def subscription_deliveries(
        subscription_id: SubscriptionId,
        _actor: Caller,
        limit: Annotated[int, Query(ge=1, le=1000)] = 50,
    ) -> Response:
        found = await run(service.deliveries, subscription_id, limit)
        if found is None:
            return _not_found(subscription_id)
        return JSONResponse({"deliveries": [delivery.public() for delivery in found]})

    return router


def install_subscriptions_api(app: FastAPI, runtime: Runtime) -> None:
    """Mount the API when a token is configured or identities may use it; a refused token
    answers problem+json."""
    settings = runtime.config.notifications
    if not settings.api_tokens and not runtime.config.security.subscriptions_api:
        return
    # Resolved once at start: a missing token secret stops the server, not one request.
    app.state.api_tokens = [resolve(ref).encode() for ref in settings.api_tokens]

    @app.exception_handler(Unauthorized)
    async def _unauthorized(request: Request, exc: Unauthorized) -> Response:
        return problem(
            exc.status,
            "Unauthorized" if exc.status == 401 else "Forbidden",
            exc.detail,
            kind="unauthorized" if exc.status == 401 else "forbidden",
            instance=request.url.path,
            headers={"www-authenticate": "Bearer"} if exc.status == 401 else None,
        )

    service = SubscriptionService(runtime.store, settings, runtime.clock)
    app.include_router(build_subscriptions_router(service))
