"""API keys: made once and shown once, kept only as a hash, checked by the injectable clock.

A key reads `cdk_<id>_<secret>`: the id is public (it names the key in lists, logs and the
audit trail), the secret is 256 random bits of which only a SHA-256 is stored. A slow
password hash would buy nothing for a secret that long and cost every request. An identity
may hold several active keys; rotation makes a new one and gives the old one an expiry at
the end of the overlap window, so both work until then and the old one stops by itself.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, insert, select, update

from crossdock.security import identities
from crossdock.security.scopes import effective
from crossdock.store import audit
from crossdock.store.schema import api_keys, identity_scopes
from crossdock.store.schema import identities as identities_table

KEY_PREFIX = "cdk"


class ApiKeyError(ValueError):
    """A refused key operation: unknown key, already revoked."""


@dataclass(frozen=True)
class IssuedKey:
    """A key as made: the full secret exists only in this object, to be shown once."""

    key_id: str
    identity: str
    secret: str
    expires_at: datetime | None


@dataclass(frozen=True)
class KeyInfo:
    key_id: str
    identity: str
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
    replaced_by: str | None

    def state(self, now: datetime) -> str:
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at is not None and self.expires_at <= now:
            return "expired"
        return "active"

    def public(self, now: datetime) -> dict[str, Any]:
        return {
            "key_id": self.key_id,
            "identity": self.identity,
            "created_at": self.created_at.isoformat(),
            "expires_at": self.expires_at.isoformat() if self.expires_at else None,
            "state": self.state(now),
            "replaced_by": self.replaced_by,
        }


@dataclass(frozen=True)
class Principal:
    """Who a request authenticated as: the identity, its effective scopes, which key."""

    identity: str
    kind: str
    key_id: str
    scopes: frozenset[str]

    @property
    def actor(self) -> str:
        """For the audit trail: the identity and the key, never the key's secret."""
        return f"identity:{self.identity}[{self.key_id}]"


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def parse(presented: str) -> tuple[str, str] | None:
    """(key id, secret) of a well-formed key, else None."""
    prefix, _, rest = presented.partition("_")
    key_id, _, secret = rest.partition("_")
    if prefix != KEY_PREFIX or not key_id or not secret or len(key_id) > 32:
        return None
    return key_id, secret


def create(
    conn: Connection,
    identity_name: str,
    *,
    now: datetime,
    actor: str,
    expires_in: timedelta | None = None,
) -> IssuedKey:
    found = identities.require(conn, identity_name)
    key_id = secrets.token_hex(8)
    secret = secrets.token_urlsafe(32)
    expires_at = now + expires_in if expires_in is not None else None
    conn.execute(
        insert(api_keys).values(
            id=key_id,
            identity_id=found.id,
            secret_hash=_digest(secret),
            created_at=now,
            expires_at=expires_at,
        )
    )
    audit.append(
        conn,
        at=now,
        actor=actor,
        action="key.created",
        target=f"key:{key_id}",
        details={"identity": identity_name},
        after={"expires_at": expires_at.isoformat() if expires_at else None},
    )
    return IssuedKey(key_id, identity_name, f"{KEY_PREFIX}_{key_id}_{secret}", expires_at)


def _info(row: Any) -> KeyInfo:
    return KeyInfo(
        key_id=row.id,
        identity=row.name,
        created_at=row.created_at,
        expires_at=row.expires_at,
        revoked_at=row.revoked_at,
        replaced_by=row.replaced_by,
    )


def _keys_query() -> Any:
    return select(api_keys, identities_table.c.name).join(
        identities_table, identities_table.c.id == api_keys.c.identity_id
    )


def get(conn: Connection, key_id: str) -> KeyInfo | None:
    row = conn.execute(_keys_query().where(api_keys.c.id == key_id)).first()
    return _info(row) if row else None


def list_keys(conn: Connection, identity_name: str | None = None) -> list[KeyInfo]:
    query = _keys_query().order_by(identities_table.c.name, api_keys.c.created_at)
    if identity_name:
        query = query.where(identities_table.c.name == identity_name)
    return [_info(row) for row in conn.execute(query)]


def _require_usable(conn: Connection, key_id: str, now: datetime) -> KeyInfo:
    found = get(conn, key_id)
    if found is None:
        raise ApiKeyError(f"no key {key_id!r}; `crossdock keys list` shows them")
    if found.state(now) != "active":
        raise ApiKeyError(f"key {key_id} is {found.state(now)} already")
    return found


