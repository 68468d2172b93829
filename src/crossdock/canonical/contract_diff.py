"""Compare two published schema sets (`crossdock schema export` folders): what would break a
partner that reads these events, and what it can ignore.

Seen from the reader of an event: a field removed, a type changed, a field that becomes
required (or stops being so), a narrower constraint, a removed enum value or a changed
constant breaks it; a new optional field, a wider constraint or a new enum value does not
(readers are expected to tolerate additions). A new event type is non-breaking, a removed
one breaking. A breaking change belongs in a new major version (a new file, `….v2`), never
in an existing one.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

SCHEMA_SUFFIX = ".schema.json"
Severity = Literal["breaking", "non-breaking"]

# Constraints where a bigger value narrows what is allowed, and where it widens it.
_LOWER_BOUNDS = ("minLength", "minimum", "exclusiveMinimum", "minItems")
_UPPER_BOUNDS = ("maxLength", "maximum", "exclusiveMaximum", "maxItems")


@dataclass(frozen=True)
class Change:
    severity: Severity
    contract: str
    path: str
    what: str

    def public(self) -> dict[str, str]:
        return {
            "severity": self.severity,
            "contract": self.contract,
            "path": self.path,
            "what": self.what,
        }


class SchemaSetError(ValueError):
    """A folder that is not a schema set, or a file in it that is not JSON."""


def load_schema_set(directory: Path) -> dict[str, dict[str, Any]]:
    if not directory.is_dir():
        raise SchemaSetError(f"{directory}: not a folder of *{SCHEMA_SUFFIX} files")
    found: dict[str, dict[str, Any]] = {}
    for path in sorted(directory.glob(f"*{SCHEMA_SUFFIX}")):
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise SchemaSetError(f"{path}: not a JSON Schema file ({exc})") from None
        found[path.name.removesuffix(SCHEMA_SUFFIX)] = document
    if not found:
        raise SchemaSetError(f"{directory}: no *{SCHEMA_SUFFIX} files")
    return found


class _Schema:
    """One schema document, with its local `$ref`s followed."""

    def __init__(self, root: dict[str, Any]) -> None:
        self.root = root

    def resolve(self, node: Any) -> dict[str, Any]:
        seen: set[str] = set()
        while isinstance(node, dict) and "$ref" in node and node["$ref"] not in seen:
            ref = str(node["$ref"])
            seen.add(ref)
            target: Any = self.root
            for part in ref.removeprefix("#/").split("/") if ref.startswith("#/") else []:
                target = target.get(part, {}) if isinstance(target, dict) else {}
            node = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
        return node if isinstance(node, dict) else {}

    def branches(self, node: Any) -> list[dict[str, Any]]:
        """The alternatives of a union (`anyOf`/`oneOf`, as pydantic writes `X | None`)."""
        node = self.resolve(node)
        union = node.get("anyOf") or node.get("oneOf")
        if not union:
            return [node]
        return [branch for member in union for branch in self.branches(member)]

    def types(self, node: Any) -> frozenset[str]:
        result: set[str] = set()
        for branch in self.branches(node):
            declared = branch.get("type")
            if isinstance(declared, list):
                result.update(str(item) for item in declared)
            elif isinstance(declared, str):
                result.add(declared)
            elif "const" in branch or "enum" in branch:
                values = [branch["const"]] if "const" in branch else list(branch["enum"])
                result.update(_json_type(value) for value in values)
            else:
                result.add("any")
        return frozenset(result)

    def properties(self, node: Any) -> tuple[dict[str, Any], frozenset[str]]:
        props: dict[str, Any] = {}
        required: set[str] = set()
        for branch in self.branches(node):
            props.update(branch.get("properties", {}))
            required.update(branch.get("required", []))
        return props, frozenset(required)

    def items(self, node: Any) -> Any | None:
        for branch in self.branches(node):
            if isinstance(branch.get("items"), dict):
                return branch["items"]
        return None

    def enum(self, node: Any) -> list[Any] | None:
        values: list[Any] = []
        for branch in self.branches(node):
            if "enum" in branch:
                values.extend(branch["enum"])
            elif "const" in branch:
                values.append(branch["const"])
            elif branch.get("type") != "null":
                return None
        return values or None

    def constraint(self, node: Any, name: str) -> Any:
        for branch in self.branches(node):
            if name in branch:
                return branch[name]
        return None


def _refs(node: Any) -> list[str]:
    """The definitions a node points to, directly or as a union's member (`X | None`)."""
    if not isinstance(node, dict):
        return []
    members = node.get("anyOf") or node.get("oneOf") or [node]
    return [str(m["$ref"]) for m in members if isinstance(m, dict) and "$ref" in m]


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


