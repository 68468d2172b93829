"""Calling a model method remotely: the object service shared by JSON-RPC and JSON-2.

Follows ``odoo/service/model.py`` (``dispatch``, ``execute_kw``, ``execute_cr``, ``retrying``),
``odoo/api.py`` ``call_kw`` (16/17) and ``get_public_method`` / ``call_kw`` (18/19): private
methods are refused with an AccessError, an unknown model is a UserError (``Object x doesn't
exist``), an unknown method an AttributeError; record methods take their ids from the first
positional argument, ``@api.model`` methods take none; ``context`` is popped from the keyword
arguments; ``create`` answers an id for one dict and a list of ids for a list. Each call is one
transaction, rolled back on error. Queued faults (``faults.py``) strike here.
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from typing import Any

from crossdock.sandbox.odoo import access
from crossdock.sandbox.odoo.access import ApiUser
from crossdock.sandbox.odoo.errors import (
    AccessError,
    HttpError,
    LockError,
    UserError,
    lock_not_available,
    serialization_failure,
)
from crossdock.sandbox.odoo.faults import ProxyFault
from crossdock.sandbox.odoo.fields import Method
from crossdock.sandbox.odoo.methods import generic_methods
from crossdock.sandbox.odoo.orm import OdooDatabase, Records


def resolve(db: OdooDatabase, model: str, name: str) -> Method | None:
    spec = db.registry[model]
    if name in spec.methods:
        return spec.methods[name]
    return generic_methods(db.version).get(name)


def _strike(db: OdooDatabase, model: str, method: str) -> None:
    kind = db.faults.take(model, method)
    if kind is None:
        return
    if kind == "http503":
        raise ProxyFault(503)
    if kind == "http429":
        raise ProxyFault(429)
    if kind == "lock":
        if db.version.major >= 19:
            raise LockError("Cannot grab a lock on records")
        raise lock_not_available(db.registry[model].table)
    raise serialization_failure()


def _bind(method: Method, args: list[Any], kwargs: Mapping[str, Any]) -> None:
    """Check the call fits the method's signature (the first three are env, model, ids)."""
    params = list(inspect.signature(method.func).parameters.values())[3:]
    inspect.Signature(params).bind(*args, **kwargs)


def _ids(value: Any) -> list[int]:
    if value is False or value is None:
        return []
    if isinstance(value, bool):
        raise TypeError(f"Invalid ids {value!r}")
    if isinstance(value, int):
        return [value]
    if isinstance(value, list | tuple) and all(
        isinstance(v, int) and not isinstance(v, bool) for v in value
    ):
        return list(value)
    raise TypeError(f"Invalid ids {value!r}")


def _adapt(db: OdooDatabase, result: Any) -> Any:
    if isinstance(result, Records):
        return list(result.ids) if db.version.records_result_as_ids else str(result)
    return result


def execute_kw(
    db: OdooDatabase,
    user: ApiUser,
    model: str,
    name: str,
    args: list[Any],
    kwargs: Mapping[str, Any] | None,
) -> Any:
    """The JSON-RPC ``object`` service: ``execute_kw(db, uid, password, model, method, ...)``."""
    version = db.version
    if version.major < 18 and (name.startswith("_") or name == "init"):
        raise AccessError(version.private_method_message(model, name))
    if model not in db.registry:
        raise UserError(f"Object {model} doesn't exist")
    if name.startswith("_"):
        raise AccessError(version.private_method_message(model, name))
    method = resolve(db, model, name)
    if method is None:
        raise AttributeError(version.missing_method_message(model, name))
    if not isinstance(args, list):
        raise TypeError("execute_kw() argument 'args' must be a list")
    kw = dict(kwargs or {})
    context = kw.pop("context", None) or {}
    if method.api_model:
        ids: list[int] = []
        rest = list(args)
    else:
        if not args:
            raise IndexError("list index out of range")
        ids, rest = _ids(args[0]), list(args[1:])
    with db.lock:
        _strike(db, model, name)
        access.check(user, model, db.registry[model].description, method.access)
        _bind(method, rest, kw)
        with db.transaction():
            result = method.func(db.env(user.uid, context), model, ids, *rest, **kw)
    if name == "create" and isinstance(result, Records):
        return result.ids[0] if rest and isinstance(rest[0], Mapping) else list(result.ids)
    return _adapt(db, result)


def execute_json2(
    db: OdooDatabase,
    user: ApiUser,
    model: str,
    name: str,
    body: Mapping[str, Any],
) -> Any:
    """``web_json_2_rpc`` of addons/web/controllers/json2.py (19): named arguments only."""
    if model not in db.registry:
        raise HttpError(404, f"the model {model!r} does not exist")
    if name.startswith("_"):
        raise AccessError(db.version.private_method_message(model, name))
    method = resolve(db, model, name)
    if method is None:
        raise HttpError(404, db.version.missing_method_message(model, name))
    kwargs = dict(body)
    ids = kwargs.pop("ids", None) or []
    context = kwargs.pop("context", None) or {}
    if not isinstance(context, Mapping):
        raise HttpError(422, "context must be a JSON object")
    if method.api_model and ids:
        raise HttpError(422, f"cannot call {model}.{name} with ids")
    try:
        id_list = _ids(ids)
    except TypeError as exc:
        raise HttpError(422, str(exc)) from None
    with db.lock:
        _strike(db, model, name)
        access.check(user, model, db.registry[model].description, method.access)
        try:
            _bind(method, [], kwargs)
        except TypeError as exc:
            raise HttpError(422, str(exc)) from None
        with db.transaction():
            result = method.func(db.env(user.uid, dict(context)), model, id_list, **kwargs)
    if isinstance(result, Records):
        return list(result.ids)
    return result


def run_method(
    db: OdooDatabase,
    uid: int,
    model: str,
    name: str,
    ids: list[int],
    args: list[Any],
    kwargs: Mapping[str, Any],
) -> Any:
    """Call a method in-process (tests, seed, ``OdooDatabase.call``): no access checks."""
    method = resolve(db, model, name)
    if method is None:
        raise AttributeError(db.version.missing_method_message(model, name))
    kw = dict(kwargs)
    context = kw.pop("context", None) or {}
    with db.lock, db.transaction():
        result = method.func(
            db.env(uid, context), model, [] if method.api_model else ids, *args, **kw
        )
    return _adapt(db, result)
