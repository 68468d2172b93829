"""Code tables between Crossdock and one WMS, whatever it speaks (REST, files): SKUs, units,
warehouses, carrier services.

The partner's `codes` settings are seeded into the cross-reference table (system = the WMS
partner, entity type = the table's name, external id = the WMS's code, internal key =
Crossdock's); the tables used to translate are read back from there, so codes linked by any
other means (a CLI import, another connector) are honoured too.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

import orjson
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Connection, select

from crossdock.pipeline.registry import JobContext
from crossdock.store import xref
from crossdock.store.engine import Store
from crossdock.store.jobs import JobSpec
from crossdock.store.schema import xrefs

Table = Mapping[str, str]
CODE_TABLES = ("sku", "uom", "carrier_service", "location")


class Codes(BaseModel):
    """Crossdock's code → the WMS's code, per table; a code not listed is the same in both."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    sku: dict[str, str] = Field(default_factory=dict)
    uom: dict[str, str] = Field(default_factory=dict)
    carrier_service: dict[str, str] = Field(default_factory=dict)
    location: dict[str, str] = Field(default_factory=dict)


@dataclass(frozen=True)
class CodeTables:
    """Crossdock code → WMS code per table; `inbound` turns the WMS's back."""

    outbound: Mapping[str, Table] = field(default_factory=dict)

    def out(self, table: str, code: str) -> str:
        return self.outbound.get(table, {}).get(code, code)

    def back(self, table: str, code: str) -> str:
        for internal, external in self.outbound.get(table, {}).items():
            if external == code:
                return internal
        return code

    @classmethod
    def from_json(cls, value: object) -> CodeTables:
        if not isinstance(value, Mapping):
            return cls()
        return cls(
            {str(t): {str(k): str(v) for k, v in dict(rows).items()} for t, rows in value.items()}
        )

    def to_json(self) -> dict[str, dict[str, str]]:
        return {table: dict(rows) for table, rows in self.outbound.items()}


def seed(conn: Connection, partner: str, codes: Codes, now: datetime) -> int:
    """Link every declared code in the cross-reference table; the first link wins."""
    count = 0
    for table in CODE_TABLES:
        for internal, external in getattr(codes, table).items():
            xref.link(
                conn,
                system=partner,
                entity_type=table,
                external_id=external,
                internal_key=internal,
                now=now,
            )
            count += 1
    return count


def read(conn: Connection, partner: str) -> CodeTables:
    """Every code of `partner` on record, by table."""
    rows = conn.execute(
        select(xrefs.c.entity_type, xrefs.c.external_id, xrefs.c.internal_key).where(
            xrefs.c.system == partner, xrefs.c.entity_type.in_(CODE_TABLES)
        )
    )
    tables: dict[str, dict[str, str]] = {}
    for row in rows:
        tables.setdefault(row.entity_type, {})[row.internal_key] = row.external_id
    return CodeTables(tables)


def read_from(store: Store, partner: str) -> CodeTables:
    with store.engine.connect() as conn:
        return read(conn, partner)


def seed_job(job_type: str, partner: str, table: Codes) -> JobSpec:
    """Seed a partner's declared codes once per version of them (the key is their digest)."""
    document = table.model_dump(mode="json")
    digest = hashlib.sha256(orjson.dumps(document, option=orjson.OPT_SORT_KEYS)).hexdigest()[:16]
    return JobSpec(
        job_type=job_type,
        idempotency_key=f"{job_type}:{partner}:{digest}",
        payload={"partner": partner, "codes": document},
        lane_key=f"codes:{partner}",
        partner=partner,
    )


async def seed_codes(ctx: JobContext) -> None:
    """The job `seed_job` schedules: the codes written in the job's own transaction."""
    partner = str(ctx.payload["partner"])
    table = Codes.model_validate(ctx.payload["codes"])
    now = ctx.clock.now()

    def store(conn: Connection) -> None:
        seed(conn, partner, table, now)

    ctx.write(store)
