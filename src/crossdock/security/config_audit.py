"""Config changes in the audit trail: a process that starts with a config unlike the last one
recorded appends `config.changed` with the settings that moved, before and after.

The config file is edited outside Crossdock, so the change is recorded when it takes effect
(at start), by whoever starts it. The config holds secret references, never secrets; a value
under a secret-looking key that is not a reference is still recorded only as `[redacted]`.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import Connection, select

from crossdock.config import Config
from crossdock.paths import flatten
from crossdock.security.audit_chain import lock_head
from crossdock.security.redaction import REDACTED, SECRET_KEY
from crossdock.security.secrets import SECRET_REF_PATTERN
from crossdock.store import audit
from crossdock.store.engine import Store
from crossdock.store.schema import audit_log

ACTION = "config.changed"
TARGET = "config"


def settings_of(config: Config) -> dict[str, Any]:
    """The config as flat `path → value`, secret-looking values that are not references
    replaced."""
    flat = flatten(config.model_dump(mode="json"))
    return {
        path: REDACTED
        if SECRET_KEY.search(path.rsplit(".", 1)[-1])
        and isinstance(value, str)
        and not SECRET_REF_PATTERN.match(value)
        else value
        for path, value in flat.items()
    }


def fingerprint(settings: dict[str, Any]) -> str:
    return hashlib.sha256(orjson.dumps(settings, option=orjson.OPT_SORT_KEYS)).hexdigest()


def record_config(conn: Connection, config: Config, *, now: datetime, actor: str) -> bool:
    """Append `config.changed` if the config differs from the last recorded one; True if so.

    The chain head is locked before the last entry is read, so several processes starting
    at once with the same new config record it once.
    """
    lock_head(conn, now)
    last = conn.execute(
        select(audit_log.c.after_state)
        .where(audit_log.c.action == ACTION)
        .order_by(audit_log.c.seq.desc())
        .limit(1)
    ).scalar()
    settings = settings_of(config)
    digest = fingerprint(settings)
    previous: dict[str, Any] = (last or {}).get("settings", {})
    if last is not None and last.get("hash") == digest:
        return False
    # The first record has nothing to differ from: it is the baseline, not a list of all.
    changed = sorted(
        path
        for path in previous.keys() | settings.keys()
        if last is not None and previous.get(path) != settings.get(path)
    )
    audit.append(
        conn,
        at=now,
        actor=actor,
        action=ACTION,
        target=TARGET,
        details={"environment": config.environment, "changed": changed, "first": last is None},
        before=(
            {"hash": last.get("hash"), "values": {p: previous.get(p) for p in changed}}
            if last is not None
            else None
        ),
        after={"hash": digest, "settings": settings},
    )
    return True


def record_at_start(store: Store, config: Config, *, now: datetime, actor: str) -> bool:
    """`record_config` in a transaction of its own, as a process starts."""
    with store.transaction() as conn:
        return record_config(conn, config, now=now, actor=actor)
