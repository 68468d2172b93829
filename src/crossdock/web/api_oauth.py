"""`POST /api/v1/oauth/token`: the OAuth2 client-credentials grant (RFC 6749 §4.4).

The client is an API key: `client_id` is its id, `client_secret` the key (or its secret
part), in the form body or as HTTP Basic credentials (§2.3.1). The answer is a short-lived
JWT access token (security/tokens.py) for the scopes asked, or all of the key's. Errors are
problem+json carrying the RFC's `error` code, so OAuth2 clients read them too.
"""

from __future__ import annotations

import base64
import binascii
from typing import Annotated, Literal
from urllib.parse import parse_qs, unquote

from fastapi import APIRouter, Header, Request
from pydantic import BaseModel
from starlette.responses import JSONResponse, Response

from crossdock.runtime import Runtime
from crossdock.security import api_keys, tokens
from crossdock.security.api_keys import Principal, Refusal
from crossdock.security.scopes import ScopeError, check_scope, effective
from crossdock.web.api_models import PROBLEM_RESPONSES
from crossdock.web.problems import problem

PATH = "/api/v1/oauth/token"
MAX_FORM_BYTES = 8192
TOKEN_TYPE: Literal["Bearer"] = "Bearer"  # noqa: S105 - the RFC 6750 scheme name, not a secret


class TokenAnswer(BaseModel):
    access_token: str
    token_type: Literal["Bearer"]
    expires_in: int
    scope: str


def _oauth_error(status: int, error: str, detail: str) -> Response:
    headers = {"www-authenticate": "Basic"} if status == 401 else None
    return problem(
        status, error, detail, kind=f"oauth-{error}", instance=PATH, headers=headers, error=error
    )


def _basic(authorization: str | None) -> tuple[str, str] | None:
    scheme, _, encoded = (authorization or "").partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        return None
    client_id, _, secret = decoded.partition(":")
    return unquote(client_id), unquote(secret)


def build_oauth_router(runtime: Runtime, key: bytes) -> APIRouter:
    router = APIRouter()
    lifetime = runtime.config.security.token_lifetime

    def authenticate_client(client_id: str, secret: str) -> Principal | Refusal:
        presented = secret if secret.startswith("cdk_") else f"cdk_{client_id}_{secret}"
        parsed = api_keys.parse(presented)
        if parsed is None or parsed[0] != client_id:
            return Refusal("client_id does not name the key in client_secret")
        with runtime.store.engine.connect() as conn:
            return api_keys.authenticate(conn, presented, runtime.clock.now())

    @router.post(
        PATH,
        response_model=TokenAnswer,
        responses={400: PROBLEM_RESPONSES[422], 401: PROBLEM_RESPONSES[401]},
    )
    async def issue_token(
        request: Request, authorization: Annotated[str | None, Header()] = None
    ) -> Response:
        """An access token for an API key (grant_type=client_credentials, form-encoded)."""
        body = await request.body()
        if len(body) > MAX_FORM_BYTES:
            return _oauth_error(400, "invalid_request", "the form is too large")
        form = {name: values[0] for name, values in parse_qs(body.decode("latin-1")).items()}
        if form.get("grant_type") != "client_credentials":
            return _oauth_error(
                400, "unsupported_grant_type", "grant_type must be client_credentials"
            )
        credentials = _basic(authorization) or (
            form.get("client_id", ""),
            form.get("client_secret", ""),
        )
        if not all(credentials):
            return _oauth_error(401, "invalid_client", "send client_id and client_secret")
        requested: frozenset[str] | None = None
        if form.get("scope"):
            try:
                requested = effective(check_scope(s) for s in form["scope"].split())
            except ScopeError as exc:
                return _oauth_error(400, "invalid_scope", str(exc))
        client = await runtime.store.run(authenticate_client, *credentials)
        if isinstance(client, Refusal):
            return _oauth_error(401, "invalid_client", client.reason)
        minted = tokens.mint(client, requested, key=key, now=runtime.clock.now(), lifetime=lifetime)
        if isinstance(minted, Refusal):
            return _oauth_error(400, "invalid_scope", minted.reason)
        answer = TokenAnswer(
            access_token=minted.token,
            token_type=TOKEN_TYPE,
            expires_in=minted.expires_in,
            scope=minted.scope,
        )
        return JSONResponse(answer.model_dump(), headers={"cache-control": "no-store"})

    return router
