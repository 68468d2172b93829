"""Search domains, evaluated in Python on the in-memory records.

Follows ``odoo/osv/expression.py`` (16-18) and ``odoo/orm/domains.py`` (19): Polish prefix
notation with ``&``, ``|`` and ``!``, an implicit ``&`` between terms, dotted paths through
relational fields, the operators ``=``, ``!=``, ``<``, ``<=``, ``>``, ``>=``, ``in``,
``not in``, ``like``, ``not like``, ``ilike``, ``not ilike``, ``=like``, ``=ilike``,
``child_of`` and ``parent_of``, and the constant leaves ``(1, '=', 1)`` / ``(0, '=', 1)``.
A many2one compared with a string matches on the display name, as Odoo's name search does.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from crossdock.sandbox.odoo.orm import Env

OPERATORS = frozenset(
    {
        "=",
        "!=",
        "<>",
        "<",
        "<=",
        ">",
        ">=",
        "in",
        "not in",
        "like",
        "not like",
        "ilike",
        "not ilike",
        "=like",
        "=ilike",
        "child_of",
        "parent_of",
    }
)
NEGATIVE = {"!=": "=", "<>": "=", "not in": "in", "not like": "like", "not ilike": "ilike"}

Node = tuple[Any, ...]
TRUE: Node = ("true",)
FALSE: Node = ("false",)


def parse(domain: Sequence[Any]) -> Node:
    """Turn a domain list into a tree of ``("&", a, b)``, ``("|", ...)``, ``("!", a)`` nodes."""
    if not isinstance(domain, list | tuple):
        raise ValueError(f"Invalid domain {domain!r}")  # noqa: TRY004 - Odoo's ValueError
    nodes: list[Node] = []
    pos = 0
    while pos < len(domain):
        node, pos = _parse_at(domain, pos)
        nodes.append(node)
    if not nodes:
        return TRUE
    tree = nodes[-1]
    for node in reversed(nodes[:-1]):
        tree = ("&", node, tree)
    return tree


def _parse_at(domain: Sequence[Any], pos: int) -> tuple[Node, int]:
    if pos >= len(domain):
        raise ValueError(f"Invalid domain {list(domain)!r}: an operator lacks its operands")
    item = domain[pos]
    if item == "!":
        child, pos = _parse_at(domain, pos + 1)
        return ("!", child), pos
    if item in ("&", "|"):
        left, pos = _parse_at(domain, pos + 1)
        right, pos = _parse_at(domain, pos)
        return (item, left, right), pos
    return _leaf(item), pos + 1


def _leaf(term: Any) -> Node:
    if not isinstance(term, list | tuple) or len(term) != 3:
        raise ValueError(f"Invalid leaf {term!r}")
    left, operator, right = term
    if left in (1, True) and operator == "=" and right == 1:
        return TRUE
    if left in (0, False) and operator == "=" and right == 1:
        return FALSE
    if not isinstance(left, str) or not left:
        raise ValueError(f"Invalid leaf {term!r}")
    if not isinstance(operator, str) or operator.lower() not in OPERATORS:
        raise ValueError(f"Invalid operator {operator!r} in leaf {tuple(term)!r}")
    return ("leaf", left, operator.lower(), right)


def mentions(tree: Node, fname: str) -> bool:
    """Whether a leaf tests ``fname`` (so the implicit ``active`` filter steps aside)."""
    if tree[0] == "leaf":
        return bool(tree[1].split(".")[0] == fname)
    return any(mentions(child, fname) for child in tree[1:] if isinstance(child, tuple))


def check_fields(env: Env, model: str, tree: Node) -> None:
    """Raise Odoo's ValueError for a leaf naming a field the model does not have."""
    if tree[0] == "leaf":
        current = model
        path = tree[1].split(".")
        for index, fname in enumerate(path):
            spec = env.spec(current)
            if fname != "id" and fname not in spec.fields:
                raise ValueError(
                    f"Invalid field {current}.{fname} in leaf {(tree[1], tree[2], tree[3])!r}"
                )
            fld = spec.fields.get(fname)
            if index < len(path) - 1:
                if fld is None or fld.relation is None:
                    raise ValueError(f"Invalid path {tree[1]!r}: {fname} is not relational")
                current = fld.relation
        return
    for child in tree[1:]:
        if isinstance(child, tuple):
            check_fields(env, model, child)


def matches(env: Env, model: str, rid: int, tree: Node) -> bool:
    kind = tree[0]
    if kind == "true":
        return True
    if kind == "false":
        return False
    if kind == "!":
        return not matches(env, model, rid, tree[1])
    if kind == "&":
        return matches(env, model, rid, tree[1]) and matches(env, model, rid, tree[2])
    if kind == "|":
        return matches(env, model, rid, tree[1]) or matches(env, model, rid, tree[2])
    _, path, operator, value = tree
    if operator in NEGATIVE:
        return not _leaf_matches(env, model, rid, path, NEGATIVE[operator], value)
    return _leaf_matches(env, model, rid, path, operator, value)


