"""``Model.load(fields, data)``: the CSV-style import behind Odoo's import wizard.

Follows ``BaseModel.load`` in ``odoo/models.py`` and the converters of
``odoo/addons/base/models/ir_fields.py``: values come as strings; the ``id`` column holds an
external id (``module.name``, or a bare name that lands in module ``__import__``) that decides
between creating the record and updating the one already bound to it in ``ir.model.data``
(``odoo/addons/base/models/ir_model.py``); ``.id`` holds a database id; ``field/id`` and
``field/.id`` resolve relations by external or database id, a bare relational column by name.
The answer is ``{"ids": [...], "messages": [...], "nextrow": 0}``; when any row fails, nothing
is kept and ``ids`` is ``False``, as Odoo rolls back to its savepoint.
"""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from crossdock.sandbox.odoo.errors import OdooError
from crossdock.sandbox.odoo.fields import Field

if TYPE_CHECKING:
    from crossdock.sandbox.odoo.orm import Env

DATE_FORMAT = "%Y-%m-%d"
DATETIME_FORMAT = "%Y-%m-%d %H:%M:%S"
TRUE_WORDS = {"1", "true", "yes", "y", "t"}
FALSE_WORDS = {"0", "false", "no", "n", "f", ""}


class ImportIssue(Exception):
    """One cell that cannot be converted; becomes an entry of ``messages``."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


def load(env: Env, model: str, ids: list[int], fields: list[str], data: list[list[Any]]) -> Any:
    messages: list[dict[str, Any]] = []
    result_ids: list[int] = []
    try:
        with env.db.transaction():
            for index, row in enumerate(data):
                try:
                    result_ids.append(_load_row(env, model, fields, row))
                except ImportIssue as issue:
                    messages.append(_message(index, issue.field, str(issue)))
                except (OdooError, ValueError) as exc:
                    messages.append(_message(index, "", str(exc.args[0] if exc.args else exc)))
            _roll_back_if(messages)
    except _Rollback:
        return {"ids": False, "messages": messages, "nextrow": 0}
    return {"ids": result_ids, "messages": messages, "nextrow": 0}


class _Rollback(Exception):
    """Leaves the savepoint so that no row of a failed import is kept."""


def _roll_back_if(messages: list[dict[str, Any]]) -> None:
    if messages:
        raise _Rollback


def _message(index: int, field: str, text: str) -> dict[str, Any]:
    return {
        "type": "error",
        "message": text,
        "record": index,
        "rows": {"from": index, "to": index},
        "field": field,
    }


def _load_row(env: Env, model: str, fields: list[str], row: list[Any]) -> int:
    if len(row) != len(fields):
        raise ImportIssue(f"Expected {len(fields)} values, got {len(row)}", "")
    spec = env.spec(model)
    xmlid: str | None = None
    db_id: int | None = None
    vals: dict[str, Any] = {}
    for column, cell in zip(fields, row, strict=True):
        text = "" if cell is None or cell is False else str(cell).strip()
        if column == "id":
            xmlid = text or None
            continue
        if column == ".id":
            db_id = int(text) if text else None
            continue
        name, _, suffix = column.partition("/")
        fld = spec.fields.get(name)
        if fld is None:
            raise ImportIssue(f"Unknown field '{column}' on model '{model}'", column)
        vals[name] = _convert(env, fld, text, suffix)
    if xmlid:
        module, dot, name = xmlid.partition(".")
        if not dot:
            module, name = "__import__", xmlid
        existing = _bound_record(env, model, module, name)
        if existing is not None:
            env.write(model, [existing], vals)
            return existing
        rid = env.create(model, vals)
        env.create("ir.model.data", {"module": module, "name": name, "model": model, "res_id": rid})
        return rid
    if db_id is not None:
        env.write(model, [db_id], vals)
        return db_id
    return env.create(model, vals)


def _bound_record(env: Env, model: str, module: str, name: str) -> int | None:
    for did, rec in list(env.db.tables["ir.model.data"].items()):
        if rec["module"] == module and rec["name"] == name:
            if rec["model"] != model:
                raise ImportIssue(
                    f"External ID {module}.{name} points to a {rec['model']} record", "id"
                )
            if env.exists(model, int(rec["res_id"])):
                return int(rec["res_id"])
            env.unlink("ir.model.data", [did])
    return None


def _convert(env: Env, fld: Field, text: str, suffix: str) -> Any:
    label = fld.string
    if fld.type in ("many2one", "many2many", "one2many"):
        return _relation(env, fld, text, suffix)
    if not text:
        return False if fld.type not in ("integer", "float", "monetary") else 0
    if fld.type == "boolean":
        return _boolean(text, label, fld.name)
    if fld.type == "integer":
        try:
            return int(text)
        except ValueError:
            raise ImportIssue(
                f"'{text}' does not seem to be an integer for field '{label}'", fld.name
            ) from None
    if fld.type in ("float", "monetary"):
        try:
            return float(text)
        except ValueError:
            raise ImportIssue(
                f"'{text}' does not seem to be a number for field '{label}'", fld.name
            ) from None
    if fld.type == "date":
        return _date_text(text, label, fld.name)
    if fld.type == "datetime":
        return _datetime_text(env, text, label, fld.name)
    if fld.type == "selection":
        for key, title in fld.selection:
            if text in (key, title) or text.lower() == title.lower():
                return key
        raise ImportIssue(f"Value '{text}' not found in selection field '{label}'", fld.name)
    return text


def _boolean(text: str, label: str, name: str) -> bool:
    lowered = text.lower()
    if lowered in TRUE_WORDS:
        return True
    if lowered in FALSE_WORDS:
        return False
    raise ImportIssue(f"Unknown value '{text}' for boolean field '{label}'", name)


def _parse(text: str, formats: tuple[str, ...]) -> datetime | None:
    for fmt in formats:
        try:
            return datetime.strptime(text, fmt).replace(tzinfo=UTC)
        except ValueError:
            continue
    return None


def _date_text(text: str, label: str, name: str) -> str:
    """``ir.fields.converter._str_to_date``: the server date format only."""
    parsed = _parse(text, (DATE_FORMAT,))
    if parsed is None:
        raise ImportIssue(f"'{text}' does not seem to be a valid date for field '{label}'", name)
    return parsed.date().isoformat()


def _datetime_text(env: Env, text: str, label: str, name: str) -> str:
    """``ir.fields.converter._str_to_datetime``: the server format (or a bare date), read in
    the context's ``tz`` (else the user's), stored in UTC. An unknown zone reads as UTC."""
    from crossdock.sandbox.odoo.models.base import USER_TZ  # noqa: PLC0415 - models import us

    parsed = _parse(text, (DATETIME_FORMAT, DATE_FORMAT))
    if parsed is None:
        raise ImportIssue(
            f"'{text}' does not seem to be a valid datetime for field '{label}'", name
        )
    with contextlib.suppress(ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo(str(env.context.get("tz") or USER_TZ))
        parsed = parsed.replace(tzinfo=zone).astimezone(UTC)
    return parsed.strftime(DATETIME_FORMAT)


def _relation(env: Env, fld: Field, text: str, suffix: str) -> Any:
    assert fld.relation is not None
    if not text:
        return False if fld.type == "many2one" else [(6, 0, [])]
    found: list[int] = []
    for part in [text] if fld.type == "many2one" else [p.strip() for p in text.split(",")]:
        if suffix == "id":
            module, dot, name = part.partition(".")
            if not dot:
                module, name = "__import__", part
            try:
                found.append(env.ref(f"{module}.{name}"))
            except ValueError:
                raise ImportIssue(
                    f"No matching record found for external id '{part}' in field '{fld.string}'",
                    fld.name,
                ) from None
        elif suffix == ".id":
            found.append(int(part))
        else:
            matches = [
                rid
                for rid in env.search(fld.relation, [])
                if env.display_name(fld.relation, rid).lower() == part.lower()
            ]
            if not matches:
                raise ImportIssue(
                    f"No matching record found for name '{part}' in field '{fld.string}'",
                    fld.name,
                )
            found.append(matches[0])
    if fld.type == "many2one":
        return found[0]
    return [(6, 0, found)]
