"""The sandbox's API users, their credentials and their access rights.

Credentials follow ``res.users._check_credentials`` (addons/base/models/res_users.py and
res_users_apikeys): JSON-RPC accepts the password or an API key in the password slot, JSON-2
accepts only the API key. Access errors follow ``ir.model.access._make_access_error`` in
``odoo/addons/base/models/ir_model.py``: the operation, the groups that would allow it, and
the advice to contact the administrator.

Three users exist: ``admin`` may do everything; ``bot`` reads and writes the operational
models but has no access at all to ``ir.model.data``; ``readonly`` may only read.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from typing import Literal

from crossdock.sandbox.odoo import (
    ADMIN_API_KEY,
    ADMIN_LOGIN,
    ADMIN_PASSWORD,
    ADMIN_UID,
    BOT_API_KEY,
    BOT_LOGIN,
    BOT_PASSWORD,
    BOT_UID,
    READONLY_API_KEY,
    READONLY_LOGIN,
    READONLY_PASSWORD,
    READONLY_UID,
)
from crossdock.sandbox.odoo.errors import AccessDenied, AccessError
from crossdock.sandbox.odoo.fields import AccessMode

Profile = Literal["admin", "bot", "readonly"]


@dataclass(frozen=True)
class ApiUser:
    uid: int
    login: str
    password: str
    api_key: str
    name: str
    profile: Profile


USERS: tuple[ApiUser, ...] = (
    ApiUser(ADMIN_UID, ADMIN_LOGIN, ADMIN_PASSWORD, ADMIN_API_KEY, "Mitchell Admin", "admin"),
    ApiUser(BOT_UID, BOT_LOGIN, BOT_PASSWORD, BOT_API_KEY, "Crossdock Bot", "bot"),
    ApiUser(
        READONLY_UID, READONLY_LOGIN, READONLY_PASSWORD, READONLY_API_KEY, "Auditor", "readonly"
    ),
)
BY_UID = {user.uid: user for user in USERS}


def _same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


def login(login_name: str, password: str) -> ApiUser | None:
    """``res.users._login``: the user whose login matches and whose password or key fits."""
    for user in USERS:
        if user.login == login_name and (
            _same(password, user.password) or _same(password, user.api_key)
        ):
            return user
    return None


def check_uid_password(uid: int, password: object) -> ApiUser:
    """``res.users.check`` / ``_check_uid_passwd``: AccessDenied unless the pair is valid."""
    user = BY_UID.get(uid)
    if user is None or not isinstance(password, str) or not password:
        raise AccessDenied()
    if _same(password, user.password) or _same(password, user.api_key):
        return user
    raise AccessDenied()


def user_for_api_key(key: str) -> ApiUser | None:
    """``res.users.apikeys._check_credentials(scope='rpc', key=...)``."""
    for user in USERS:
        if _same(key, user.api_key):
            return user
    return None


GROUPS_BY_PREFIX = (
    ("ir.", "Administration/Settings"),
    ("res.users", "Administration/Access Rights"),
    ("sale.", "Sales/User: Own Documents Only"),
    ("stock.", "Inventory/User"),
    ("purchase.", "Purchase/User"),
    ("account.", "Invoicing/Billing"),
    ("product.", "Inventory/Administrator"),
    ("delivery.", "Inventory/Administrator"),
    ("mail.", "Role/User"),
)
HEADERS = {
    "read": "You are not allowed to access '{kind}' ({model}) records.",
    "write": "You are not allowed to modify '{kind}' ({model}) records.",
    "create": "You are not allowed to create '{kind}' ({model}) records.",
    "unlink": "You are not allowed to delete '{kind}' ({model}) records.",
}


def allowed(user: ApiUser, model: str, mode: AccessMode) -> bool:
    if user.profile == "admin":
        return True
    if user.profile == "bot":
        return model != "ir.model.data"
    return mode == "read"


def access_error(model: str, description: str, mode: AccessMode) -> AccessError:
    group = next(
        (name for prefix, name in GROUPS_BY_PREFIX if model.startswith(prefix)), "Role/User"
    )
    head = HEADERS[mode].format(kind=description, model=model)
    return AccessError(
        f"{head}\n\n"
        f"This operation is allowed for the following groups:\n\t- {group}\n\n"
        "Contact your administrator to request access if necessary."
    )


def check(user: ApiUser, model: str, description: str, mode: AccessMode) -> None:
    if not allowed(user, model, mode):
        raise access_error(model, description, mode)
