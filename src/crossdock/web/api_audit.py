"""`GET /api/v1/audit`: the audit trail in chain order, for holders of `audit:read` (a
dashboard's audit page, a SIEM pulling entries after the last `seq` it saw), redacted for
the reader like every answer."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from sqlalchemy import select

from crossdock.runtime import Runtime
from crossdock.security import scopes
from crossdock.security.redaction import may_read_personal_data, redact
from crossdock.store import audit
from crossdock.store.audit import AuditEntry
from crossdock.store.schema import audit_log
from crossdock.web.api_models import PROBLEM_RESPONSES, AuditEntryOut, AuditList
from crossdock.web.auth import Authenticated, require

PREFIX = "/api/v1"


def build_audit_router(runtime: Runtime) -> APIRouter:
    router = APIRouter(prefix=PREFIX, responses=PROBLEM_RESPONSES)
    run = runtime.store.run

    def recent_audit(action: str | None, after_seq: int, limit: int) -> list[AuditEntry]:
        query = (
            select(audit_log)
            .where(audit_log.c.seq > after_seq)
            .order_by(audit_log.c.seq)
            .limit(limit)
        )
        if action:
            query = query.where(audit_log.c.action == action)
        with runtime.store.engine.connect() as conn:
            return [audit.entry_of(row) for row in conn.execute(query)]

    @router.get("/audit", response_model=AuditList)
    async def get_audit(
        principal: Authenticated,
        action: Annotated[str | None, Query(max_length=64)] = None,
        after_seq: Annotated[int, Query(ge=0, le=2**62)] = 0,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    ) -> AuditList:
        """Audit entries in chain order after `after_seq` (`audit:read`), redacted."""
        require(principal, scopes.AUDIT_READ)
        personal = may_read_personal_data(principal.scopes)
        found = await run(recent_audit, action, after_seq, limit)
        return AuditList(
            entries=[
                AuditEntryOut.model_validate(redact(entry.public(), personal_data=personal))
                for entry in found
            ]
        )

    return router
