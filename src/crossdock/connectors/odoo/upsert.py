"""Create-or-update many Odoo records in a few RPCs, keyed by external id or by a unique field.

- `upsert_by_external_id` sends Odoo's own import (`load`): one RPC per chunk whatever the mix
  of new and existing records, matched on `<xml_module>.<key>` in the `id` column. Odoo
  resolves and creates the ir.model.data entries itself, so the bot user needs no access to
  ir.model.data (odoo/models.py `BaseModel.load` → `_load_records`).
- `upsert_by_field` reads every key in one `search_read`, creates the missing records in one
  `create`, and writes only the fields that differ, grouped by identical values.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from typing import Any, TypeVar

from crossdock.connectors.odoo.batching import Update, merge_vals, plan_writes
from crossdock.connectors.odoo.errors import OdooUsageError
from crossdock.connectors.odoo.operations import Context, OdooOperations, Record

DEFAULT_CHUNK = 1000
T = TypeVar("T")


async def upsert_by_external_id(
    client: OdooOperations,
    model: str,
    xml_module: str,
    rows: Sequence[Mapping[str, Any]],
    *,
    key: str = "id",
    context: Context | None = None,
    chunk_size: int = DEFAULT_CHUNK,
) -> dict[str, int]:
    """Upsert `rows` (each with `key` holding the external id's name); answers key → record id.

    Cells use Odoo's import format: relational columns name their target by external id
    (`partner_id/id`) or database id (`partner_id/.id`); None and False clear a field.
    Rows with different columns go in separate calls, so a missing column never clears a field.
    """
    if not xml_module or "." in xml_module:
        raise OdooUsageError(f"invalid external id module {xml_module!r}")
    batches: dict[tuple[str, ...], list[Mapping[str, Any]]] = {}
    for row in rows:
        if not row.get(key):
            raise OdooUsageError(f"every row needs a {key!r} value: {dict(row)!r:.200}")
        columns = tuple(sorted(c for c in row if c != key))
        batches.setdefault(columns, []).append(row)
    result: dict[str, int] = {}
    for columns, group in batches.items():
        for chunk in _chunks(group, chunk_size):
            data = [
                [f"{xml_module}.{row[key]}", *(_cell(row[c]) for c in columns)] for row in chunk
            ]
            loaded = await client.load(model, ["id", *columns], data, context=context)
            loaded.raise_for_errors(model)
            result.update({str(row[key]): rid for row, rid in zip(chunk, loaded.ids, strict=True)})
    return result


async def upsert_by_field(
    client: OdooOperations,
    model: str,
    unique_field: str,
    rows: Sequence[Mapping[str, Any]],
    *,
    context: Context | None = None,
    compare: bool = True,
    chunk_size: int = DEFAULT_CHUNK,
) -> dict[Hashable, int]:
    """Upsert `rows` matched on `unique_field`; answers key → record id.

    Archived records count as existing (`active_test` off), so they are updated, not duplicated.
    With `compare`, current values are read too and unchanged fields are not written.
    """
    wanted: dict[Hashable, dict[str, Any]] = {}
    for row in rows:
        value = row.get(unique_field)
        if value is None or value is False:
            raise OdooUsageError(f"every row needs a {unique_field!r} value")
        merge_vals(wanted.setdefault(value, {}), row)
    if not wanted:
        return {}
    fields = sorted({f for vals in wanted.values() for f in vals}) if compare else [unique_field]
    found = await client.search_read(
        model,
        [(unique_field, "in", list(wanted))],
        fields,
        order="id",
        context={**(context or {}), "active_test": False},
    )
    existing: dict[Hashable, Record] = {}
    for record in found:
        existing.setdefault(record[unique_field], record)  # duplicates: the oldest wins
    result = {key: record["id"] for key, record in existing.items()}
    missing = [key for key in wanted if key not in existing]
    for chunk in _chunks(missing, chunk_size):
        ids = await client.create(model, [wanted[k] for k in chunk], context=context)
        result.update(zip(chunk, ids, strict=True))
    updates = [
        Update(model, record["id"], _changes(record, wanted[key]) if compare else wanted[key])
        for key, record in existing.items()
    ]
    for step in plan_writes(updates).steps:
        await client.write(model, step.ids, step.vals, context=context)
    return result


def _changes(current: Record, wanted: Mapping[str, Any]) -> dict[str, Any]:
    return {f: v for f, v in wanted.items() if not _same(current.get(f), v)}


def _same(current: Any, new: Any) -> bool:
    """Whether writing `new` would leave a field read as `current` unchanged (conservatively)."""
    if isinstance(current, list) and len(current) == 2 and isinstance(new, int):
        return current[0] == new and not isinstance(new, bool)  # many2one reads [id, name]
    if isinstance(new, list | tuple | dict):
        return False  # x2many commands and JSON values: always write
    if type(current) is not type(new) and not (_number(current) and _number(new)):
        return False
    return bool(current == new)


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _cell(value: Any) -> str:
    if value is None or value is False:
        return ""
    if value is True:
        return "1"
    if isinstance(value, str | int | float):
        return str(value)
    raise OdooUsageError(f"load takes text cells, not {type(value).__name__}: {value!r:.100}")


def _chunks(items: Sequence[T], size: int) -> list[Sequence[T]]:
    return [items[i : i + size] for i in range(0, len(items), size)]
