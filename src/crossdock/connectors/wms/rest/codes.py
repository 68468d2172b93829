"""Code tables between Crossdock and one WMS: SKUs, units, warehouses, carrier services.

The partner's `codes` settings are seeded into the cross-reference table (system = the WMS
partner, entity type = the table's name, external id = the WMS's code, internal key =
Crossdock's); the tables used to translate are read back from there, so codes linked by any
other means (a CLI import, another connector) are honoured too.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Connection, select

from crossdock.connectors.wms.rest.settings import CODE_TABLES, Codes
from crossdock.store import xref
from crossdock.store.schema import xrefs

Table = Mapping[str, str]


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
