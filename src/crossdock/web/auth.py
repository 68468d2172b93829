"""Bearer API keys for the HTTP API: who is calling, and whether a scope lets them.

`Authenticated` is a FastAPI dependency that resolves `Authorization: Bearer cdk_…` to a
`Principal` (or answers 401 problem+json); with `security.jwt_key` set, an OAuth2 access
token from `POST /api/v1/oauth/token` (web/api_oauth.py) works the same way.
`require(principal, scope)` answers 403 naming the missing scope. Partner-dependent scopes
are checked inside the route, once the partner is known, so one dependency serves every
route.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, FastAPI, Request
from starlette.responses import Response

from crossdock.runtime import Runtime
from crossdock.security import api_keys, tokens
from crossdock.security.api_keys import Principal, Refusal
from crossdock.security.scopes import allows
from crossdock.web.problems import problem


class Refused(Exception):
    """A request the API will not serve: 401 (who are you?) or 403 (not allowed)."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail


def bearer_token(request: Request) -> str | None:
    scheme, _, offered = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not offered.strip():
        return None
    return offered.strip()


def principal_for(
    runtime: Runtime, presented: str, jwt_key: bytes | None = None
) -> Principal | Refusal:
    """Check a presented API key, or an access token when tokens are on, against the store,
    by the runtime's clock."""
    with runtime.store.engine.connect() as conn:
        if jwt_key is not None and tokens.looks_like_jwt(presented):
            return tokens.authenticate(conn, presented, key=jwt_key, now=runtime.clock.now())
        return api_keys.authenticate(conn, presented, runtime.clock.now())


def authenticate(request: Request) -> Principal:
    """Sync on purpose: FastAPI runs it in its thread pool, off the event loop."""
    presented = bearer_token(request)
    if presented is None:
        raise Refused(401, "send Authorization: Bearer <API key>")
    outcome = principal_for(
        request.app.state.runtime, presented, getattr(request.app.state, "jwt_key", None)
    )
    if isinstance(outcome, Refusal):
        raise Refused(401, outcome.reason)
    return outcome


Authenticated = Annotated[Principal, Depends(authenticate)]


def require(principal: Principal, scope: str) -> None:
    if not allows(principal.scopes, scope):
        raise Refused(403, f"identity {principal.identity} lacks the scope {scope}")


def refusal_response(request: Request, exc: Refused) -> Response:
    unauthenticated = exc.status == 401
    return problem(
        exc.status,
        "Unauthorized" if unauthenticated else "Forbidden",
        exc.detail,
        kind="unauthorized" if unauthenticated else "forbidden",
        instance=request.url.path,
        headers={"www-authenticate": "Bearer"} if unauthenticated else None,
    )


def install_auth(app: FastAPI) -> None:
    @app.exception_handler(Refused)
    async def _refused(request: Request, exc: Refused) -> Response:
        return refusal_response(request, exc)
