"""`crossdock identities` and `crossdock keys` as an operator runs them."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from crossdock.clock import SystemClock
from crossdock.security import api_keys
from crossdock.store import audit, migrate
from crossdock.store.engine import make_engine
from crossdock.store.schema import api_keys as api_keys_table
from support.cli import invoke, write_config


def test_identities_and_keys_from_the_command_line(db_url: str, tmp_path: Path) -> None:
    config = str(write_config(tmp_path / "crossdock.yaml", {"database": {"url": db_url}}))
    assert invoke("db", "upgrade", "-c", config).exit_code == 0

    created = invoke("identities", "create", "acme-svc", "--kind", "partner", "-c", config)
    assert created.exit_code == 0, created.output
    assert "no scopes yet" in created.output
    again = invoke("identities", "create", "acme-svc", "-c", config)
    assert again.exit_code == 1 and "exists already" in again.output

    wrong = invoke("identities", "grant", "acme-svc", "webhooks:write:ACME!", "-c", config)
    assert wrong.exit_code == 1 and "not a partner id" in wrong.output
    unknown = invoke("identities", "grant", "acme-svc", "everything", "-c", config)
    assert unknown.exit_code == 1 and "unknown scope" in unknown.output
    granted = invoke(
        "identities", "grant", "acme-svc", "webhooks:write:acme", "messages:read:acme", "-c", config
    )
    assert granted.exit_code == 0
    assert "messages:read:acme webhooks:write:acme" in granted.output

    made = invoke("keys", "create", "acme-svc", "--expires-in", "90d", "-c", config)
    assert made.exit_code == 0, made.output
    secret = made.stdout.strip()
    key_id = api_keys.parse(secret)
    assert key_id is not None
    assert "shown once" in made.stderr

    listed = invoke("keys", "list", "-c", config)
    assert key_id[0] in listed.output and secret not in listed.output and "active" in listed.output
    engine = make_engine(db_url)
    try:
        with engine.connect() as conn:
            stored = conn.execute(select(api_keys_table.c.secret_hash)).scalar_one()
            assert key_id[1] not in stored, "only a hash is kept"
            found = api_keys.authenticate(conn, secret, SystemClock().now())
            assert isinstance(found, api_keys.Principal)
            assert found.scopes == {"messages:read:acme", "webhooks:write:acme"}

        rotated = invoke("keys", "rotate", key_id[0], "--overlap", "1h", "-c", config)
        assert rotated.exit_code == 0, rotated.output
        assert "keeps working for 1:00:00" in rotated.stderr
        assert invoke("keys", "revoke", key_id[0], "-c", config).exit_code == 0
        twice = invoke("keys", "revoke", key_id[0], "-c", config)
        assert twice.exit_code == 1 and "revoked already" in twice.output

        revoked = invoke("identities", "revoke", "acme-svc", "messages:read:acme", "-c", config)
        assert revoked.exit_code == 0
        listed = invoke("identities", "list", "-c", config)
        assert "webhooks:write:acme" in listed.output
        assert "messages:read:acme" not in listed.output

        with engine.connect() as conn:
            actions = [entry.action for entry in audit.entries(conn)]
        assert actions == [
            "identity.created",
            "identity.granted",
            "key.created",
            "key.created",
            "key.rotated",
            "key.revoked",
            "identity.revoked",
        ]
        assert migrate.is_current(engine)
    finally:
        engine.dispose()
