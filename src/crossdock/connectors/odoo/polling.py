"""Change capture by polling: read what changed in an Odoo model since a durable cursor.

Why it is shaped like this (Odoo's own behaviour, `odoo/models.py` `_write`/`_create`):
- `write_date` is the *transaction start* time (`cr.now()`), so a long transaction commits
  records older than the cursor. Every poll therefore re-reads an overlap window before the
  cursor; what was already seen is dropped by the inbox's deduplication, not by the poller.
- `write_date` reaches clients at whole seconds ("YYYY-MM-DD HH:MM:SS") while the database
  keeps microseconds, so equality on the string is unreliable. Pages are read with `>=` on
  the last second reached, excluding the ids already read at that second.
- Two writes to one record within the same second read back with the same `write_date`, so
  a change's identity also carries a digest of the values read.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

import orjson

ODOO_DATETIME = "%Y-%m-%d %H:%M:%S"
EPOCH = "1970-01-01 00:00:00"


class ChangeSource(Protocol):
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
    ) -> list[dict[str, Any]]: ...


@dataclass(frozen=True)
class PollSpec:
    """What to watch in one model: its fields (explicit, never all), a filter, the overlap."""

    model: str
    fields: tuple[str, ...]
    domain: tuple[Any, ...] = ()
    overlap: timedelta = timedelta(minutes=5)
    page_size: int = 200


@dataclass(frozen=True)
class Change:
    model: str
    record: dict[str, Any]

    @property
    def dedup_key(self) -> str:
        """`model:id:write_date:digest`: the same read twice is one change; a different read
        at the same second is another."""
        digest = hashlib.blake2b(
            orjson.dumps(self.record, option=orjson.OPT_SORT_KEYS), digest_size=8
        ).hexdigest()
        return f"{self.model}:{self.record['id']}:{self.record['write_date']}:{digest}"


@dataclass(frozen=True)
class PollResult:
    changes: list[Change]
    cursor: str
    requests: int = 0
    pages: list[int] = field(default_factory=list)


def _shift(write_date: str, delta: timedelta) -> str:
    moment = datetime.strptime(write_date, ODOO_DATETIME).replace(tzinfo=UTC)
    return max(moment - delta, datetime(1970, 1, 1, tzinfo=UTC)).strftime(ODOO_DATETIME)


async def read_changes(source: ChangeSource, spec: PollSpec, cursor: str | None) -> PollResult:
    """Every record of `spec.model` written at or after `cursor - overlap`, oldest first.

    Returns the changes and the new cursor (the newest `write_date` read, never moving back).
    """
    lower = _shift(cursor or EPOCH, spec.overlap)
    seen_at_lower: set[int] = set()
    fields = list(dict.fromkeys(["write_date", *spec.fields]))
    changes: list[Change] = []
    pages: list[int] = []
    while True:
        domain: list[Any] = [*spec.domain, ("write_date", ">=", lower)]
        if seen_at_lower:
            domain.append(("id", "not in", sorted(seen_at_lower)))
        page = await source.search_read(
            spec.model, domain, fields, limit=spec.page_size, order="write_date asc, id asc"
        )
        pages.append(len(page))
        changes.extend(Change(spec.model, record) for record in page)
        if len(page) < spec.page_size:
            break
        last = page[-1]["write_date"]
        at_last = {record["id"] for record in page if record["write_date"] == last}
        if last != lower:
            lower, seen_at_lower = last, at_last
        else:
            seen_at_lower |= at_last
    newest = max([cursor or EPOCH, *(change.record["write_date"] for change in changes)])
    return PollResult(changes=changes, cursor=newest, requests=len(pages), pages=pages)
