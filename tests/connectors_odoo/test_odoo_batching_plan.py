"""The write planner: fewest RPCs, same final state, lane order kept (property-style tests).

The properties run on 500 seeded random update sequences each (fast enough for two cores);
the assertion message names the failing seed, to replay with `random.Random(seed)`.
"""

from __future__ import annotations

import random
from collections.abc import Hashable, Sequence
from typing import Any

from crossdock.connectors.odoo.batching import Update, WritePlan, merge_vals, plan_writes

SEEDS = 500
TAGS = "tag_ids"  # an x2many field: its values are command lists
State = dict[tuple[str, int], dict[str, Any]]


def apply(state: State, model: str, record_id: int, vals: dict[str, Any]) -> None:
    """What Odoo does on write: scalars overwrite, x2many commands apply in order."""
    if not vals:
        return
    record = state.setdefault((model, record_id), {})
    for key, value in vals.items():
        if key != TAGS:
            record[key] = value
            continue
        tags: set[int] = set(record.get(TAGS, set()))
        for command in value:
            match command:
                case [4, tag_id]:
                    tags.add(tag_id)
                case [3, tag_id]:
                    tags.discard(tag_id)
                case [5]:
                    tags.clear()
                case [6, 0, ids]:
                    tags = set(ids)
        record[TAGS] = tags


def sequential(updates: Sequence[Update]) -> State:
    state: State = {}
    for u in updates:
        apply(state, u.model, u.record_id, dict(u.vals))
    return state


def planned(plan: WritePlan) -> State:
    state: State = {}
    for step in plan.steps:
        for record_id in step.ids:
            apply(state, step.model, record_id, dict(step.vals))
    return state


def random_updates(rng: random.Random) -> list[Update]:
    models = ("res.partner", "stock.picking")
    lanes: list[Hashable | None] = [None, "order-1", "order-2", "order-3"]
    updates = []
    for _ in range(rng.randint(0, 30)):
        vals: dict[str, Any] = {}
        for key in rng.sample(["state", "ref", "note", TAGS], rng.randint(0, 3)):
            if key == TAGS:
                vals[key] = [
                    rng.choice([[4, rng.randint(1, 4)], [3, rng.randint(1, 4)], [5], [6, 0, [1]]])
                    for _ in range(rng.randint(0, 2))
                ]
            else:
                vals[key] = rng.choice(["a", "b", "c", False])
        updates.append(Update(rng.choice(models), rng.randint(1, 6), vals, lane=rng.choice(lanes)))
    return updates


def step_of(plan: WritePlan) -> dict[int, int]:
    """Input update index → index of the step that writes it."""
    return {
        index: number
        for number, step in enumerate(plan.steps)
        for merged in step.writes
        for index in merged.updates
    }


def test_applying_the_plan_equals_applying_every_update_in_order() -> None:
    for seed in range(SEEDS):
        updates = random_updates(random.Random(seed))
        plan = plan_writes(updates)
        assert planned(plan) == sequential(updates), f"seed {seed}"


def test_the_plan_keeps_order_within_lanes_and_records() -> None:
    for seed in range(SEEDS):
        check_order(seed, random_updates(random.Random(seed)))


def check_order(seed: int, updates: list[Update]) -> None:
    plan = plan_writes(updates)
    steps = step_of(plan)
    assert set(steps) | set(plan.noops) == set(range(len(updates))), f"seed {seed}"
    for i, first in enumerate(updates):
        for j in range(i + 1, len(updates)):
            second = updates[j]
            if i in plan.noops or j in plan.noops:
                continue
            same_record = (first.model, first.record_id) == (second.model, second.record_id)
            same_lane = first.lane is not None and first.lane == second.lane
            if same_lane and not same_record:
                assert steps[i] < steps[j], f"seed {seed}: lane order broken for {i}, {j}"
            if same_record:
                assert steps[i] <= steps[j], f"seed {seed}: record order broken for {i}, {j}"