class _Comparison:
    def __init__(self, contract: str, old: dict[str, Any], new: dict[str, Any]) -> None:
        self.contract = contract
        self.old = _Schema(old)
        self.new = _Schema(new)
        self.changes: list[Change] = []
        self._seen: set[tuple[str, str]] = set()
        # The definitions being compared above the current place: a model that contains
        # itself (a tree of levels, say) is compared down to where it first repeats.
        self._within: list[str] = []

    def add(self, severity: Severity, path: str, what: str) -> None:
        self.changes.append(Change(severity, self.contract, path or "(top level)", what))

    def node(self, path: str, old: Any, new: Any) -> None:
        key = (json.dumps(old, sort_keys=True), path)
        if key in self._seen:
            return
        self._seen.add(key)
        refs = _refs(old)
        if any(ref in self._within for ref in refs):
            return
        self._within.extend(refs)
        try:
            self._compare(path, old, new)
        finally:
            del self._within[len(self._within) - len(refs) :]

    def _compare(self, path: str, old: Any, new: Any) -> None:
        old_types, new_types = self.old.types(old), self.new.types(new)
        if old_types != new_types and "any" not in old_types:
            self.add(
                "breaking",
                path,
                f"type changed from {'|'.join(sorted(old_types))} to {'|'.join(sorted(new_types))}",
            )
        self._values(path, old, new)
        self._bounds(path, old, new)
        self._fields(path, old, new)
        old_items, new_items = self.old.items(old), self.new.items(new)
        if old_items is not None and new_items is not None:
            self.node(f"{path}[]", old_items, new_items)

    def _values(self, path: str, old: Any, new: Any) -> None:
        old_enum, new_enum = self.old.enum(old), self.new.enum(new)
        if old_enum is None or new_enum is None:
            if old_enum is None and new_enum is not None:
                self.add("breaking", path, f"now restricted to {new_enum}")
            return
        removed = [value for value in old_enum if value not in new_enum]
        added = [value for value in new_enum if value not in old_enum]
        if removed:
            self.add("breaking", path, f"values removed: {removed}")
        if added:
            self.add("non-breaking", path, f"values added: {added}")

    def _bounds(self, path: str, old: Any, new: Any) -> None:
        for name in (*_LOWER_BOUNDS, *_UPPER_BOUNDS, "pattern", "format"):
            before, after = self.old.constraint(old, name), self.new.constraint(new, name)
            if before == after:
                continue
            if name in ("pattern", "format") or before is None or after is None:
                narrowed = after is not None
            elif name in _LOWER_BOUNDS:
                narrowed = after > before
            else:
                narrowed = after < before
            self.add(
                "breaking" if narrowed else "non-breaking",
                path,
                f"{name} changed from {before!r} to {after!r}",
            )

    def _fields(self, path: str, old: Any, new: Any) -> None:
        old_props, old_required = self.old.properties(old)
        new_props, new_required = self.new.properties(new)
        prefix = f"{path}." if path else ""
        for name in sorted(old_props.keys() - new_props.keys()):
            self.add("breaking", prefix + name, "field removed")
        for name in sorted(new_props.keys() - old_props.keys()):
            if name in new_required:
                self.add("breaking", prefix + name, "new required field")
            else:
                self.add("non-breaking", prefix + name, "new optional field")
        for name in sorted(old_props.keys() & new_props.keys()):
            if name in old_required and name not in new_required:
                self.add("breaking", prefix + name, "no longer required (may be absent)")
            elif name in new_required and name not in old_required:
                self.add("breaking", prefix + name, "now required")
            self.node(prefix + name, old_props[name], new_props[name])


def diff_schemas(contract: str, old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    comparison = _Comparison(contract, old, new)
    comparison.node("", old, new)
    return comparison.changes


def diff_sets(old: dict[str, dict[str, Any]], new: dict[str, dict[str, Any]]) -> list[Change]:
    changes = [
        Change("breaking", contract, "(contract)", "event type removed")
        for contract in sorted(old.keys() - new.keys())
    ]
    changes.extend(
        Change("non-breaking", contract, "(contract)", "new event type")
        for contract in sorted(new.keys() - old.keys())
    )
    for contract in sorted(old.keys() & new.keys()):
        changes.extend(diff_schemas(contract, old[contract], new[contract]))
    return changes
