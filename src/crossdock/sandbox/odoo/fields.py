"""How a simulated model is declared: its fields, public methods and hooks.

A much reduced ``odoo/fields.py`` and ``odoo/models.py`` class body: a field has Odoo's type
names (char, many2one, one2many...), may be stored, computed or related (read through a
many2one, like ``product.product.name``), and a model lists its public methods, each marked
``@api.model`` or record-level, as ``odoo/api.py`` does.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from crossdock.sandbox.odoo.orm import Env

FieldType = Literal[
    "char",
    "text",
    "html",
    "integer",
    "float",
    "monetary",
    "boolean",
    "selection",
    "many2one",
    "one2many",
    "many2many",
    "date",
    "datetime",
]
AccessMode = Literal["read", "write", "create", "unlink"]

Compute = Callable[["Env", int], Any]
Inverse = Callable[["Env", int, Any], None]
DefaultFactory = Callable[["Env", dict[str, Any]], Any]
Hook = Callable[["Env", int], None]
Vals = dict[str, Any]


@dataclass(frozen=True)
class Field:
    """One field of a model, named when the model is built."""

    type: FieldType
    string: str
    relation: str | None = None
    inverse_name: str | None = None
    required: bool = False
    readonly: bool = False
    selection: tuple[tuple[str, str], ...] = ()
    default: Any = None
    compute: Compute | None = None
    inverse: Inverse | None = None
    related: tuple[str, str] | None = None
    name: str = ""

    @property
    def stored(self) -> bool:
        return self.compute is None and self.related is None and self.type != "one2many"

    @property
    def relational(self) -> bool:
        return self.type in ("many2one", "one2many", "many2many")

    def default_value(self, env: Env, vals: Vals) -> Any:
        if callable(self.default):
            return self.default(env, vals)
        if isinstance(self.default, list):
            return list(self.default)
        return self.default

    def empty(self) -> Any:
        """The value of an unset field as stored: False, 0, 0.0 or an empty list."""
        if self.type in ("one2many", "many2many"):
            return []
        if self.type == "integer":
            return 0
        if self.type in ("float", "monetary"):
            return 0.0
        return False


@dataclass(frozen=True)
class Method:
    """A public method: ``func(env, model, ids, *args, **kwargs)``.

    ``api_model`` methods take no ids (``@api.model``); ``access`` is the ACL operation the
    caller needs (``write`` for business buttons, as they write).
    """

    func: Callable[..., Any]
    api_model: bool = False
    access: AccessMode = "write"


@dataclass
class ModelSpec:
    """A simulated model: ``_name``, ``_description``, ``_order``, fields and methods."""

    name: str
    description: str
    fields: dict[str, Field]
    order: str = "id"
    rec_name: str | None = "name"
    parent_name: str | None = None
    transient: bool = False
    table: str = ""
    display_name: Compute | None = None
    methods: dict[str, Method] = field(default_factory=dict)
    before_create: Callable[[Env, Vals], Vals] | None = None
    after_create: Hook | None = None
    before_unlink: Hook | None = None
    constraints: tuple[Hook, ...] = ()
    # An override of ``write`` that reacts after ``super().write``: (env, id, vals, before).
    after_write: Callable[[Env, int, Vals, Mapping[str, Any]], None] | None = None

    def __post_init__(self) -> None:
        merged = {**self.fields, **log_access_fields()}
        merged["display_name"] = Field("char", "Display Name", readonly=True, compute=_no_compute)
        self.fields = {name: replace(f, name=name) for name, f in merged.items()}
        if not self.table:
            self.table = self.name.replace(".", "_")


def _no_compute(env: Env, rid: int) -> Any:
    """Placeholder: the ORM computes ``display_name`` itself (``ModelSpec.display_name``)."""
    return False


def selection(*pairs: tuple[str, str]) -> tuple[tuple[str, str], ...]:
    return tuple(pairs)


def char(string: str, **kw: Any) -> Field:
    return Field("char", string, **kw)


def text(string: str, **kw: Any) -> Field:
    return Field("text", string, **kw)


def html(string: str, **kw: Any) -> Field:
    return Field("html", string, **kw)


def integer(string: str, **kw: Any) -> Field:
    return Field("integer", string, **kw)


def float_(string: str, **kw: Any) -> Field:
    return Field("float", string, **kw)


def monetary(string: str, **kw: Any) -> Field:
    return Field("monetary", string, **kw)


def boolean(string: str, **kw: Any) -> Field:
    return Field("boolean", string, **kw)


def select(string: str, pairs: tuple[tuple[str, str], ...], **kw: Any) -> Field:
    return Field("selection", string, selection=pairs, **kw)


def many2one(relation: str, string: str, **kw: Any) -> Field:
    return Field("many2one", string, relation=relation, **kw)


def one2many(relation: str, inverse_name: str, string: str, **kw: Any) -> Field:
    return Field("one2many", string, relation=relation, inverse_name=inverse_name, **kw)


def many2many(relation: str, string: str, **kw: Any) -> Field:
    return Field("many2many", string, relation=relation, **kw)


def date(string: str, **kw: Any) -> Field:
    return Field("date", string, **kw)


def datetime_(string: str, **kw: Any) -> Field:
    return Field("datetime", string, **kw)


def log_access_fields() -> dict[str, Field]:
    """The magic columns every Odoo model has (``_log_access``)."""
    return {
        "create_date": datetime_("Created on", readonly=True),
        "write_date": datetime_("Last Updated on", readonly=True),
        "create_uid": many2one("res.users", "Created by", readonly=True),
        "write_uid": many2one("res.users", "Last Updated by", readonly=True),
    }
