"""The in-memory ORM: records, transactions, CRUD and the read format of ``odoo/models.py``.

What it keeps of Odoo's ORM:

- every record has ``id``, ``create_date``, ``write_date``, ``create_uid`` and ``write_uid``;
  dates are server UTC strings ``'YYYY-MM-DD HH:MM:SS'``; every write bumps ``write_date``;
- ``read`` answers many2one fields as ``[id, display_name]`` (or the bare id with
  ``load=None``), x2many fields as id lists and unset values as ``False``; ids that no
  longer exist are skipped, as ``_read_format`` does;
- ``create`` applies field defaults and the context's ``default_*`` keys, refuses a missing
  required value the way ``retrying`` reports a NOT NULL violation, and accepts the x2many
  commands of ``odoo.fields.Command`` (0 create ... 6 set);
- ``write`` refuses unknown fields (``Invalid field 'x' on model 'y'``) and deleted records
  (``MissingError``); ``unlink`` cascades to lines and drops the ``ir.model.data`` entries;
- searches apply the implicit ``active`` filter unless the domain or ``active_test`` says
  otherwise, and order by the model's ``_order``;
- every RPC call runs in a transaction that is rolled back on error and, when the database
  has a path, persisted to SQLite on commit.
"""

from __future__ import annotations

import copy
import functools
import threading
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from crossdock.sandbox.odoo import ADMIN_UID, SANDBOX_DB
from crossdock.sandbox.odoo import domain as domains
from crossdock.sandbox.odoo.errors import MissingError, ValidationError
from crossdock.sandbox.odoo.faults import FaultInjector, FaultKind
from crossdock.sandbox.odoo.fields import Field, ModelSpec, Vals
from crossdock.sandbox.odoo.store import SqliteStore
from crossdock.sandbox.odoo.versions import OdooVersion

SUPERUSER_ID = 1
DATETIME_FORMAT = "%Y-%m-%d %H:%M:%S"
LOG_ACCESS = ("create_date", "write_date", "create_uid", "write_uid")

Record = dict[str, Any]
Key = tuple[str, int]


@dataclass(frozen=True)
class Records:
    """A recordset returned by a method; each protocol turns it into what Odoo sends."""

    model: str
    ids: tuple[int, ...]

    def __str__(self) -> str:
        inner = "".join(f"{i}," for i in self.ids)
        return f"{self.model}({inner})"