def revoke(conn: Connection, key_id: str, *, now: datetime, actor: str) -> KeyInfo:
    found = _require_usable(conn, key_id, now)
    conn.execute(update(api_keys).where(api_keys.c.id == key_id).values(revoked_at=now))
    audit.append(
        conn,
        at=now,
        actor=actor,
        action="key.revoked",
        target=f"key:{key_id}",
        details={"identity": found.identity},
        before={"state": "active"},
        after={"state": "revoked"},
    )
    return KeyInfo(**{**found.__dict__, "revoked_at": now})


def rotate(
    conn: Connection,
    key_id: str,
    *,
    now: datetime,
    actor: str,
    overlap: timedelta,
    expires_in: timedelta | None = None,
) -> IssuedKey:
    """A new key for the same identity; the old one keeps working for `overlap`, then stops."""
    old = _require_usable(conn, key_id, now)
    issued = create(conn, old.identity, now=now, actor=actor, expires_in=expires_in)
    closes = now + overlap
    if old.expires_at is not None and old.expires_at < closes:
        closes = old.expires_at
    conn.execute(
        update(api_keys)
        .where(api_keys.c.id == key_id)
        .values(expires_at=closes, replaced_by=issued.key_id)
    )
    audit.append(
        conn,
        at=now,
        actor=actor,
        action="key.rotated",
        target=f"key:{key_id}",
        details={"identity": old.identity, "replaced_by": issued.key_id},
        before={"expires_at": old.expires_at.isoformat() if old.expires_at else None},
        after={"expires_at": closes.isoformat()},
    )
    return issued


@dataclass(frozen=True)
class Refusal:
    """Why a presented key was not accepted (said to the caller without leaking which keys
    exist: unknown and wrong secret read the same)."""

    reason: str


def _key_row(conn: Connection, key_id: str) -> Any:
    return conn.execute(
        select(
            api_keys.c.secret_hash,
            api_keys.c.expires_at,
            api_keys.c.revoked_at,
            identities_table.c.id.label("identity_id"),
            identities_table.c.name,
            identities_table.c.kind,
            identities_table.c.disabled_at,
        )
        .join(identities_table, identities_table.c.id == api_keys.c.identity_id)
        .where(api_keys.c.id == key_id)
    ).first()


def _principal(conn: Connection, row: Any, key_id: str) -> Principal:
    granted = conn.execute(
        select(identity_scopes.c.scope).where(identity_scopes.c.identity_id == row.identity_id)
    ).scalars()
    return Principal(
        identity=row.name, kind=row.kind, key_id=key_id, scopes=effective(list(granted))
    )


def principal_of(conn: Connection, key_id: str, now: datetime) -> Principal | None:
    """Who a key stands for now, with their current scopes; None for a key that is gone,
    revoked or expired, or an identity that is disabled."""
    row = _key_row(conn, key_id)
    if row is None or row.revoked_at is not None or row.disabled_at is not None:
        return None
    if row.expires_at is not None and row.expires_at <= now:
        return None
    return _principal(conn, row, key_id)


def session_key(conn: Connection, key_id: str, now: datetime) -> tuple[Principal, bytes] | None:
    """Who a key stands for now and a server-side secret to sign its dashboard sessions
    with (the stored hash, which never leaves the server); None when `principal_of` would
    refuse the key. Checked on every request, so revoking the key ends its sessions."""
    principal = principal_of(conn, key_id, now)
    if principal is None:
        return None
    return principal, str(_key_row(conn, key_id).secret_hash).encode()


def authenticate(conn: Connection, presented: str, now: datetime) -> Principal | Refusal:
    parsed = parse(presented)
    if parsed is None:
        return Refusal("not a Crossdock API key (cdk_<id>_<secret>)")
    key_id, secret = parsed
    row = _key_row(conn, key_id)
    if row is None or not hmac.compare_digest(row.secret_hash, _digest(secret)):
        return Refusal("unknown API key")
    if row.revoked_at is not None:
        return Refusal(f"API key {key_id} was revoked")
    if row.expires_at is not None and row.expires_at <= now:
        return Refusal(f"API key {key_id} expired")
    if row.disabled_at is not None:
        return Refusal(f"identity {row.name} is disabled")
    return _principal(conn, row, key_id)