def _leaf_matches(env: Env, model: str, rid: int, path: str, operator: str, value: Any) -> bool:
    names = path.split(".")
    current_model = model
    ids = [rid]
    for fname in names[:-1]:
        fld = env.spec(current_model).fields[fname]
        assert fld.relation is not None
        next_ids: list[int] = []
        for one in ids:
            next_ids.extend(_as_ids(env.get(current_model, one, fname)))
        ids = next_ids
        current_model = fld.relation
        if not ids:
            return _match_values(env, current_model, names[-1], [], operator, value, empty=True)
    last = names[-1]
    if last == "id":
        return _match_ids(env, current_model, ids, operator, value)
    fld = env.spec(current_model).fields[last]
    if fld.type in ("one2many", "many2many"):
        related: list[int] = []
        for one in ids:
            related.extend(env.get(current_model, one, last))
        assert fld.relation is not None
        return _match_relational(env, fld.relation, related, operator, value, multi=True)
    if fld.type == "many2one":
        assert fld.relation is not None
        targets = [env.get(current_model, one, last) for one in ids]
        return any(
            _match_relational(env, fld.relation, _as_ids(t), operator, value, multi=False)
            for t in targets
        )
    values = [env.get(current_model, one, last) for one in ids]
    if fld.type == "datetime" and isinstance(value, str) and len(value) == 10:
        value = f"{value} 00:00:00"
    return any(_compare(v, operator, value) for v in values)


def _match_values(
    env: Env, model: str, fname: str, values: list[Any], operator: str, value: Any, empty: bool
) -> bool:
    """A path that ended on no record: only "is unset" tests can hold."""
    if operator == "=" and value is False:
        return True
    return bool(operator == "in" and isinstance(value, list | tuple) and False in value)


def _as_ids(value: Any) -> list[int]:
    if isinstance(value, list):
        return [int(v) for v in value]
    if value:
        return [int(value)]
    return []


def _match_ids(env: Env, model: str, ids: list[int], operator: str, value: Any) -> bool:
    if operator in ("child_of", "parent_of"):
        wanted = _hierarchy(env, model, value, operator)
        return any(i in wanted for i in ids)
    return any(_compare(i, operator, value) for i in ids)


def _match_relational(
    env: Env, comodel: str, ids: list[int], operator: str, value: Any, multi: bool
) -> bool:
    if operator in ("child_of", "parent_of"):
        wanted = _hierarchy(env, comodel, value, operator)
        return any(i in wanted for i in ids)
    if value is False or value is None or value == []:
        if operator == "=":
            return not ids
        if operator == "in":
            return not ids
        return False
    if isinstance(value, str) or (
        isinstance(value, list | tuple) and value and all(isinstance(v, str) for v in value)
    ):
        names = [env.display_name(comodel, i) for i in ids]
        if operator == "in":
            return any(n in value for n in names)
        return any(_compare(n, operator, value) for n in names)
    if operator == "in":
        candidates = set(value) if isinstance(value, list | tuple) else {value}
        has_false = False in candidates
        return any(i in candidates for i in ids) or (has_false and not ids)
    return any(_compare(i, operator, value) for i in ids)


def _hierarchy(env: Env, model: str, value: Any, operator: str) -> set[int]:
    spec = env.spec(model)
    if spec.parent_name is None:
        raise ValueError(f"Invalid domain: {model} has no parent field for {operator}")
    roots = value if isinstance(value, list | tuple) else [value]
    start: set[int] = set()
    for root in roots:
        if isinstance(root, str):
            start.update(env.name_ids(model, root))
        elif root:
            start.add(int(root))
    parent = spec.parent_name
    result: set[int] = set()
    if operator == "child_of":
        all_ids = env.all_ids(model)
        for rid in all_ids:
            cursor: Any = rid
            seen: set[int] = set()
            while cursor and cursor not in seen:
                if cursor in start:
                    result.add(rid)
                    break
                seen.add(cursor)
                cursor = env.get(model, cursor, parent) if env.exists(model, cursor) else False
        return result
    for rid in start:
        cursor = rid
        while cursor and cursor not in result:
            result.add(cursor)
            cursor = env.get(model, cursor, parent) if env.exists(model, cursor) else False
    return result


def _like(pattern: str, exact: bool) -> str:
    """An SQL LIKE pattern as a regular expression; ``like`` wraps it in ``%...%``."""
    out = []
    for char in pattern:
        if char == "%":
            out.append(".*")
        elif char == "_":
            out.append(".")
        else:
            out.append(re.escape(char))
    body = "".join(out)
    return f"^{body}$" if exact else f"^.*{body}.*$"


def _unset(value: Any) -> bool:
    """False, None or an empty string: what SQL stores as NULL (0 is a value, not unset)."""
    return value is None or value is False or (isinstance(value, str) and value == "")


def _compare(actual: Any, operator: str, value: Any) -> bool:
    if operator == "=":
        if value is False or value is None:
            return _unset(actual)
        return not _unset(actual) and bool(actual == value)
    if operator == "in":
        items = list(value) if isinstance(value, list | tuple) else [value]
        if _unset(actual):
            return any(item is False or item is None for item in items)
        return any(item is not False and item is not None and actual == item for item in items)
    if operator in ("like", "ilike", "=like", "=ilike"):
        if _unset(actual) or value is None or value is False:
            return False
        flags = re.IGNORECASE | re.DOTALL if "ilike" in operator else re.DOTALL
        regex = _like(str(value), exact=operator.startswith("="))
        return re.match(regex, str(actual), flags) is not None
    if _unset(actual) or value is None or value is False:
        return False
    try:
        if operator == "<":
            return bool(actual < value)
        if operator == "<=":
            return bool(actual <= value)
        if operator == ">":
            return bool(actual > value)
        if operator == ">=":
            return bool(actual >= value)
    except TypeError:
        return False
    raise ValueError(f"Invalid operator {operator!r}")