class OdooDatabase:
    """One simulated Odoo database: the registry of models, their records and the clock.

    Tests use it directly (``app.state.odoo``) to read records, change them "as a user in
    Odoo would" (``simulate_user_change``), move the clock and queue failures.
    """

    def __init__(
        self,
        version: int | OdooVersion = 18,
        path: Path | None = None,
        seed: bool = True,
    ) -> None:
        from crossdock.sandbox.odoo.models import build_registry  # noqa: PLC0415

        self.version = version if isinstance(version, OdooVersion) else OdooVersion(version)
        self.name = SANDBOX_DB
        self.registry: dict[str, ModelSpec] = build_registry(self.version)
        self.tables: dict[str, dict[int, Record]] = {name: {} for name in self.registry}
        self.next_ids: dict[str, int] = dict.fromkeys(self.registry, 1)
        self.counters: dict[str, int] = {}
        self.clock_offset = 0.0
        self.faults = FaultInjector()
        # Calls served, by "service.method" or "json2.method": what a benchmark counts.
        self.served: Counter[str] = Counter()
        self.lock = threading.RLock()
        self._undo: list[dict[Key, Record | None]] = []
        self._snapshots: list[tuple[dict[str, int], dict[str, int]]] = []
        self._store = SqliteStore(path) if path is not None else None
        if self._store is not None and not self._store.is_empty():
            self._load()
        elif seed:
            from crossdock.sandbox.odoo.seed import seed_database  # noqa: PLC0415

            with self.transaction():
                seed_database(self.env(SUPERUSER_ID, su=True))
        elif self._store is not None:
            with self.transaction():
                pass

    # --- environments and clock ----------------------------------------------------------

    def env(
        self, uid: int = ADMIN_UID, context: Mapping[str, Any] | None = None, *, su: bool = False
    ) -> Env:
        return Env(self, uid, dict(context or {}), su=su)

    def now(self) -> datetime:
        return datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=self.clock_offset)

    def advance_clock(self, seconds: float) -> None:
        """Move the server clock forward, e.g. so a later write gets a later ``write_date``."""
        self.clock_offset += seconds

    # --- transactions --------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All-or-nothing: rolled back on any exception, persisted when the outermost ends.

        Nested use acts as a savepoint (``load`` relies on it).
        """
        with self.lock:
            self._undo.append({})
            self._snapshots.append((dict(self.next_ids), dict(self.counters)))
            try:
                yield
            except BaseException:
                self._rollback_top()
                raise
            else:
                self._release_top()

    def _rollback_top(self) -> None:
        undo = self._undo.pop()
        next_ids, counters = self._snapshots.pop()
        for (model, rid), original in undo.items():
            if original is None:
                self.tables[model].pop(rid, None)
            else:
                self.tables[model][rid] = original
        self.next_ids, self.counters = next_ids, counters

    def _release_top(self) -> None:
        undo = self._undo.pop()
        self._snapshots.pop()
        if self._undo:
            parent = self._undo[-1]
            for key, original in undo.items():
                parent.setdefault(key, original)
            return
        if self._store is not None:
            changed = {key: copy.deepcopy(self.tables[key[0]].get(key[1])) for key in undo}
            self._store.save(changed, self._meta())

    def _touch(self, model: str, rid: int) -> None:
        if not self._undo:
            raise RuntimeError("records change only inside a transaction")
        top = self._undo[-1]
        key = (model, rid)
        if key not in top:
            current = self.tables[model].get(rid)
            top[key] = copy.deepcopy(current) if current is not None else None

    def _meta(self) -> dict[str, Any]:
        return {
            "version": self.version.major,
            "next_ids": self.next_ids,
            "counters": self.counters,
            "clock_offset": self.clock_offset,
        }

    def _load(self) -> None:
        assert self._store is not None
        meta = self._store.load_meta()
        stored_version = int(meta.get("version", self.version.major))
        if stored_version != self.version.major:
            raise ValueError(
                f"{self._store.path} holds an Odoo {stored_version} sandbox, "
                f"not Odoo {self.version.major}"
            )
        self.next_ids.update({k: int(v) for k, v in meta.get("next_ids", {}).items()})
        self.counters.update({k: int(v) for k, v in meta.get("counters", {}).items()})
        self.clock_offset = float(meta.get("clock_offset", 0.0))
        for model, rid, data in self._store.load_records():
            if model in self.tables:
                self.tables[model][rid] = data

    # --- conveniences for tests and the demo --------------------------------------------

    def records(
        self,
        model: str,
        domain: Sequence[Any] = (),
        fields: Sequence[str] | None = None,
    ) -> list[dict[str, Any]]:
        """Records in Odoo's read format, as the superuser, archived ones included."""
        with self.lock:
            env = self.env(SUPERUSER_ID, {"active_test": False}, su=True)
            ids = env.search(model, list(domain))
            return env.read(model, ids, list(fields) if fields else None)

    def record(self, model: str, rid: int) -> dict[str, Any]:
        """One record in Odoo's read format; ``MissingError`` when it does not exist."""
        with self.lock:
            env = self.env(SUPERUSER_ID, {"active_test": False}, su=True)
            env.raw(model, rid)
            return env.read(model, [rid])[0]

    def search(self, model: str, domain: Sequence[Any] = ()) -> list[int]:
        with self.lock:
            return self.env(SUPERUSER_ID, {"active_test": False}, su=True).search(
                model, list(domain)
            )

    def ref(self, xmlid: str) -> int:
        with self.lock:
            return self.env(SUPERUSER_ID, su=True).ref(xmlid)

    def simulate_user_change(
        self,
        model: str,
        rid: int,
        values: Mapping[str, Any],
        *,
        uid: int = ADMIN_UID,
        advance_seconds: float = 1.0,
    ) -> dict[str, Any]:
        """Change a record as someone working in Odoo's UI would; ``write_date`` moves on.

        The clock first advances by ``advance_seconds`` so the new ``write_date`` is strictly
        later than earlier ones (Odoo's are second-precise).
        """
        with self.lock:
            self.advance_clock(advance_seconds)
            with self.transaction():
                self.env(uid, su=True).write(model, [rid], dict(values))
            return self.record(model, rid)

    def call(self, model: str, method: str, ids: Sequence[int] = (), **kwargs: Any) -> Any:
        """Run a public method as the administrator would from the UI (e.g. button_validate)."""
        from crossdock.sandbox.odoo.service import run_method  # noqa: PLC0415

        with self.lock:
            return run_method(self, ADMIN_UID, model, method, list(ids), [], kwargs)

    def set_stock(self, product_id: int, quantity: float, location_id: int | None = None) -> None:
        """Set the on-hand quantity of a product at a location (WH/Stock by default)."""
        from crossdock.sandbox.odoo.models.stock import set_quant_quantity  # noqa: PLC0415

        with self.lock, self.transaction():
            env = self.env(SUPERUSER_ID, su=True)
            location = location_id or env.ref("stock.stock_location_stock")
            set_quant_quantity(env, product_id, location, quantity)

    def fail_next(
        self,
        n: int = 1,
        kind: FaultKind = "serialization",
        model: str | None = None,
        method: str | None = None,
    ) -> None:
        """Make the next ``n`` model-method calls fail (see ``faults.py`` for the kinds)."""
        self.faults.fail_next(n, kind, model, method)


