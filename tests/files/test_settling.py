"""Only a file whose size and time held still for the settle period is taken."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from crossdock.connectors.files.channel import RemoteFile
from crossdock.connectors.files.pickup import Sighting, settled

T0 = datetime(2026, 1, 1, tzinfo=UTC)
RULES = {"settle_for": timedelta(seconds=10), "pattern": "*.x12", "ignore": [".*", "*.part"]}


def test_a_file_is_taken_after_holding_still_for_the_settle_period() -> None:
    first = settled([RemoteFile("a.x12", 10, 1.0)], {}, T0, **RULES)
    assert first.ready == [] and first.watching == {"a.x12": Sighting(10, 1.0, T0)}
    early = settled(
        [RemoteFile("a.x12", 10, 1.0)], first.watching, T0 + timedelta(seconds=5), **RULES
    )
    assert early.ready == []
    grown = settled(
        [RemoteFile("a.x12", 20, 2.0)], first.watching, T0 + timedelta(seconds=10), **RULES
    )
    assert grown.ready == [] and grown.watching["a.x12"].since == T0 + timedelta(seconds=10)
    later = settled(
        [RemoteFile("a.x12", 20, 2.0)], grown.watching, T0 + timedelta(seconds=20), **RULES
    )
    assert later.ready == ["a.x12"] and later.watching == {}


def test_temporary_and_unmatched_names_are_never_taken() -> None:
    listing = [RemoteFile(n, 1, 1.0) for n in (".hidden.x12", "b.x12.part", "c.txt", "d.x12")]
    result = settled(listing, {}, T0, **{**RULES, "settle_for": timedelta(0)})
    assert result.ready == ["d.x12"]
