"""Which listed files are complete: the size and modification time held still for a while.

Why a stability check rather than the other usual conventions: a partner's SFTP client
writes a file under its final name more often than not, and Crossdock cannot make it rename
on completion or send a done-marker. A file whose size and modification time did not change
between two listings at least `settle_for` apart is taken as complete; names SFTP clients use
while uploading (`*.part`, `*.filepart`, dot-files) are never taken. Partners that do upload
under a temporary name and rename get `settle_for: 0` and are taken at first sight. The claim
(a rename into `claimed/`) is what keeps two pollers from taking the same file.

What was seen travels in the next poll job's payload, so the check survives restarts and
needs no table of its own.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from crossdock.connectors.files.channel import RemoteFile, wanted


@dataclass(frozen=True)
class Sighting:
    size: int
    mtime: float
    since: datetime

    def to_json(self) -> list[Any]:
        return [self.size, self.mtime, self.since.isoformat()]

    @classmethod
    def from_json(cls, value: Sequence[Any]) -> Sighting:
        return cls(int(value[0]), float(value[1]), datetime.fromisoformat(str(value[2])))


@dataclass(frozen=True)
class Pickup:
    ready: list[str]
    """Complete files, oldest first."""
    watching: dict[str, Sighting]
    """Files still settling, for the next poll."""


def settled(
    listing: Sequence[RemoteFile],
    seen: Mapping[str, Sighting],
    now: datetime,
    *,
    settle_for: timedelta,
    pattern: str,
    ignore: Sequence[str],
) -> Pickup:
    ready: list[str] = []
    watching: dict[str, Sighting] = {}
    for remote in listing:
        if not wanted(remote.name, pattern, ignore):
            continue
        before = seen.get(remote.name)
        unchanged = before is not None and (before.size, before.mtime) == (
            remote.size,
            remote.mtime,
        )
        since = before.since if unchanged and before is not None else now
        if settle_for <= timedelta(0) or (unchanged and now - since >= settle_for):
            ready.append(remote.name)
        else:
            watching[remote.name] = Sighting(remote.size, remote.mtime, since)
    return Pickup(ready, watching)


def sightings_from_payload(payload: Mapping[str, Any]) -> dict[str, Sighting]:
    raw = payload.get("seen") or {}
    return {str(name): Sighting.from_json(value) for name, value in raw.items()}
