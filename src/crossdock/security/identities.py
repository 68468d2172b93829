"""Machine identities and their granted scopes; every change is written to the audit trail."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import Connection, delete, insert, select
from sqlalchemy.exc import IntegrityError

from crossdock.security.scopes import check_scope
from crossdock.store import audit
from crossdock.store.schema import identities, identity_scopes

IdentityKind = Literal["partner", "service", "user"]
KINDS: tuple[IdentityKind, ...] = ("partner", "service", "user")
NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@-]{0,127}$")


class IdentityError(ValueError):
    """A refused change to identities: unknown name, name taken, bad scope."""


@dataclass(frozen=True)
class Identity:
    id: int
    name: str
    kind: str
    description: str | None
    created_at: datetime
    disabled_at: datetime | None
    scopes: tuple[str, ...]

    def public(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "kind": self.kind,
            "description": self.description,
            "created_at": self.created_at.isoformat(),
            "scopes": list(self.scopes),
        }


def _scopes_of(conn: Connection, identity_id: int) -> tuple[str, ...]:
    query = (
        select(identity_scopes.c.scope)
        .where(identity_scopes.c.identity_id == identity_id)
        .order_by(identity_scopes.c.scope)
    )
    return tuple(conn.execute(query).scalars())


def _identity(conn: Connection, row: Any) -> Identity:
    return Identity(
        id=row.id,
        name=row.name,
        kind=row.kind,
        description=row.description,
        created_at=row.created_at,
        disabled_at=row.disabled_at,
        scopes=_scopes_of(conn, row.id),
    )


def get(conn: Connection, name: str) -> Identity | None:
    row = conn.execute(select(identities).where(identities.c.name == name)).first()
    return _identity(conn, row) if row else None


def require(conn: Connection, name: str) -> Identity:
    found = get(conn, name)
    if found is None:
        raise IdentityError(f"no identity named {name!r}; `crossdock identities list` shows them")
    return found


def all_identities(conn: Connection) -> list[Identity]:
    rows = conn.execute(select(identities).order_by(identities.c.name)).all()
    return [_identity(conn, row) for row in rows]


def create(
    conn: Connection,
    *,
    name: str,
    kind: str,
    now: datetime,
    actor: str,
    description: str | None = None,
) -> Identity:
    """A new identity, with no scope at all until one is granted."""
    if not NAME_PATTERN.match(name):
        raise IdentityError(
            f"identity name {name!r}: letters, digits and _ . @ - only, at most 128 characters"
        )
    if kind not in KINDS:
        raise IdentityError(f"identity kind {kind!r}: one of {', '.join(KINDS)}")
    try:
        with conn.begin_nested():
            identity_id = conn.execute(
                insert(identities)
                .values(name=name, kind=kind, description=description, created_at=now)
                .returning(identities.c.id)
            ).scalar_one()
    except IntegrityError:
        raise IdentityError(f"an identity named {name!r} exists already") from None
    audit.append(
        conn,
        at=now,
        actor=actor,
        action="identity.created",
        target=f"identity:{name}",
        details={"kind": kind},
        after={"scopes": []},
    )
    return Identity(identity_id, name, kind, description, now, None, ())


def grant(conn: Connection, name: str, scopes: list[str], *, now: datetime, actor: str) -> Identity:
    found = require(conn, name)
    for scope in scopes:
        check_scope(scope)
    new = sorted(set(scopes) - set(found.scopes))
    for scope in new:
        conn.execute(
            insert(identity_scopes).values(
                identity_id=found.id, scope=scope, granted_at=now, granted_by=actor
            )
        )
    after = tuple(sorted({*found.scopes, *new}))
    if new:
        audit.append(
            conn,
            at=now,
            actor=actor,
            action="identity.granted",
            target=f"identity:{name}",
            details={"scopes": new},
            before={"scopes": list(found.scopes)},
            after={"scopes": list(after)},
        )
    return Identity(**{**found.__dict__, "scopes": after})


def revoke(
    conn: Connection, name: str, scopes: list[str], *, now: datetime, actor: str
) -> Identity:
    found = require(conn, name)
    gone = sorted(set(scopes) & set(found.scopes))
    missing = sorted(set(scopes) - set(found.scopes))
    if missing:
        raise IdentityError(f"{name} does not hold {', '.join(missing)}")
    conn.execute(
        delete(identity_scopes).where(
            identity_scopes.c.identity_id == found.id, identity_scopes.c.scope.in_(gone)
        )
    )
    after = tuple(scope for scope in found.scopes if scope not in gone)
    audit.append(
        conn,
        at=now,
        actor=actor,
        action="identity.revoked",
        target=f"identity:{name}",
        details={"scopes": gone},
        before={"scopes": list(found.scopes)},
        after={"scopes": list(after)},
    )
    return Identity(**{**found.__dict__, "scopes": after})
