"""Dashboard login, in one dependency (`require_operator`): who is looking, in which role.

Two ways in. An operator listed in `dashboard.operators` logs in with its token (a secret
reference; refused in prod, docs/security.md) and has that entry's role. An identity logs in
with one of its API keys (`crossdock keys create`) and has the role its scopes give it
(`role:viewer`, `role:operator`, `role:admin`, or the scopes those stand for).

A session is a cookie `name|expires|mac`. For a configured operator the MAC is keyed by its
token; for an identity (`key:<key id>`) by the key's stored hash, looked up on every request,
so revoking or expiring the key, or disabling the identity, ends its sessions at once.
Nothing else is stored server-side and no secret leaves the server. Forms that change
something carry a CSRF value derived from the session.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import select

from crossdock.clock import Clock
from crossdock.security import api_keys
from crossdock.security.redaction import redact_for
from crossdock.security.scopes import (
    ADMIN,
    DLQ_READ,
    DLQ_REPLAY,
    EVENTS_READ,
    PII_READ,
    ROLE_PREFIX,
    allows,
    effective,
)
from crossdock.security.secrets import resolve
from crossdock.store.engine import Store
from crossdock.store.schema import api_keys as api_keys_table
from crossdock.web.dashboard.settings import DashboardConfig

COOKIE = "crossdock_session"
KEY_SESSION = "key:"


def role_of(scopes: frozenset[str]) -> str | None:
    """The dashboard role effective scopes amount to; None: no business on the dashboard."""
    if ADMIN in scopes:
        return "admin"
    if allows(scopes, DLQ_REPLAY):
        return "operator"
    if allows(scopes, EVENTS_READ) or allows(scopes, DLQ_READ):
        return "viewer"
    return None


@dataclass(frozen=True)
class Operator:
    name: str
    csrf: str
    role: str = "operator"
    scopes: frozenset[str] = field(default_factory=frozenset)

    @property
    def actor(self) -> str:
        """How the audit trail names what this operator did."""
        return f"dashboard:{self.name}"

    def may(self, scope: str) -> bool:
        return allows(self.scopes, scope)

    @property
    def can_replay(self) -> bool:
        return self.may(DLQ_REPLAY)

    @property
    def sees_personal_data(self) -> bool:
        return self.may(PII_READ)

    def shown(self, value: object) -> object:
        """`value` as this operator may see it: secrets always hidden, personal data
        masked unless the role reads it (security/redaction.py)."""
        return redact_for(self.scopes, value)


class LoginRequired(Exception):
    """No valid session: pages redirect to the login form, fragments answer 401."""


class BadCsrf(Exception):
    """A state-changing form without this session's CSRF value."""


class NotAllowed(Exception):
    """The operator's role does not cover the action (a viewer replaying, say)."""

    def __init__(self, operator: Operator, scope: str) -> None:
        super().__init__(f"{operator.name} ({operator.role}) lacks the scope {scope}")
        self.scope = scope


def _mac(key: bytes, message: str) -> str:
    return hmac.new(key, message.encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class _Configured:
    token: bytes
    role: str


class Sessions:
    """Issues and checks session cookies for configured operators and for identities."""

    def __init__(self, settings: DashboardConfig, clock: Clock, store: Store) -> None:
        # Resolved once at start: a missing secret fails start-up, not the first login.
        self._operators = {
            op.name: _Configured(resolve(op.token).encode(), op.role) for op in settings.operators
        }
        self._lifetime = settings.session_lifetime
        self._clock = clock
        self._store = store

    @property
    def configured(self) -> bool:
        """Whether anyone could log in: a configured operator, or any identity's key."""
        if self._operators:
            return True
        with self._store.engine.connect() as conn:
            return conn.execute(select(api_keys_table.c.id).limit(1)).first() is not None

    def _cookie(self, name: str, key: bytes) -> str:
        expires = int((self._clock.now() + self._lifetime).timestamp())
        payload = f"{name}|{expires}"
        return f"{payload}|{_mac(key, payload)}"

    def login(self, token: str) -> str | None:
        """The session cookie for whoever this token (or API key) belongs to, or None."""
        given = token.encode()
        for name, configured in self._operators.items():
            if hmac.compare_digest(given, configured.token):
                return self._cookie(name, configured.token)
        if api_keys.parse(token) is None:
            return None
        with self._store.engine.connect() as conn:
            outcome = api_keys.authenticate(conn, token, self._clock.now())
            if isinstance(outcome, api_keys.Refusal) or role_of(outcome.scopes) is None:
                return None
            signing = api_keys.session_key(conn, outcome.key_id, self._clock.now())
        if signing is None:
            return None
        return self._cookie(KEY_SESSION + outcome.key_id, signing[1])

    def _identity(self, key_id: str) -> tuple[str, frozenset[str], bytes] | None:
        with self._store.engine.connect() as conn:
            signing = api_keys.session_key(conn, key_id, self._clock.now())
        if signing is None:
            return None
        principal, key = signing
        return principal.identity, principal.scopes, key

    def operator(self, cookie: str | None) -> Operator | None:
        if not cookie or cookie.count("|") != 2:
            return None
        name, expires, mac = cookie.split("|")
        if not expires.isdigit() or int(expires) <= self._clock.now().timestamp():
            return None
        if name.startswith(KEY_SESSION):
            found = self._identity(name[len(KEY_SESSION) :])
            if found is None:
                return None
            shown_name, scopes, key = found
        elif (configured := self._operators.get(name)) is not None:
            shown_name, key = name, configured.token
            scopes = effective([ROLE_PREFIX + configured.role])
        else:
            return None
        if not hmac.compare_digest(mac, _mac(key, f"{name}|{expires}")):
            return None
        role = role_of(scopes)
        if role is None:
            return None
        csrf = _mac(key, f"csrf|{cookie}")[:32]
        return Operator(name=shown_name, csrf=csrf, role=role, scopes=scopes)

    def expires_in(self) -> timedelta:
        return self._lifetime

    @staticmethod
    def check_csrf(operator: Operator, given: str | None) -> None:
        if not given or not hmac.compare_digest(given, operator.csrf):
            raise BadCsrf

    @staticmethod
    def check_scope(operator: Operator, scope: str) -> None:
        if not operator.may(scope):
            raise NotAllowed(operator, scope)


def require_operator(request: Request) -> Operator:
    """Sync on purpose: an identity's session is checked against the store, in FastAPI's
    thread pool rather than on the event loop."""
    sessions: Sessions = request.app.state.dashboard_sessions
    operator = sessions.operator(request.cookies.get(COOKIE))
    if operator is None:
        raise LoginRequired
    return operator


CurrentOperator = Annotated[Operator, Depends(require_operator)]


def session_expiry(clock: Clock, sessions: Sessions) -> datetime:
    return clock.now() + sessions.expires_in()
