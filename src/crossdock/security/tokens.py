"""OAuth2 client-credentials access tokens: short-lived JWTs (HS256) minted for an API key.

The token names its identity (`sub`) and the key it was minted with (`kid`), and carries the
granted scopes (`scope`, space-separated, as RFC 6749 writes them). Each use is checked
against the store again: a revoked or expired key, a disabled identity or a revoked scope
takes effect at once, not when the token expires. Time comes from the injectable clock, not
the library's own `time.time()`.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import jwt
from sqlalchemy import Connection

from crossdock.security import api_keys
from crossdock.security.api_keys import Principal, Refusal

ISSUER = "crossdock"
ALGORITHM = "HS256"


@dataclass(frozen=True)
class AccessToken:
    token: str
    expires_in: int
    scope: str


def looks_like_jwt(presented: str) -> bool:
    return presented.count(".") == 2 and not presented.startswith(api_keys.KEY_PREFIX + "_")


def mint(
    principal: Principal,
    requested: frozenset[str] | None,
    *,
    key: bytes,
    now: datetime,
    lifetime: timedelta,
) -> AccessToken | Refusal:
    """A token for the scopes asked (all of the key's when none), or a refusal naming the
    scopes the identity does not hold."""
    granted = principal.scopes if requested is None else requested
    missing = sorted(granted - principal.scopes)
    if missing:
        return Refusal(f"identity {principal.identity} does not hold {', '.join(missing)}")
    scope = " ".join(sorted(granted))
    claims = {
        "iss": ISSUER,
        "sub": principal.identity,
        "kid": principal.key_id,
        "scope": scope,
        "iat": int(now.timestamp()),
        "exp": int((now + lifetime).timestamp()),
        "jti": secrets.token_hex(8),
    }
    return AccessToken(
        jwt.encode(claims, key, algorithm=ALGORITHM), int(lifetime.total_seconds()), scope
    )


def authenticate(
    conn: Connection, presented: str, *, key: bytes, now: datetime
) -> Principal | Refusal:
    try:
        claims = jwt.decode(
            presented,
            key,
            algorithms=[ALGORITHM],
            issuer=ISSUER,
            options={"verify_exp": False, "verify_iat": False, "require": ["exp", "sub", "kid"]},
        )
    except jwt.InvalidTokenError as exc:
        return Refusal(f"invalid access token: {exc}")
    if int(claims["exp"]) <= now.timestamp():
        return Refusal("access token expired")
    found = api_keys.get(conn, str(claims["kid"]))
    if found is None or found.identity != claims["sub"] or found.state(now) != "active":
        return Refusal("the key this token was minted with is no longer valid")
    current = api_keys.principal_of(conn, found.key_id, now)
    if current is None:
        return Refusal(f"identity {claims['sub']} is disabled")
    # Scopes revoked since the token was minted are gone from it too.
    carried = frozenset(str(claims.get("scope", "")).split())
    return Principal(
        identity=current.identity,
        kind=current.kind,
        key_id=current.key_id,
        scopes=carried & current.scopes,
    )
