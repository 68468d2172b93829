"""The enriched change the pure mappings read, and the helpers that read Odoo's value shapes.

A change names one record; `enrich` adds every related row the mapping needs, so a mapping
never does I/O. Values arrive as Odoo serialises them: many2one as ``[id, "display name"]``
from ``read``/``search_read`` but as a bare id from the automation webhook (which calls
``read(..., load=None)``, odoo/addons/base/models/ir_actions.py ``_run_action_webhook``),
``False`` for anything unset, datetimes as naive UTC ``"YYYY-MM-DD HH:MM:SS"`` (or Python's
``str(datetime)`` in the webhook, which may add microseconds), floats for quantities.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from pydantic import BaseModel

from crossdock.errors import MappingError

Row = Mapping[str, Any]
_SIX_PLACES = Decimal("0.000001")


@dataclass(frozen=True)
class EnrichedRecord:
    """One changed record plus the related rows its mapping reads, keyed by model and id.

    `record` merges the change (what Odoo sent, which wins for the state and write date it
    announced) with a fresh read of the fields the mapping needs.
    """

    model: str
    id: int
    version: int
    """Odoo's major version: field names differ between 16, 17-18 and 19."""
    record: Row
    related: Mapping[str, Mapping[int, Row]] = field(default_factory=dict)
    action: str | None = None
    """The webhook's ``_action`` (``"<name>(#<id>)"``), kept for the audit trail."""
    missing: bool = False
    """The record was deleted before it could be read: only the change's own fields remain."""

    @property
    def where(self) -> str:
        """The record as error places name it, e.g. ``sale.order(42)``."""
        return f"{self.model}({self.id})"

    def row(self, model: str, value: Any) -> Row | None:
        """The related row a many2one value (id, ``[id, name]`` or False) points at."""
        rid = m2o_id(value)
        return None if rid is None else self.related.get(model, {}).get(rid)

    def rows(self, model: str, ids: Sequence[int] | Any) -> list[Row]:
        """The related rows of an x2many id list, in the list's order; missing ids skipped."""
        table = self.related.get(model, {})
        return [table[rid] for rid in (ids or []) if rid in table]

    def to_json(self) -> dict[str, Any]:
        """The ``_enriched`` object stored with the message (ids become JSON object keys)."""
        return {
            "model": self.model,
            "id": self.id,
            "version": self.version,
            "action": self.action,
            "missing": self.missing,
            "record": dict(self.record),
            "related": {
                model: {str(rid): dict(row) for rid, row in rows.items()}
                for model, rows in self.related.items()
            },
        }

    @classmethod
    def from_json(cls, document: Any) -> EnrichedRecord:
        """Read `to_json`'s output back; MappingError names what is malformed."""
        if not isinstance(document, dict):
            raise MappingError("must be an object produced by enrich()", "_enriched")
        try:
            related = {
                str(model): {int(rid): dict(row) for rid, row in rows.items()}
                for model, rows in (document.get("related") or {}).items()
            }
            return cls(
                model=str(document["model"]),
                id=int(document["id"]),
                version=int(document["version"]),
                record=dict(document["record"]),
                related=related,
                action=document.get("action"),
                missing=bool(document.get("missing", False)),
            )
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise MappingError(f"malformed enrichment: {exc!r}", "_enriched") from None


@dataclass(frozen=True)
class Mapped:
    """One canonical payload and the envelope attributes its mapping decided."""

    event_type: str
    data: BaseModel
    subject: str
    lanekey: str
    time: datetime
    correlationid: str | None = None


def m2o_id(value: Any) -> int | None:
    """The id of a many2one value in any of Odoo's shapes, None when unset."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, list | tuple) and value and isinstance(value[0], int):
        return int(value[0])
    return None


def m2o_name(value: Any) -> str | None:
    """The display name of a ``[id, name]`` many2one (absent from webhook payloads)."""
    if isinstance(value, list | tuple) and len(value) > 1 and isinstance(value[1], str):
        return value[1] or None
    return None


def text(value: Any) -> str | None:
    """A char field: Odoo sends ``False`` for unset; blank strings count as unset too."""
    return value.strip() or None if isinstance(value, str) else None


def odoo_datetime(value: Any) -> datetime | None:
    """An Odoo datetime (naive, in UTC by Odoo's rule) as an aware UTC datetime."""
    if not isinstance(value, str) or not value:
        return None
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def odoo_date(value: Any) -> date | None:
    """An Odoo date field (``YYYY-MM-DD``); a datetime string yields its UTC date."""
    if not isinstance(value, str) or not value:
        return None
    if len(value) == 10:
        return date.fromisoformat(value)
    moment = odoo_datetime(value)
    return moment.date() if moment else None


def decimal(value: Any) -> Decimal:
    """An Odoo float as an exact decimal, rounded to 6 places to drop binary noise
    (``0.30000000000000004``) and without trailing zeros."""
    if isinstance(value, bool) or value is None:
        return Decimal(0)
    number = Decimal(repr(value)) if isinstance(value, float) else Decimal(str(value))
    number = number.quantize(_SIX_PLACES).normalize()
    return number.quantize(Decimal(1)) if number == number.to_integral_value() else number


def required_time(rec: EnrichedRecord, name: str = "write_date") -> datetime:
    moment = odoo_datetime(rec.record.get(name))
    if moment is None:
        raise MappingError(f"{name} is missing; the change cannot be dated", rec.where)
    return moment
