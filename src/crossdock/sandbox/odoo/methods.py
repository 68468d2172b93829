"""The generic public methods every model has: the CRUD API of ``odoo/models.py``.

``search``, ``search_read``, ``search_count``, ``read``, ``create``, ``write``, ``unlink``,
``name_search``, ``fields_get``, ``default_get``, ``exists``, ``load`` (and ``name_get`` on
16, removed in 17). Their parameter names are Odoo's, per version, because JSON-2 passes
every argument by name and JSON-RPC callers may too: 16's ``search`` and ``search_count``
call their domain ``args`` (and ``search`` still takes ``count``), ``name_search`` takes
``args`` up to 17 and ``domain`` from 18, ``default_get`` takes ``fields_list`` up to 18 and
``fields`` on 19.
"""

from __future__ import annotations

from typing import Any

from crossdock.sandbox.odoo.fields import Method
from crossdock.sandbox.odoo.loader import load
from crossdock.sandbox.odoo.orm import Env, Records
from crossdock.sandbox.odoo.versions import OdooVersion


def search_16(
    env: Env,
    model: str,
    ids: list[int],
    args: list[Any],
    offset: int = 0,
    limit: int | None = None,
    order: str | None = None,
    count: bool = False,
) -> Any:
    found = env.search(model, args, order=order, limit=limit, offset=offset)
    return len(found) if count else found


def search(
    env: Env,
    model: str,
    ids: list[int],
    domain: list[Any],
    offset: int = 0,
    limit: int | None = None,
    order: str | None = None,
) -> list[int]:
    return env.search(model, domain, order=order, limit=limit, offset=offset)


def search_count(
    env: Env, model: str, ids: list[int], domain: list[Any], limit: int | None = None
) -> int:
    return len(env.search(model, domain, limit=limit))


def search_count_16(
    env: Env, model: str, ids: list[int], args: list[Any], limit: int | None = None
) -> int:
    return len(env.search(model, args, limit=limit))


def search_read(
    env: Env,
    model: str,
    ids: list[int],
    domain: list[Any] | None = None,
    fields: list[str] | None = None,
    offset: int = 0,
    limit: int | None = None,
    order: str | None = None,
    **read_kwargs: Any,
) -> list[dict[str, Any]]:
    found = env.search(model, domain or [], order=order, limit=limit, offset=offset)
    return env.read(model, found, fields, read_kwargs.get("load", "_classic_read"))


def read(
    env: Env,
    model: str,
    ids: list[int],
    fields: list[str] | None = None,
    load: str | None = "_classic_read",
) -> list[dict[str, Any]]:
    return env.read(model, ids, fields, load)


def create(env: Env, model: str, ids: list[int], vals_list: Any) -> Records:
    """``create`` is ``@api.model_create_multi``: one dict or a list of dicts."""
    items = [vals_list] if isinstance(vals_list, dict) else list(vals_list)
    created = []
    for vals in items:
        if not isinstance(vals, dict):
            raise ValueError(f"Invalid values {vals!r} for {model}.create()")  # noqa: TRY004
        created.append(env.create(model, vals, context_defaults=True))
    return Records(model, tuple(created))


def write(env: Env, model: str, ids: list[int], vals: dict[str, Any]) -> bool:
    env.write(model, ids, vals)
    return True


def unlink(env: Env, model: str, ids: list[int]) -> bool:
    env.unlink(model, ids)
    return True


def exists(env: Env, model: str, ids: list[int]) -> Records:
    return Records(model, tuple(rid for rid in ids if env.exists(model, rid)))


def _name_search(
    env: Env, model: str, name: str, domain: list[Any] | None, operator: str, limit: int | None
) -> list[list[Any]]:
    found = env.search(model, domain or [])
    if name:
        needle = name.lower()
        if operator in ("=", "=ilike"):
            found = [r for r in found if env.display_name(model, r).lower() == needle]
        else:
            found = [r for r in found if needle in env.display_name(model, r).lower()]
    if limit:
        found = found[:limit]
    return [[rid, env.display_name(model, rid)] for rid in found]


def name_search_17(
    env: Env,
    model: str,
    ids: list[int],
    name: str = "",
    args: list[Any] | None = None,
    operator: str = "ilike",
    limit: int = 100,
) -> list[list[Any]]:
    return _name_search(env, model, name, args, operator, limit)


def name_search(
    env: Env,
    model: str,
    ids: list[int],
    name: str = "",
    domain: list[Any] | None = None,
    operator: str = "ilike",
    limit: int = 100,
) -> list[list[Any]]:
    return _name_search(env, model, name, domain, operator, limit)


def name_get(env: Env, model: str, ids: list[int]) -> list[list[Any]]:
    return [[rid, env.display_name(model, rid)] for rid in ids if env.exists(model, rid)]


def fields_get(
    env: Env,
    model: str,
    ids: list[int],
    allfields: list[str] | None = None,
    attributes: list[str] | None = None,
) -> dict[str, dict[str, Any]]:
    spec = env.spec(model)
    result: dict[str, dict[str, Any]] = {}
    names = allfields if allfields else ["id", *spec.fields]
    for name in names:
        if name == "id":
            desc: dict[str, Any] = {
                "type": "integer",
                "string": "ID",
                "required": False,
                "readonly": True,
                "store": True,
            }
        elif name in spec.fields:
            fld = spec.fields[name]
            desc = {
                "type": fld.type,
                "string": fld.string,
                "required": fld.required,
                "readonly": fld.readonly or (fld.compute is not None and fld.inverse is None),
                "store": fld.stored,
            }
            if fld.relation:
                desc["relation"] = fld.relation
            if fld.inverse_name:
                desc["relation_field"] = fld.inverse_name
            if fld.type == "selection":
                desc["selection"] = [list(pair) for pair in fld.selection]
        else:
            continue
        desc["name"] = name
        if attributes:
            desc = {k: v for k, v in desc.items() if k in attributes}
        result[name] = desc
    return result


def _default_get(env: Env, model: str, names: list[str]) -> dict[str, Any]:
    spec = env.spec(model)
    values: dict[str, Any] = {}
    for name in names:
        fld = spec.fields.get(name)
        if fld is None:
            continue
        key = f"default_{name}"
        if key in env.context:
            values[name] = env.context[key]
        elif fld.stored and fld.default is not None:
            values[name] = fld.default_value(env, values)
    return values


def default_get_18(env: Env, model: str, ids: list[int], fields_list: list[str]) -> dict[str, Any]:
    return _default_get(env, model, fields_list)


def default_get(env: Env, model: str, ids: list[int], fields: list[str]) -> dict[str, Any]:
    return _default_get(env, model, fields)


def generic_methods(version: OdooVersion) -> dict[str, Method]:
    """The ORM methods of ``BaseModel`` for one version, keyed by their public name."""
    methods = {
        "search": Method(search_16 if version.major == 16 else search, True, "read"),
        "search_count": Method(
            search_count_16 if version.major == 16 else search_count, True, "read"
        ),
        "search_read": Method(search_read, True, "read"),
        "read": Method(read, False, "read"),
        "create": Method(create, True, "create"),
        "write": Method(write, False, "write"),
        "unlink": Method(unlink, False, "unlink"),
        "exists": Method(exists, False, "read"),
        "name_search": Method(name_search_17 if version.major <= 17 else name_search, True, "read"),
        "fields_get": Method(fields_get, True, "read"),
        "default_get": Method(default_get if version.major >= 19 else default_get_18, True, "read"),
        "load": Method(load, True, "create"),
    }
    if version.major == 16:
        methods["name_get"] = Method(name_get, False, "read")
    return methods
