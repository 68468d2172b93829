"""The ownership matrix applied: a field reported by a system that does not own it.

Pure. A claim is (field, reporting system, reported value) against the value on record;
the owner's report is applied, anyone else's that differs becomes a `Conflict` (both values
kept), and anyone else's that agrees is simply nothing new.
"""

from __future__ import annotations

from dataclasses import dataclass

from crossdock.flows.outbound.settings import OutboundConfig, System


@dataclass(frozen=True)
class Claim:
    field: str
    reported_by: System
    reported: str | None
    current: str | None


@dataclass(frozen=True)
class Conflict:
    field: str
    owner: System
    reported_by: System
    owner_value: str | None
    reported_value: str | None


def judge(claims: list[Claim], config: OutboundConfig) -> tuple[set[str], list[Conflict]]:
    """The fields whose reported values may be applied, and the conflicts."""
    applied: set[str] = set()
    conflicts: list[Conflict] = []
    for claim in claims:
        owner = config.owner(claim.field)
        if owner == claim.reported_by:
            applied.add(claim.field)
        elif claim.reported is not None and claim.reported != claim.current:
            conflicts.append(
                Conflict(claim.field, owner, claim.reported_by, claim.current, claim.reported)
            )
    return applied, conflicts
