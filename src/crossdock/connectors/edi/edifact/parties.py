"""NAD segments to canonical parties and locations, and back; shared by the mappings."""

from __future__ import annotations

from collections.abc import Mapping

from crossdock.canonical.common import Address, LocationRef, Party
from crossdock.connectors.edi.edifact.codes import SyntaxErrorCode
from crossdock.connectors.edi.edifact.model import Message
from crossdock.connectors.edi.edifact.syntax import OutSegment, Segment
from crossdock.connectors.edi.edifact.values import at, build

GLN_AGENCY = "9"


def party_of(message: Message, nad: Segment, known: Mapping[str, Party]) -> Party:
    """A full `Party`: the NAD's own name and address, or the party its GLN names in
    ``known`` (EANCOM partners send a GLN only; the address lives in master data)."""
    gln = nad.value(2, 1)
    if not nad.value(5, 1) and gln in known:
        return known[gln]
    if not (nad.value(4, 1) and nad.value(5, 1) and nad.value(6) and nad.value(9)):
        raise at(
            message,
            nad,
            5,
            f"party {nad.value(1)} has no address and its GLN is not known",
            code=SyntaxErrorCode.MISSING,
            expected="name, street, city and country, or a known GLN",
            found=gln,
        )
    return build(
        message,
        lambda: Party(
            name=nad.value(4, 1),
            address=Address(
                line1=nad.value(5, 1),
                line2=nad.value(5, 2) or None,
                city=nad.value(6),
                region=nad.value(7, 1) or None,
                postal_code=nad.value(8) or None,
                country_code=nad.value(9),
            ),
        ),
    )


def location_of(message: Message, nad: Segment) -> LocationRef:
    """A `LocationRef` from a NAD: its GLN (or other id) as code, name and place if given."""
    country = nad.value(9)
    return build(
        message,
        lambda: LocationRef(
            code=nad.value(2, 1) or None,
            name=nad.value(4, 1) or None,
            city=nad.value(6) or None,
            region=nad.value(7, 1) or None,
            postal_code=nad.value(8) or None,
            country_code=country or None,
        ),
    )


def party_segment(role: str, who: Party) -> OutSegment:
    address = who.address
    return [
        "NAD",
        role,
        "",
        "",
        who.name,
        [address.line1, address.line2 or ""],
        address.city,
        address.region or "",
        address.postal_code or "",
        address.country_code,
    ]


def location_segment(role: str, where: LocationRef) -> OutSegment:
    return [
        "NAD",
        role,
        [where.code or "", "", GLN_AGENCY if where.code else ""],
        "",
        where.name or "",
        "",
        where.city or "",
        where.region or "",
        where.postal_code or "",
        where.country_code or "",
    ]
