"""The polling cursor against an in-memory model that keeps Odoo's write_date semantics."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from crossdock.connectors.odoo.polling import ODOO_DATETIME, PollSpec, read_changes

START = datetime(2026, 11, 23, 8, 0, 0, tzinfo=UTC)


class FakeModel:
    """Records with microsecond write_dates, served as Odoo serves them: whole seconds in the
    answer, full precision in comparisons and ordering. `between_pages` runs after each page,
    to commit changes while a poll is under way."""

    def __init__(self) -> None:
        self.rows: dict[int, dict[str, Any]] = {}
        self.next_id = 1
        self.between_pages: Callable[[int], None] | None = None
        self.pages_served = 0

    def write(self, record_id: int | None, at: datetime, **values: Any) -> int:
        if record_id is None:
            record_id, self.next_id = self.next_id, self.next_id + 1
            self.rows[record_id] = {"id": record_id}
        self.rows[record_id].update(values, write_date=at)
        return record_id

    @staticmethod
    def _match(row: dict[str, Any], term: tuple[str, str, Any]) -> bool:
        name, op, value = term
        if name == "write_date":
            bound = datetime.strptime(value, ODOO_DATETIME).replace(tzinfo=UTC)
            assert op == ">="
            return bool(row["write_date"] >= bound)
        assert (name, op) == ("id", "not in")
        return row["id"] not in value

    async def search_read(
        self,
        model: str,
        domain: Sequence[Any],
        fields: Sequence[str],
        *,
        limit: int | None = None,
        offset: int = 0,
        order: str | None = None,
        context: Mapping[str, Any] | None = None,
    ) -> list[dict[str, Any]]:
        assert order == "write_date asc, id asc"
        assert "write_date" in fields
        rows = [r for r in self.rows.values() if all(self._match(r, t) for t in domain)]
        rows.sort(key=lambda r: (r["write_date"], r["id"]))
        page = [
            {
                "id": r["id"],  # Odoo's search_read always returns the id
                **{
                    f: (r[f].strftime(ODOO_DATETIME) if f == "write_date" else r.get(f))
                    for f in fields
                },
            }
            for r in rows[offset : offset + (limit or len(rows))]
        ]
        self.pages_served += 1
        if self.between_pages:
            self.between_pages(self.pages_served)
        return page


SPEC = PollSpec(model="stock.picking", fields=("state",), page_size=50)


class Consumer:
    """What the inbox does with polled changes: keep each dedup key once."""

    def __init__(self) -> None:
        self.keys: set[str] = set()
        self.applied: list[tuple[int, str]] = []

    def take(self, changes: Sequence[Any]) -> None:
        for change in changes:
            if change.dedup_key not in self.keys:
                self.keys.add(change.dedup_key)
                self.applied.append((change.record["id"], change.record["state"]))

    def final_states(self) -> dict[int, str]:
        return dict(self.applied)


async def test_reads_everything_in_pages_and_moves_the_cursor() -> None:
    model = FakeModel()
    for i in range(420):
        model.write(None, START + timedelta(milliseconds=700 * i), state="assigned")
    result = await read_changes(model, SPEC, None)
    assert len({c.record["id"] for c in result.changes}) == 420
    assert len(result.changes) == 420
    assert result.cursor == (START + timedelta(milliseconds=700 * 419)).strftime(ODOO_DATETIME)
    assert result.requests == 9  # 8 full pages of 50, then the last 20


async def test_hundreds_of_records_in_one_second_are_read_once() -> None:
    model = FakeModel()
    for i in range(330):
        model.write(None, START + timedelta(microseconds=i), state="assigned")
    result = await read_changes(model, SPEC, None)
    ids = [c.record["id"] for c in result.changes]
    assert sorted(ids) == list(range(1, 331))
    assert len(ids) == 330


async def test_changes_committed_during_a_poll_are_not_missed() -> None:
    model = FakeModel()
    for i in range(200):
        model.write(None, START + timedelta(seconds=i), state="assigned")
    clock = [START + timedelta(seconds=300)]

    def meanwhile(page: int) -> None:
        if page in (1, 2):
            clock[0] += timedelta(milliseconds=300)
            model.write(3 * page, clock[0], state="done")  # an early record moves to the end
            model.write(None, clock[0], state="assigned")  # a new one appears

    model.between_pages = meanwhile
    consumer = Consumer()
    first = await read_changes(model, SPEC, None)
    consumer.take(first.changes)
    model.between_pages = None
    second = await read_changes(model, SPEC, first.cursor)
    consumer.take(second.changes)
    expected = {row["id"]: row["state"] for row in model.rows.values()}
    assert consumer.final_states() == expected
    assert len(consumer.applied) == len(set(consumer.applied)), "a change applied twice"


async def test_equal_second_second_write_is_a_new_change_but_a_reread_is_not() -> None:
    model = FakeModel()
    picking = model.write(None, START + timedelta(microseconds=200), state="assigned")
    consumer = Consumer()
    first = await read_changes(model, SPEC, None)
    consumer.take(first.changes)
    model.write(picking, START + timedelta(microseconds=800), state="done")  # same second
    second = await read_changes(model, SPEC, first.cursor)
    consumer.take(second.changes)
    third = await read_changes(model, SPEC, second.cursor)
    consumer.take(third.changes)
    assert consumer.applied == [(picking, "assigned"), (picking, "done")]


async def test_long_transaction_committing_old_write_dates_is_caught_by_the_overlap() -> None:
    model = FakeModel()
    for i in range(10):
        model.write(None, START + timedelta(seconds=i), state="assigned")
    consumer = Consumer()
    first = await read_changes(model, SPEC, None)
    consumer.take(first.changes)
    # A transaction that began two minutes before the cursor commits only now.
    late = model.write(None, START - timedelta(minutes=2), state="assigned")
    second = await read_changes(model, SPEC, first.cursor)
    consumer.take(second.changes)
    assert (late, "assigned") in consumer.applied
    assert second.cursor == first.cursor, "an older write never moves the cursor back"


async def test_restart_between_polls_misses_nothing_and_repeats_nothing() -> None:
    model = FakeModel()
    for i in range(120):
        model.write(None, START + timedelta(seconds=i), state="assigned")
    consumer = Consumer()
    first = await read_changes(model, SPEC, None)
    # Crash before the cursor was saved: the next process starts from the old cursor (None).
    for i in range(0, 120, 7):
        model.write(i + 1, START + timedelta(seconds=200 + i), state="done")
    again = await read_changes(model, SPEC, None)
    consumer.take(first.changes)
    consumer.take(again.changes)
    expected = {row["id"]: row["state"] for row in model.rows.values()}
    assert consumer.final_states() == expected
    assert len(consumer.applied) == len(set(consumer.applied))