def test_without_lanes_there_is_one_rpc_per_distinct_model_and_values() -> None:
    for seed in range(SEEDS):
        rng = random.Random(seed)
        updates = [
            Update("res.partner", rng.randint(1, 20), {"state": rng.choice("abc")})
            for _ in range(rng.randint(1, 40))
        ]
        plan = plan_writes(updates)
        finals = {(u.model, u.record_id): u.vals["state"] for u in updates}
        assert plan.rpc_count == len(set(finals.values())), f"seed {seed}"
        assert planned(plan) == sequential(updates), f"seed {seed}"


def test_many_records_with_the_same_values_share_one_write() -> None:
    updates = [Update("stock.picking", i, {"carrier_tracking_ref": "X"}) for i in range(1, 101)]
    plan = plan_writes(updates)
    assert plan.rpc_count == 1
    assert plan.steps[0].ids == list(range(1, 101))


def test_successive_updates_to_one_record_merge_with_later_keys_winning() -> None:
    plan = plan_writes(
        [
            Update("sale.order", 1, {"state": "sale", "note": "a"}),
            Update("sale.order", 1, {"note": "b"}),
            Update("sale.order", 1, {TAGS: [[4, 1]]}),
            Update("sale.order", 1, {TAGS: [[4, 2]]}),
        ]
    )
    assert plan.rpc_count == 1
    assert plan.steps[0].vals == {"state": "sale", "note": "b", TAGS: [[4, 1], [4, 2]]}
    assert plan.steps[0].writes[0].updates == (0, 1, 2, 3)


def test_merging_never_jumps_over_another_record_of_the_same_lane() -> None:
    updates = [
        Update("stock.picking", 1, {"state": "assigned"}, lane="SO1"),
        Update("stock.picking", 2, {"state": "assigned"}, lane="SO1"),
        Update("stock.picking", 1, {"state": "done"}, lane="SO1"),
    ]
    plan = plan_writes(updates)
    assert [(s.ids, dict(s.vals)) for s in plan.steps] == [
        ([1], {"state": "assigned"}),
        ([2], {"state": "assigned"}),
        ([1], {"state": "done"}),
    ]


def test_independent_lanes_are_grouped_across() -> None:
    updates = [
        Update("stock.picking", 1, {"state": "assigned"}, lane="SO1"),
        Update("stock.picking", 2, {"state": "done"}, lane="SO1"),
        Update("stock.picking", 3, {"state": "assigned"}, lane="SO2"),
        Update("stock.picking", 4, {"state": "done"}, lane="SO2"),
    ]
    plan = plan_writes(updates)
    assert [(s.ids, s.vals["state"]) for s in plan.steps] == [
        ([1, 3], "assigned"),
        ([2, 4], "done"),
    ]


def test_a_record_shared_by_two_lanes_keeps_the_global_order() -> None:
    updates = [
        Update("res.partner", 1, {"ref": "x"}, lane="A"),
        Update("res.partner", 1, {"ref": "y"}, lane="B"),
        Update("res.partner", 1, {"ref": "z"}, lane="A"),
    ]
    assert planned(plan_writes(updates)) == {("res.partner", 1): {"ref": "z"}}


def test_empty_updates_are_noops() -> None:
    plan = plan_writes([Update("res.partner", 1, {}), Update("res.partner", 2, {"ref": "x"})])
    assert plan.noops == (0,)
    assert plan.rpc_count == 1


def test_command_lists_concatenate_but_plain_lists_overwrite() -> None:
    vals: dict[str, Any] = {TAGS: [[4, 1]], "json_field": ["a"]}
    merge_vals(vals, {TAGS: [], "json_field": ["b"]})
    assert vals == {TAGS: [[4, 1]], "json_field": ["b"]}
    merge_vals(vals, {TAGS: [[6, 0, [3]]]})
    assert vals[TAGS] == [[4, 1], [6, 0, [3]]]


def test_a_large_batch_plans_quickly() -> None:
    rng = random.Random(7)
    updates = [
        Update("stock.move", rng.randint(1, 2000), {"state": rng.choice("ab")}, lane=f"o{i % 50}")
        for i in range(5000)
    ]
    plan = plan_writes(updates)
    assert planned(plan) == sequential(updates)
