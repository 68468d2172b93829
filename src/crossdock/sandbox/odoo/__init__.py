"""A simulated Odoo server (16, 17, 18 and 19) for Crossdock's demo and contract tests.

Odoo itself cannot be installed where Crossdock is built and tested, so this package serves
Odoo's real external API over real HTTP: JSON-RPC at ``/jsonrpc`` (``odoo/http.py``,
``odoo/service/common.py``, ``odoo/service/model.py``), the JSON-2 API at
``/json/2/<model>/<method>`` on 19 (``addons/web/controllers/json2.py``) and the version
routes of ``addons/web/controllers/webclient.py``. Behind them sits a small in-memory ORM
with the models, fields, states and wizards a logistics integration touches.

It is a simulator, not Odoo: see ``docs/odoo-sandbox.md`` for what it does and does not do.
"""

from __future__ import annotations

SANDBOX_DB = "sandbox"
"""The one database the sandbox serves."""

SUPPORTED_VERSIONS = (16, 17, 18, 19)

ADMIN_UID = 2
ADMIN_LOGIN = "admin"
ADMIN_PASSWORD = "admin"  # noqa: S105 - published sandbox credentials
ADMIN_API_KEY = "a7c3f0d2e9b14c6a8d5e2f1b0c9a8d7e6f5a4b3c"

BOT_UID = 6
BOT_LOGIN = "bot"
BOT_PASSWORD = "bot"  # noqa: S105 - published sandbox credentials
BOT_API_KEY = "b07b07b07c1e4d2a9f8e7d6c5b4a39281706f5e4"

READONLY_UID = 7
READONLY_LOGIN = "readonly"
READONLY_PASSWORD = "readonly"  # noqa: S105 - published sandbox credentials
READONLY_API_KEY = "4ead0a1f2b3c4d5e6f708192a3b4c5d6e7f80912"

__all__ = [
    "ADMIN_API_KEY",
    "ADMIN_LOGIN",
    "ADMIN_PASSWORD",
    "ADMIN_UID",
    "BOT_API_KEY",
    "BOT_LOGIN",
    "BOT_PASSWORD",
    "BOT_UID",
    "READONLY_API_KEY",
    "READONLY_LOGIN",
    "READONLY_PASSWORD",
    "READONLY_UID",
    "SANDBOX_DB",
    "SUPPORTED_VERSIONS",
]
