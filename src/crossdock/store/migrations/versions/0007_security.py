"""security: hash-chained audit trail, identities, scopes and API keys

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import crossdock.store.types
from crossdock.security.audit_chain import GENESIS_HASH, ChainedContent, entry_hash

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    when = crossdock.store.types.UTCDateTime(timezone=True)
    big_id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
    json = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
    # Plain ADD COLUMN (no table copy on SQLite), so the append-only triggers stay in place.
    op.add_column("audit_log", sa.Column("seq", sa.BigInteger(), nullable=True))
    op.add_column("audit_log", sa.Column("before_state", json, nullable=True))
    op.add_column("audit_log", sa.Column("after_state", json, nullable=True))
    op.add_column("audit_log", sa.Column("prev_hash", sa.String(length=64), nullable=True))
    op.add_column("audit_log", sa.Column("hash", sa.String(length=64), nullable=True))
    op.create_index(op.f("ix_audit_log_seq"), "audit_log", ["seq"], unique=True)
    op.create_table(
        "audit_head",
        sa.Column("id", sa.SmallInteger(), autoincrement=False, nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.Column("updated_at", when, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_head")),
    )
    op.create_table(
        "audit_checkpoints",
        sa.Column("id", big_id, autoincrement=True, nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.Column("at", when, nullable=False),
        sa.Column("signature", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_checkpoints")),
    )
    op.create_table(
        "identities",
        sa.Column("id", big_id, autoincrement=True, nullable=False),
        sa.Column("name", sa.String(length=128), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("created_at", when, nullable=False),
        sa.Column("disabled_at", when, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_identities")),
        sa.UniqueConstraint("name", name=op.f("uq_identities_name")),
    )
    op.create_table(
        "identity_scopes",
        sa.Column("identity_id", big_id, nullable=False),
        sa.Column("scope", sa.String(length=128), nullable=False),
        sa.Column("granted_at", when, nullable=False),
        sa.Column("granted_by", sa.String(length=128), nullable=False),
        sa.ForeignKeyConstraint(
            ["identity_id"],
            ["identities.id"],
            name=op.f("fk_identity_scopes_identity_id_identities"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("identity_id", "scope", name=op.f("pk_identity_scopes")),
    )
    op.create_table(
        "api_keys",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("identity_id", big_id, nullable=False),
        sa.Column("secret_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", when, nullable=False),
        sa.Column("expires_at", when, nullable=True),
        sa.Column("revoked_at", when, nullable=True),
        sa.Column("replaced_by", sa.String(length=32), nullable=True),
        sa.ForeignKeyConstraint(
            ["identity_id"],
            ["identities.id"],
            name=op.f("fk_api_keys_identity_id_identities"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_keys")),
    )
    op.create_index(op.f("ix_api_keys_identity_id"), "api_keys", ["identity_id"], unique=False)
    _chain_existing_entries()


def _chain_existing_entries() -> None:
    """Entries written before the chain existed join it in id order, and the head is set.

    The append-only triggers refuse the backfill's UPDATEs, so they are lifted for it, inside
    the migration's transaction, and put back exactly as revision 0001 made them.
    """
    # The tables as this revision knows them, not as the models may look later.
    audit_log = sa.table(
        "audit_log",
        sa.column("id", sa.BigInteger()),
        sa.column("at", crossdock.store.types.UTCDateTime(timezone=True)),
        sa.column("actor", sa.String()),
        sa.column("action", sa.String()),
        sa.column("target", sa.String()),
        sa.column("details", sa.JSON()),
        sa.column("seq", sa.BigInteger()),
        sa.column("prev_hash", sa.String()),
        sa.column("hash", sa.String()),
    )
    audit_head = sa.table(
        "audit_head",
        sa.column("id", sa.SmallInteger()),
        sa.column("seq", sa.BigInteger()),
        sa.column("hash", sa.String()),
        sa.column("updated_at", crossdock.store.types.UTCDateTime(timezone=True)),
    )
    bind = op.get_bind()
    postgres = bind.dialect.name == "postgresql"
    rows = list(bind.execute(sa.select(audit_log).order_by(audit_log.c.id)))
    prev, seq = GENESIS_HASH, 0
    if rows:
        _set_append_only(postgres, enabled=False)
        for row in rows:
            seq += 1
            content = ChainedContent(
                seq=seq,
                at=row.at,
                actor=row.actor,
                action=row.action,
                target=row.target,
                details=row.details,
                before=None,
                after=None,
                prev_hash=prev,
            )
            digest = entry_hash(content)
            bind.execute(
                sa.update(audit_log)
                .where(audit_log.c.id == row.id)
                .values(seq=seq, prev_hash=prev, hash=digest)
            )
            prev = digest
        _set_append_only(postgres, enabled=True)
    bind.execute(
        sa.insert(audit_head).values(id=1, seq=seq, hash=prev, updated_at=datetime.now(UTC))
    )


def _set_append_only(postgres: bool, *, enabled: bool) -> None:
    if postgres:
        verb = "ENABLE" if enabled else "DISABLE"
        op.execute(f"ALTER TABLE audit_log {verb} TRIGGER audit_log_append_only")
        return
    for name in ("UPDATE", "DELETE"):
        trigger = f"audit_log_no_{name.lower()}"
        if enabled:
            op.execute(
                f"CREATE TRIGGER {trigger} BEFORE {name} ON audit_log "
                f"BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: {name} refused'); END"
            )
        else:
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")


def downgrade() -> None:
    op.drop_index(op.f("ix_api_keys_identity_id"), table_name="api_keys")
    op.drop_table("api_keys")
    op.drop_table("identity_scopes")
    op.drop_table("identities")
    op.drop_table("audit_checkpoints")
    op.drop_table("audit_head")
    op.drop_index(op.f("ix_audit_log_seq"), table_name="audit_log")
    for column in ("hash", "prev_hash", "after_state", "before_state", "seq"):
        op.drop_column("audit_log", column)
