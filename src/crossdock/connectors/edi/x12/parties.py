"""N1 loops (N1 with its N2, N3, N4) collected by role and turned into canonical parties.

Several sets (810, 855, 940, 945) name their parties the same way; each mapping only says
which roles it wants, in order of preference.
"""

from __future__ import annotations

from dataclasses import dataclass

from crossdock.canonical.common import Address, LocationRef, Party
from crossdock.connectors.edi.x12.lexer import Segment
from crossdock.connectors.edi.x12.model import TransactionSet
from crossdock.connectors.edi.x12.values import build, located


@dataclass
class PartyLoop:
    """One N1 loop as read: the N1 and the address segments that followed it."""

    n1: Segment
    position: int
    n3: Segment | None = None
    n4: tuple[Segment, int] | None = None


class PartyLoops:
    """Feed it every segment of a set; it keeps the first N1 loop of each role."""

    def __init__(self) -> None:
        self.loops: dict[str, PartyLoop] = {}
        self._current: PartyLoop | None = None

    def feed(self, segment: Segment, position: int) -> bool:
        """True when the segment belonged to an N1 loop; any other segment ends the loop."""
        tag = segment.elements[0]
        if tag == "N1":
            loop = PartyLoop(segment, position)
            self.loops.setdefault(segment.element(1), loop)
            self._current = loop
            return True
        if self._current is not None and tag in ("N2", "N3", "N4", "PER", "REF"):
            if tag == "N3" and self._current.n3 is None:
                self._current.n3 = segment
            elif tag == "N4" and self._current.n4 is None:
                self._current.n4 = (segment, position)
            return True
        self._current = None
        return False

    def first(self, roles: tuple[str, ...]) -> PartyLoop | None:
        return next((self.loops[r] for r in roles if r in self.loops), None)


def party(transaction: TransactionSet, loop: PartyLoop, default_country: str | None) -> Party:
    """A full `Party` (name and postal address); a loop without N3/N4 is an error there."""
    if loop.n3 is None or loop.n4 is None:
        missing = "N3" if loop.n3 is None else "N4"
        raise located(
            transaction,
            loop.n1,
            loop.position,
            None,
            f"party {loop.n1.element(1)} needs an {missing} after its N1",
            expected=missing,
        )
    n3 = loop.n3
    n4, n4_position = loop.n4
    country = n4.element(4) or default_country
    if not country:
        raise located(
            transaction,
            n4,
            n4_position,
            4,
            "address has no country",
            expected="N404 or a partner default country",
        )
    name = loop.n1.element(2)
    return build(
        transaction,
        lambda: Party(
            name=name,
            address=Address(
                line1=n3.element(1),
                line2=n3.element(2) or None,
                city=n4.element(1),
                region=n4.element(2) or None,
                postal_code=n4.element(3) or None,
                country_code=country,
            ),
        ),
    )


def location(transaction: TransactionSet, loop: PartyLoop) -> LocationRef:
    """A `LocationRef` (code, name, city...) from a loop, for warehouses and stops."""
    n1 = loop.n1
    n4 = loop.n4[0] if loop.n4 else None
    return build(
        transaction,
        lambda: LocationRef(
            code=n1.element(4) or None,
            name=n1.element(2) or None,
            city=(n4.element(1) or None) if n4 else None,
            region=(n4.element(2) or None) if n4 else None,
            postal_code=(n4.element(3) or None) if n4 else None,
            country_code=(n4.element(4) or None) if n4 else None,
        ),
    )


def party_segments(role: str, who: Party) -> list[list[str]]:
    """N1, N3, N4 for a party, the inverse of `party`."""
    address = who.address
    return [
        ["N1", role, who.name],
        ["N3", address.line1, address.line2 or ""],
        ["N4", address.city, address.region or "", address.postal_code or "", address.country_code],
    ]


def location_segments(role: str, where: LocationRef) -> list[list[str]]:
    """N1 (and N4 when there is a place) for a location, the inverse of `location`."""
    out = [["N1", role, where.name or "", "92" if where.code else "", where.code or ""]]
    if where.city or where.region or where.postal_code or where.country_code:
        out.append(
            [
                "N4",
                where.city or "",
                where.region or "",
                where.postal_code or "",
                where.country_code or "",
            ]
        )
    return out
