"""Interchanges Crossdock sends to a supplier: its envelope identities, our control numbers.

The interchange control number is also the X12 group control number (GS06) and, for
EDIFACT, the UNB 0020: one number names the interchange everywhere, so a 997's AK1 or a
CONTRL's UCI finds the sent interchange directly.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from crossdock.connectors.edi.edifact import OutMessage, write_interchange
from crossdock.connectors.edi.edifact.model import MessageId
from crossdock.connectors.edi.edifact.model import Party as EdifactParty
from crossdock.connectors.edi.partner.settings import EdiPartnerSettings
from crossdock.connectors.edi.x12 import (
    OutgoingGroup,
    OutgoingInterchange,
    OutgoingSet,
    serialize,
)
from crossdock.connectors.edi.x12.writer import OutSegment

X12_CONTROL_VERSION = {"004010": "00401", "005010": "00501"}
EDIFACT_MESSAGE = {"D96A": ("D", "96A"), "D01B": ("D", "01B")}


def control_text(number: int) -> str:
    return f"{number:09d}"


def our_sender(settings: EdiPartnerSettings) -> str:
    return f"{settings.us.qualifier}/{settings.us.id}"


def x12_interchange(
    settings: EdiPartnerSettings,
    set_id: str,
    bodies: Sequence[Sequence[OutSegment]],
    control_number: int,
    created: datetime,
) -> bytes:
    """One interchange, one group, one set per body, ST02 numbered from 0001."""
    sets = [
        OutgoingSet(set_id=set_id, control_number=f"{index:04d}", segments=body)
        for index, body in enumerate(bodies, start=1)
    ]
    return serialize(
        OutgoingInterchange(
            sender_qualifier=settings.us.qualifier,
            sender_id=settings.us.id,
            receiver_qualifier=settings.them.qualifier,
            receiver_id=settings.them.id,
            control_number=control_number,
            created=created,
            groups=[
                OutgoingGroup(
                    sender=settings.us.group,
                    receiver=settings.them.group,
                    control_number=control_number,
                    sets=sets,
                    version=settings.version,
                )
            ],
            control_version=X12_CONTROL_VERSION[settings.version],
        )
    )


def edifact_interchange(
    settings: EdiPartnerSettings,
    message_type: str,
    body: Sequence[OutSegment],
    control_number: int,
    created: datetime,
) -> bytes:
    version, release = EDIFACT_MESSAGE[settings.version]
    text = write_interchange(
        [
            OutMessage(
                reference="1",
                identifier=MessageId(message_type, version, release, "UN", "EAN008"),
                body=body,
            )
        ],
        sender=EdifactParty(settings.us.id, settings.us.qualifier),
        recipient=EdifactParty(settings.them.id, settings.them.qualifier),
        reference=control_text(control_number),
        prepared=created,
    )
    return text.encode("latin-1")
