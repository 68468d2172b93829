"""A partner entry of kind `odoo` pointed at a running Odoo sandbox."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from crossdock.config import PartnerConfig
from crossdock.sandbox.odoo import ADMIN_LOGIN, ADMIN_PASSWORD, SANDBOX_DB

PARTNER = "odoo-main"
TOKEN = "odoo-webhook-token-0123456789abcdef"


def odoo_partner(url: str, tmp_path: Path, polls: list[dict[str, Any]]) -> PartnerConfig:
    """Admin over JSON-RPC, a webhook token, and the given polls; secrets go to files."""
    password, token = tmp_path / "odoo.password", tmp_path / "odoo.token"
    password.write_text(ADMIN_PASSWORD + "\n", encoding="utf-8")
    token.write_text(TOKEN + "\n", encoding="utf-8")
    return PartnerConfig(
        id=PARTNER,
        kind="odoo",
        secrets=[f"file:{token}"],
        settings={
            "odoo": {
                "url": url,
                "database": SANDBOX_DB,
                "protocol": "jsonrpc",
                "login": ADMIN_LOGIN,
                "password": f"file:{password}",
            },
            "poll": polls,
        },
    )