class Env:
    """An ``odoo.api.Environment``: a database seen as one user with one context."""

    def __init__(
        self, db: OdooDatabase, uid: int, context: dict[str, Any], *, su: bool = False
    ) -> None:
        self.db = db
        self.uid = uid
        self.context = context
        self.su = su

    @property
    def version(self) -> OdooVersion:
        return self.db.version

    def with_context(self, **values: Any) -> Env:
        return Env(self.db, self.uid, {**self.context, **values}, su=self.su)

    def sudo(self) -> Env:
        return Env(self.db, self.uid, self.context, su=True)

    def spec(self, model: str) -> ModelSpec:
        return self.db.registry[model]

    def now(self) -> str:
        return self.db.now().strftime(DATETIME_FORMAT)

    def today(self) -> str:
        return self.db.now().strftime("%Y-%m-%d")

    # --- raw access ----------------------------------------------------------------------

    def exists(self, model: str, rid: int) -> bool:
        return rid in self.db.tables[model]

    def all_ids(self, model: str) -> list[int]:
        return sorted(self.db.tables[model])

    def missing(self, model: str, ids: Sequence[int]) -> MissingError:
        inner = "".join(f"{i}," for i in ids)
        return MissingError(
            "Record does not exist or has been deleted.\n"
            f"(Record: {model}({inner}), User: {self.uid})"
        )

    def raw(self, model: str, rid: int) -> Record:
        record = self.db.tables[model].get(rid)
        if record is None:
            raise self.missing(model, [rid])
        return record

    def get(self, model: str, rid: int, fname: str) -> Any:
        """A field's value as the ORM holds it: ids for relations, False when unset."""
        if fname == "id":
            return rid
        if fname == "display_name":
            return self.display_name(model, rid)
        fld = self.spec(model).fields[fname]
        if fld.related is not None:
            link_name, target = fld.related
            link = self.get(model, rid, link_name)
            link_field = self.spec(model).fields[link_name]
            if (
                not link
                or link_field.relation is None
                or not self.exists(link_field.relation, link)
            ):
                return fld.empty()
            return self.get(link_field.relation, int(link), target)
        if fld.compute is not None:
            return fld.compute(self, rid)
        if fld.type == "one2many":
            return self.children(model, rid, fld)
        return self.raw(model, rid).get(fname, fld.empty())

    def children(self, model: str, rid: int, fld: Field) -> list[int]:
        assert fld.relation is not None
        assert fld.inverse_name is not None
        comodel = fld.relation
        table = self.db.tables[comodel]
        ids = [cid for cid, rec in table.items() if rec.get(fld.inverse_name) == rid]
        spec = self.spec(comodel)
        if "active" in spec.fields and self.context.get("active_test", True):
            ids = [cid for cid in ids if table[cid].get("active", True)]
        return self.sort(comodel, ids, spec.order)

    def display_name(self, model: str, rid: int) -> str:
        if not self.exists(model, rid):
            return ""
        spec = self.spec(model)
        if spec.display_name is not None:
            return str(spec.display_name(self, rid))
        if spec.rec_name and spec.rec_name in spec.fields:
            value = self.get(model, rid, spec.rec_name)
            return str(value) if value else ""
        return f"{model},{rid}"

    def name_ids(self, model: str, name: str) -> list[int]:
        """Ids whose display name contains ``name`` (case-insensitive)."""
        needle = name.lower()
        return [
            rid for rid in self.all_ids(model) if needle in self.display_name(model, rid).lower()
        ]

    def ref(self, xmlid: str) -> int:
        """``env.ref(xmlid).id``: the record an external id points at."""
        module, _, name = xmlid.partition(".")
        for rec in self.db.tables["ir.model.data"].values():
            if rec["module"] == module and rec["name"] == name:
                return int(rec["res_id"])
        raise ValueError(f"External ID not found in the system: {xmlid}")

    def xmlid_of(self, model: str, rid: int) -> str | None:
        for rec in self.db.tables["ir.model.data"].values():
            if rec["model"] == model and rec["res_id"] == rid:
                return f"{rec['module']}.{rec['name']}"
        return None

    def next_sequence(self, code: str, prefix: str, padding: int) -> str:
        """``ir.sequence.next_by_code``: the prefix and the next number, zero-padded."""
        number = self.db.counters.get(code, 0) + 1
        self.db.counters[code] = number
        return f"{prefix}{str(number).zfill(padding)}"

    # --- search --------------------------------------------------------------------------

    def search(
        self,
        model: str,
        domain: Sequence[Any],
        order: str | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[int]:
        spec = self.spec(model)
        tree = domains.parse(list(domain))
        domains.check_fields(self, model, tree)
        if (
            "active" in spec.fields
            and self.context.get("active_test", True)
            and not domains.mentions(tree, "active")
        ):
            tree = ("&", ("leaf", "active", "=", True), tree)
        ids = [rid for rid in self.all_ids(model) if domains.matches(self, model, rid, tree)]
        ids = self.sort(model, ids, order or spec.order)
        if offset:
            ids = ids[int(offset) :]
        if limit:
            ids = ids[: int(limit)]
        return ids

    def sort(self, model: str, ids: list[int], order: str) -> list[int]:
        spec = self.spec(model)
        keys: list[tuple[str, bool]] = []
        for part in order.split(","):
            words = part.strip().split()
            if not words:
                continue
            fname = words[0].strip('"')
            descending = len(words) > 1 and words[1].lower() == "desc"
            if fname != "id" and fname not in spec.fields:
                raise ValueError(f"Invalid field {fname!r} on model {model!r}")
            keys.append((fname, descending))
        result = list(ids)
        for fname, descending in reversed(keys):
            result.sort(
                key=functools.partial(self._sort_key, model, fname=fname), reverse=descending
            )
        return result

    def _sort_key(self, model: str, rid: int, *, fname: str) -> tuple[int, Any]:
        value = self.get(model, rid, fname)
        fld = self.spec(model).fields.get(fname)
        if fld is not None and fld.type == "many2one" and value and fld.relation:
            value = self.display_name(fld.relation, int(value)).lower()
        elif isinstance(value, list):
            value = len(value)
        if value is False or value is None:
            return (1, 0)
        if isinstance(value, bool):
            return (0, int(value))
        if isinstance(value, str):
            return (0, value.lower())
        return (0, value)

    # --- create / write / unlink ---------------------------------------------------------

    def create(self, model: str, vals: Mapping[str, Any], *, context_defaults: bool = False) -> int:
        spec = self.spec(model)
        values = self._creation_values(spec, vals, context_defaults)
        rid = self.db.next_ids[model]
        self.db.next_ids[model] = rid + 1
        now = self.now()
        record: Record = {"id": rid}
        for name, fld in spec.fields.items():
            if fld.stored and name not in LOG_ACCESS:
                record[name] = fld.empty()
        record.update(create_date=now, write_date=now, create_uid=self.uid, write_uid=self.uid)
        later = self._assign(model, spec, record, values)
        self._check_required(model, spec, record)
        self.db._touch(model, rid)
        self.db.tables[model][rid] = record
        for fld, value in later:
            self._write_computed(model, rid, fld, value)
        if spec.after_create is not None:
            spec.after_create(self, rid)
        for constraint in spec.constraints:
            constraint(self, rid)
        return rid

    def _creation_values(
        self, spec: ModelSpec, vals: Mapping[str, Any], context_defaults: bool
    ) -> Vals:
        """The given values, then the context's ``default_*`` keys, then field defaults."""
        values: Vals = dict(vals)
        if spec.before_create is not None:
            values = spec.before_create(self, values)
        values = {k: v for k, v in values.items() if k in spec.fields and k not in LOG_ACCESS}
        values.pop("display_name", None)
        if context_defaults:
            for name in spec.fields:
                key = f"default_{name}"
                if name not in values and key in self.context:
                    values[name] = self.context[key]
        for name, fld in spec.fields.items():
            if name not in values and fld.stored and fld.default is not None:
                values[name] = fld.default_value(self, values)
        return values

    def _assign(
        self, model: str, spec: ModelSpec, record: Record, values: Mapping[str, Any]
    ) -> list[tuple[Field, Any]]:
        """Put stored values in ``record``; return the computed ones to write afterwards."""
        later: list[tuple[Field, Any]] = []
        for name, value in values.items():
            if name in LOG_ACCESS or name in ("id", "display_name"):
                continue
            fld = spec.fields[name]
            if fld.stored and fld.type == "many2many":
                record[name] = self._m2m_commands(fld, list(record.get(name) or []), value)
            elif fld.stored:
                record[name] = self._convert(model, fld, value)
            else:
                later.append((fld, value))
        return later

    def insert(self, model: str, rid: int, vals: Mapping[str, Any]) -> int:
        """Create with a chosen id (seed data such as the admin user, uid 2)."""
        self.db.next_ids[model] = rid
        created = self.create(model, vals)
        self.db.next_ids[model] = max(self.db.next_ids[model], rid + 1)
        return created

    def write(self, model: str, ids: Sequence[int], vals: Mapping[str, Any]) -> None:
        spec = self.spec(model)
        for name in vals:
            if name != "id" and name not in spec.fields:
                raise ValueError(f"Invalid field {name!r} on model {model!r}")
        for rid in ids:
            if not self.exists(model, rid):
                raise self.missing(model, [rid])
        before: dict[int, dict[str, Any]] = {}
        for rid in ids:
            self.db._touch(model, rid)
            record = self.db.tables[model][rid]
            if spec.after_write is not None:
                before[rid] = dict(record)
            later = self._assign(model, spec, record, vals)
            record["write_date"] = self.now()
            record["write_uid"] = self.uid
            self._check_required(model, spec, record)
            for fld, value in later:
                self._write_computed(model, rid, fld, value)
        for rid in ids:
            for constraint in spec.constraints:
                constraint(self, rid)
        if spec.after_write is not None:
            for rid in ids:
                spec.after_write(self, rid, dict(vals), before[rid])

    def unlink(self, model: str, ids: Sequence[int]) -> None:
        spec = self.spec(model)
        existing = [rid for rid in ids if self.exists(model, rid)]
        if spec.before_unlink is not None:
            for rid in existing:
                spec.before_unlink(self, rid)
        for rid in existing:
            for fld in spec.fields.values():
                if fld.type == "one2many" and fld.relation and fld.inverse_name:
                    children = self.with_context(active_test=False).get(model, rid, fld.name)
                    inverse = self.spec(fld.relation).fields[fld.inverse_name]
                    if inverse.required:
                        self.unlink(fld.relation, children)
                    else:
                        for child in children:
                            self.db._touch(fld.relation, child)
                            self.db.tables[fld.relation][child][fld.inverse_name] = False
            self.db._touch(model, rid)
            del self.db.tables[model][rid]
        if model != "ir.model.data":
            gone = set(existing)
            data = self.db.tables["ir.model.data"]
            stale = [
                d for d, rec in data.items() if rec["model"] == model and rec["res_id"] in gone
            ]
            for did in stale:
                self.db._touch("ir.model.data", did)
                del data[did]

    def set(self, model: str, rid: int, **values: Any) -> None:
        """``record.write(values)``: the usual spelling inside business methods."""
        self.write(model, [rid], values)

    # --- helpers -------------------------------------------------------------------------

    def _write_computed(self, model: str, rid: int, fld: Field, value: Any) -> None:
        if fld.type == "one2many":
            self._o2m_commands(model, rid, fld, value)
        elif fld.related is not None:
            link_name, target = fld.related
            link = self.get(model, rid, link_name)
            relation = self.spec(model).fields[link_name].relation
            if link and relation:
                self.write(relation, [int(link)], {target: value})
        elif fld.inverse is not None:
            fld.inverse(self, rid, value)

    def _check_required(self, model: str, spec: ModelSpec, record: Record) -> None:
        for name, fld in spec.fields.items():
            if fld.required and fld.stored and record.get(name) in (False, None, ""):
                raise ValidationError(
                    self.version.required_field_message(spec.description, model, fld.string, name)
                )

    def _convert(self, model: str, fld: Field, value: Any) -> Any:
        """``convert_to_cache``: check and normalise a value written to a stored field."""
        if value is None:
            return fld.empty()
        kind = fld.type
        if kind == "many2one":
            if value is False:
                return False
            if isinstance(value, bool) or not isinstance(value, int):
                raise ValueError(f"Wrong value for {model}.{fld.name}: {value!r}")
            return value
        if kind == "selection":
            if value is False or any(value == key for key, _ in fld.selection):
                return value
            raise ValueError(f"Wrong value for {model}.{fld.name}: {value!r}")
        if kind == "integer":
            return int(value or 0)
        if kind in ("float", "monetary"):
            return float(value or 0.0)
        if kind == "boolean":
            return bool(value)
        if kind == "datetime":
            return _datetime_value(value)
        if kind == "date":
            return _date_value(value)
        if value is False:
            return False
        return str(value)

    def _m2m_commands(self, fld: Field, current: list[int], value: Any) -> list[int]:
        ids = list(current)
        assert fld.relation is not None
        for command in _commands(value):
            op = command[0]
            if op == 0:
                ids.append(self.create(fld.relation, command[2]))
            elif op == 1:
                self.write(fld.relation, [command[1]], command[2])
            elif op == 2:
                self.unlink(fld.relation, [command[1]])
                ids = [i for i in ids if i != command[1]]
            elif op == 3:
                ids = [i for i in ids if i != command[1]]
            elif op == 4:
                if command[1] not in ids:
                    ids.append(int(command[1]))
            elif op == 5:
                ids = []
            elif op == 6:
                ids = [int(i) for i in command[2]]
        return ids

    def _o2m_commands(self, model: str, rid: int, fld: Field, value: Any) -> None:
        assert fld.relation is not None
        assert fld.inverse_name is not None
        comodel, inverse = fld.relation, fld.inverse_name
        inverse_required = self.spec(comodel).fields[inverse].required
        for command in _commands(value):
            op = command[0]
            if op == 0:
                self.create(comodel, {**command[2], inverse: rid})
            elif op == 1:
                self.write(comodel, [command[1]], command[2])
            elif op == 2 or (op == 3 and inverse_required):
                self.unlink(comodel, [command[1]])
            elif op == 3:
                self.write(comodel, [command[1]], {inverse: False})
            elif op == 4:
                self.write(comodel, [command[1]], {inverse: rid})
            elif op in (5, 6):
                keep = set(command[2]) if op == 6 else set()
                for child in self.get(model, rid, fld.name):
                    if child in keep:
                        continue
                    if inverse_required:
                        self.unlink(comodel, [child])
                    else:
                        self.write(comodel, [child], {inverse: False})
                for child in keep:
                    self.write(comodel, [child], {inverse: rid})

    # --- read ----------------------------------------------------------------------------

    def read(
        self,
        model: str,
        ids: Sequence[int],
        fields: Sequence[str] | None = None,
        load: str | None = "_classic_read",
    ) -> list[dict[str, Any]]:
        spec = self.spec(model)
        names = list(fields) if fields else ["id", *spec.fields]
        for name in names:
            if name != "id" and name not in spec.fields:
                raise ValueError(f"Invalid field {name!r} on model {model!r}")
        rows: list[dict[str, Any]] = []
        for rid in ids:
            if not self.exists(model, rid):
                continue
            row: dict[str, Any] = {"id": rid}
            for name in names:
                if name == "id":
                    continue
                row[name] = self.to_read(model, rid, spec.fields[name], load)
            rows.append(row)
        return rows

    def to_read(self, model: str, rid: int, fld: Field, load: str | None) -> Any:
        """``convert_to_read``: the JSON form of one field of one record."""
        value = self.get(model, rid, fld.name)
        if fld.type == "many2one":
            if not value or fld.relation is None or not self.exists(fld.relation, int(value)):
                return False
            if load == "_classic_read":
                return [int(value), self.display_name(fld.relation, int(value))]
            return int(value)
        if fld.type in ("one2many", "many2many"):
            return list(value)
        if fld.type == "boolean":
            return bool(value)
        if fld.type == "integer":
            return int(value or 0)
        if fld.type in ("float", "monetary"):
            return round(float(value or 0.0), 6)
        if value is None or (value == "" and fld.type in ("date", "datetime")):
            return False
        return value


def _commands(value: Any) -> list[tuple[Any, ...]]:
    """Normalise x2many values: a command list, or a bare id list meaning SET."""
    if value is False or value is None:
        return [(5,)]
    if not isinstance(value, list | tuple):
        raise ValueError(f"Wrong value for an x2many field: {value!r}")  # noqa: TRY004
    if value and all(isinstance(v, int) and not isinstance(v, bool) for v in value):
        return [(6, 0, list(value))]
    commands: list[tuple[Any, ...]] = []
    for item in value:
        if not isinstance(item, list | tuple) or not item or item[0] not in range(7):
            raise ValueError(f"Invalid x2many command {item!r}")
        padded = (*item, 0, 0, 0)[:3] if item[0] != 5 else (5,)
        if padded[0] in (0, 1) and not isinstance(padded[2], Mapping):
            raise ValueError(f"Invalid x2many command {item!r}")
        if padded[0] == 6 and not isinstance(padded[2], list | tuple):
            raise ValueError(f"Invalid x2many command {item!r}")
        commands.append(padded)
    return commands


def _datetime_value(value: Any) -> str | bool:
    if value is False:
        return False
    text = str(value).replace("T", " ")
    if len(text) == 10:
        text += " 00:00:00"
    text = text[:19]
    try:
        datetime.strptime(text, DATETIME_FORMAT)  # noqa: DTZ007 - Odoo datetimes are naive UTC
    except ValueError:
        raise ValueError(f"time data {value!r} does not match format '{DATETIME_FORMAT}'") from None
    return text


def _date_value(value: Any) -> str | bool:
    if value is False:
        return False
    text = str(value)[:10]
    try:
        datetime.strptime(text, "%Y-%m-%d")  # noqa: DTZ007 - a date has no zone
    except ValueError:
        raise ValueError(f"time data {value!r} does not match format '%Y-%m-%d'") from None
    return text
