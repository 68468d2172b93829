"""Scopes: what an identity may do, as short strings, and the roles that bundle them.

A scope is `admin`, a plain permission (`events:read`, `dlq:replay`, `config:write`,
`pii:read`, …) or a per-partner one (`webhooks:write:<partner>`, `messages:read:<partner>`,
where `*` stands for every partner). Dashboard roles are grantable too (`role:viewer`,
`role:operator`, `role:admin`) and expand to the scopes below when a request is checked, so
changing what a role means changes it for everyone who holds it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

ADMIN = "admin"
EVENTS_READ = "events:read"
DLQ_READ = "dlq:read"
DLQ_REPLAY = "dlq:replay"
CONFIG_READ = "config:read"
CONFIG_WRITE = "config:write"
PII_READ = "pii:read"
AUDIT_READ = "audit:read"
WEBHOOKS_WRITE = "webhooks:write"
MESSAGES_READ = "messages:read"
ANY_PARTNER = "*"

PLAIN_SCOPES = frozenset(
    {ADMIN, EVENTS_READ, DLQ_READ, DLQ_REPLAY, CONFIG_READ, CONFIG_WRITE, PII_READ, AUDIT_READ}
)
PARTNER_SCOPES = frozenset({WEBHOOKS_WRITE, MESSAGES_READ})

ROLES: dict[str, frozenset[str]] = {
    "viewer": frozenset({EVENTS_READ, f"{MESSAGES_READ}:{ANY_PARTNER}", DLQ_READ, CONFIG_READ}),
    "operator": frozenset(
        {EVENTS_READ, f"{MESSAGES_READ}:{ANY_PARTNER}", DLQ_READ, DLQ_REPLAY, CONFIG_READ}
    ),
    "admin": frozenset({ADMIN}),
}
ROLE_PREFIX = "role:"

# A scope that implies others: replaying dead letters means reading them; writing config
# means reading it.
_IMPLIES: dict[str, frozenset[str]] = {
    DLQ_REPLAY: frozenset({DLQ_READ}),
    CONFIG_WRITE: frozenset({CONFIG_READ}),
}

_PARTNER = re.compile(r"^(\*|[a-z0-9][a-z0-9_-]{0,63})$")


class ScopeError(ValueError):
    """A scope string that means nothing: the message says what would."""


def check_scope(scope: str) -> str:
    """Return `scope` if it is grantable, or raise ScopeError listing what is."""
    if scope in PLAIN_SCOPES:
        return scope
    if scope.startswith(ROLE_PREFIX):
        if scope[len(ROLE_PREFIX) :] in ROLES:
            return scope
        raise ScopeError(f"unknown role in {scope!r}; roles: {', '.join(sorted(ROLES))}")
    base, _, partner = scope.rpartition(":")
    if base in PARTNER_SCOPES:
        if _PARTNER.match(partner):
            return scope
        raise ScopeError(f"{scope!r}: {partner!r} is not a partner id (or *)")
    known = sorted(PLAIN_SCOPES) + [f"{name}:<partner>" for name in sorted(PARTNER_SCOPES)]
    raise ScopeError(
        f"unknown scope {scope!r}; known: {', '.join(known)}, "
        + ", ".join(ROLE_PREFIX + role for role in sorted(ROLES))
    )


def effective(granted: Iterable[str]) -> frozenset[str]:
    """Granted scopes with roles expanded and implied scopes added."""
    result: set[str] = set()
    for scope in granted:
        if scope.startswith(ROLE_PREFIX):
            result |= ROLES.get(scope[len(ROLE_PREFIX) :], frozenset())
        else:
            result.add(scope)
    for scope in list(result):
        result |= _IMPLIES.get(scope, frozenset())
    return frozenset(result)


def allows(scopes: frozenset[str], needed: str) -> bool:
    """Whether effective `scopes` cover `needed` (`admin` covers everything)."""
    if ADMIN in scopes or needed in scopes:
        return True
    base, _, partner = needed.rpartition(":")
    return base in PARTNER_SCOPES and partner != ANY_PARTNER and f"{base}:*" in scopes


def partners_with(scopes: frozenset[str], base: str) -> frozenset[str] | None:
    """The partners a per-partner scope covers; None means every partner."""
    if ADMIN in scopes or f"{base}:{ANY_PARTNER}" in scopes:
        return None
    prefix = base + ":"
    return frozenset(scope[len(prefix) :] for scope in scopes if scope.startswith(prefix))
