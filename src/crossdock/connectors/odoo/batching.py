"""Plan the fewest `write` RPCs for a sequence of record updates, keeping the order that matters.

Odoo is the slowest party: one `write(ids, vals)` for a hundred records costs about what one
record costs, so Crossdock merges and groups updates before sending them. Pure logic, no I/O.

Rules, for updates given in the order they happened:

1. Updates to the same record merge into one write, later keys winning; x2many command lists
   (`[[4, id]], [[3, id]]`...) are concatenated instead, since Odoo applies commands in order.
2. Order between *different* records is kept only within a lane (`Update.lane`, usually the
   job-queue lane): if a lane updates A then B, A's write is sent before B's. An update without
   a lane is ordered only against its own record. Merging never crosses an ordering
   constraint: A1, B, A2 in one lane stay three writes.
3. Records whose final values are identical share one `write(ids, vals)`; among the writes
   that are free to go, the largest group goes first, so others can join later groups.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeGuard

import orjson


@dataclass(frozen=True)
class Update:
    """Set `vals` on one record. Updates sharing a `lane` keep their relative order."""

    model: str
    record_id: int
    vals: Mapping[str, Any]
    lane: Hashable | None = None


@dataclass(frozen=True)
class MergedWrite:
    """One record's merged values, the input `updates` it carries, the writes it must follow."""

    key: int
    model: str
    record_id: int
    vals: Mapping[str, Any]
    updates: tuple[int, ...]
    after: frozenset[int]


@dataclass(frozen=True)
class WriteStep:
    """One `write(ids, vals)` RPC."""

    model: str
    vals: Mapping[str, Any]
    writes: tuple[MergedWrite, ...]

    @property
    def ids(self) -> list[int]:
        return [w.record_id for w in self.writes]


@dataclass(frozen=True)
class WritePlan:
    """The steps to send in order; `noops` are updates with nothing to write."""

    steps: tuple[WriteStep, ...]
    noops: tuple[int, ...] = ()

    @property
    def rpc_count(self) -> int:
        return len(self.steps)


@dataclass
class _Op:
    model: str
    record_id: int
    vals: dict[str, Any]
    updates: list[int]
    preds: set[int] = field(default_factory=set)
    succs: set[int] = field(default_factory=set)


def is_command_list(value: Any) -> TypeGuard[Sequence[Sequence[Any]]]:
    """An x2many command list such as `[[0, 0, {...}], [4, 7], [6, 0, [1, 2]]]`."""
    return (
        isinstance(value, list | tuple)
        and bool(value)
        and all(
            isinstance(c, list | tuple)
            and bool(c)
            and type(c[0]) is int
            and 0 <= c[0] <= 6  # Command.CREATE .. SET
            for c in value
        )
    )


def merge_vals(into: dict[str, Any], later: Mapping[str, Any]) -> None:
    """Apply `later` on top of `into` as a second `write` would."""
    for key, value in later.items():
        old = into.get(key)
        if (
            is_command_list(old)
            and isinstance(value, list | tuple)
            and (not value or is_command_list(value))
        ):
            into[key] = [*old, *value]
        else:
            into[key] = value


def plan_writes(updates: Sequence[Update]) -> WritePlan:
    """The fewest write steps that leave every record as applying `updates` in order would."""
    ops: list[_Op] = []
    last_of_record: dict[tuple[str, int], int] = {}
    last_of_lane: dict[Hashable, int] = {}
    noops: list[int] = []

    def link(before: int, after: int) -> None:
        ops[before].succs.add(after)
        ops[after].preds.add(before)

    def reaches(start: int, goal: int) -> bool:
        seen, stack = {start}, [start]
        while stack:
            for nxt in ops[stack.pop()].succs:
                if nxt == goal:
                    return True
                if nxt not in seen:
                    seen.add(nxt)
                    stack.append(nxt)
        return False

    for index, update in enumerate(updates):
        if not update.vals:
            noops.append(index)
            continue
        record = (update.model, update.record_id)
        lane = ("lane", update.lane) if update.lane is not None else ("record", record)
        current = last_of_record.get(record)
        prev = last_of_lane.get(lane)
        if current is not None and (prev is None or prev == current or not reaches(current, prev)):
            merge_vals(ops[current].vals, update.vals)
            ops[current].updates.append(index)
            if prev is not None and prev != current:
                link(prev, current)
            last_of_lane[lane] = current
            continue
        ops.append(_Op(update.model, update.record_id, {}, [index]))
        merge_vals(ops[-1].vals, update.vals)
        new = len(ops) - 1
        for before in {k for k in (current, prev) if k is not None}:
            link(before, new)
        last_of_record[record] = new
        last_of_lane[lane] = new
    return WritePlan(steps=tuple(_schedule(ops)), noops=tuple(noops))


def _schedule(ops: list[_Op]) -> list[WriteStep]:
    """Kahn's order, sending the largest group of same-valued ready writes at each step."""
    waiting = [len(op.preds) for op in ops]
    groups: dict[tuple[str, bytes], list[int]] = {}

    def ready(key: int) -> None:
        op = ops[key]
        groups.setdefault((op.model, _fingerprint(op.vals)), []).append(key)

    for key, count in enumerate(waiting):
        if count == 0:
            ready(key)
    steps: list[WriteStep] = []
    while groups:
        chosen = max(
            groups, key=lambda g: (len(groups[g]), -min(ops[k].updates[0] for k in groups[g]))
        )
        members = sorted(groups.pop(chosen), key=lambda k: ops[k].updates[0])
        writes = tuple(_merged(key, ops[key]) for key in members)
        steps.append(WriteStep(model=chosen[0], vals=writes[0].vals, writes=writes))
        for key in members:
            for nxt in ops[key].succs:
                waiting[nxt] -= 1
                if waiting[nxt] == 0:
                    ready(nxt)
    return steps


def _merged(key: int, op: _Op) -> MergedWrite:
    return MergedWrite(
        key=key,
        model=op.model,
        record_id=op.record_id,
        vals=op.vals,
        updates=tuple(op.updates),
        after=frozenset(op.preds),
    )


def _fingerprint(vals: Mapping[str, Any]) -> bytes:
    return orjson.dumps(vals, option=orjson.OPT_SORT_KEYS, default=repr)
