"""Operator login for the dashboard, in one dependency (`require_operator`) so that a later
identity and role model replaces this module and nothing else.

A session is a cookie `name|expires|mac`, the MAC keyed by that operator's token: nothing
is stored server-side, a token rotation ends its sessions, and the token never leaves the
server. Forms that change something carry a CSRF value derived from the session.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Annotated

from fastapi import Depends, Request

from crossdock.clock import Clock
from crossdock.security.secrets import resolve
from crossdock.web.dashboard.settings import DashboardConfig

COOKIE = "crossdock_session"


@dataclass(frozen=True)
class Operator:
    name: str
    csrf: str

    @property
    def actor(self) -> str:
        """How the audit trail names what this operator did."""
        return f"dashboard:{self.name}"


class LoginRequired(Exception):
    """No valid session: pages redirect to the login form, fragments answer 401."""


class BadCsrf(Exception):
    """A state-changing form without this session's CSRF value."""


def _mac(key: bytes, message: str) -> str:
    return hmac.new(key, message.encode(), hashlib.sha256).hexdigest()


class Sessions:
    """Issues and checks session cookies against the configured operators' tokens."""

    def __init__(self, settings: DashboardConfig, clock: Clock) -> None:
        # Resolved once at start: a missing secret fails start-up, not the first login.
        self._tokens = {op.name: resolve(op.token).encode() for op in settings.operators}
        self._lifetime = settings.session_lifetime
        self._clock = clock

    @property
    def configured(self) -> bool:
        return bool(self._tokens)

    def login(self, token: str) -> str | None:
        """The session cookie for the operator whose token this is, or None."""
        given = token.encode()
        for name, expected in self._tokens.items():
            if hmac.compare_digest(given, expected):
                expires = int((self._clock.now() + self._lifetime).timestamp())
                payload = f"{name}|{expires}"
                return f"{payload}|{_mac(expected, payload)}"
        return None

    def operator(self, cookie: str | None) -> Operator | None:
        if not cookie or cookie.count("|") != 2:
            return None
        name, expires, mac = cookie.split("|")
        key = self._tokens.get(name)
        if key is None or not expires.isdigit():
            return None
        if not hmac.compare_digest(mac, _mac(key, f"{name}|{expires}")):
            return None
        if int(expires) <= self._clock.now().timestamp():
            return None
        return Operator(name=name, csrf=_mac(key, f"csrf|{cookie}")[:32])

    def expires_in(self) -> timedelta:
        return self._lifetime

    @staticmethod
    def check_csrf(operator: Operator, given: str | None) -> None:
        if not given or not hmac.compare_digest(given, operator.csrf):
            raise BadCsrf


def require_operator(request: Request) -> Operator:
    sessions: Sessions = request.app.state.dashboard_sessions
    operator = sessions.operator(request.cookies.get(COOKIE))
    if operator is None:
        raise LoginRequired
    return operator


CurrentOperator = Annotated[Operator, Depends(require_operator)]


def session_expiry(clock: Clock, sessions: Sessions) -> datetime:
    return clock.now() + sessions.expires_in()
