"""Acknowledgements both ways: the 997 or CONTRL Crossdock owes for an interchange it read,
and the partner's 997s and CONTRLs for the interchanges Crossdock sent.

Acknowledgements are not themselves acknowledged (X12 and EDIFACT both say so), so a file
holding only 997s or CONTRLs gets no reply.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from crossdock.connectors.edi.edifact import build_contrl, read_edifact
from crossdock.connectors.edi.edifact.codes import Action
from crossdock.connectors.edi.edifact.model import Interchange as EdifactInterchange
from crossdock.connectors.edi.partner.envelopes import control_text, x12_interchange
from crossdock.connectors.edi.partner.settings import EdiPartnerSettings
from crossdock.connectors.edi.x12 import (
    AckStatus,
    FunctionalAck,
    TransactionSet,
    ack_from_997,
    ack_to_997,
    acknowledge,
    read_x12,
)
from crossdock.connectors.edi.x12.model import ReadItem

ACCEPTED_X12 = (AckStatus.ACCEPTED, AckStatus.ACCEPTED_WITH_ERRORS)


@dataclass(frozen=True)
class PartnerAck:
    """The partner's verdict on one interchange Crossdock sent."""

    control_number: str
    accepted: bool
    details: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Answer:
    """What reading a received file gives the bookkeeping: our reply, their verdicts."""

    reply: bytes | None
    partner_acks: list[PartnerAck]
    numbers: int = 1
    """Control numbers the reply uses (EDIFACT: one CONTRL interchange per interchange read)."""


def answer_x12(
    body: bytes, settings: EdiPartnerSettings, control_number: int, now: datetime
) -> Answer:
    """Read the file; one 997 per functional group that is not itself a group of 997s."""
    items: list[ReadItem] = list(read_x12(body))
    partner_acks = [
        _x12_verdict(ack_from_997(item))
        for item in items
        if isinstance(item, TransactionSet) and item.set_id == "997"
    ]
    ours: list[FunctionalAck] = [ack for ack in acknowledge(items) if ack.functional_id != "FA"]
    reply = (
        x12_interchange(settings, "997", [ack_to_997(ack) for ack in ours], control_number, now)
        if ours
        else None
    )
    return Answer(reply, partner_acks)


def _x12_verdict(ack: FunctionalAck) -> PartnerAck:
    details = [f"AK9 {ack.status.value}", *(f"AK905 {code}" for code in ack.codes)]
    for response in ack.sets:
        if response.status not in ACCEPTED_X12:
            notes = ", ".join(
                f"{note.segment_id} #{note.position} code {note.code}" for note in response.segments
            )
            details.append(
                f"set {response.set_id} {response.control_number}: AK5 {response.status.value}"
                + "".join(f" {code}" for code in response.codes)
                + (f" ({notes})" if notes else "")
            )
    return PartnerAck(ack.group_control, ack.status in ACCEPTED_X12, details)


def answer_edifact(body: bytes, control_number: int, now: datetime) -> Answer:
    interchanges = read_edifact(body)
    partner_acks = [
        verdict for interchange in interchanges for verdict in _edifact_verdicts(interchange)
    ]
    replies = [
        build_contrl(interchange, reference=control_text(control_number + index), prepared=now)
        for index, interchange in enumerate(_to_answer(interchanges))
    ]
    return Answer(
        "".join(replies).encode("latin-1") if replies else None, partner_acks, len(replies) or 1
    )


def _to_answer(interchanges: Iterable[EdifactInterchange]) -> list[EdifactInterchange]:
    return [
        interchange
        for interchange in interchanges
        if not (
            interchange.messages
            and not interchange.rejected
            and all(message.identifier.type == "CONTRL" for message in interchange.messages)
        )
    ]


def _edifact_verdicts(interchange: EdifactInterchange) -> list[PartnerAck]:
    """UCI 0020 names our interchange, 0083 its fate (7 or 8 acknowledged, 4 rejected); a
    UCM with action 4 rejects one of its messages."""
    verdicts: list[PartnerAck] = []
    for message in interchange.messages:
        if message.identifier.type != "CONTRL":
            continue
        reference, accepted, details = "", True, []
        for segment in message.segments:
            if segment.tag == "UCI":
                reference = segment.value(1)
                action = segment.value(4)
                accepted = action != Action.REJECTED
                details.append(
                    f"UCI {action}" + (f" code {segment.value(5)}" if segment.value(5) else "")
                )
            elif segment.tag == "UCM" and segment.value(4) == Action.REJECTED:
                accepted = False
                details.append(f"UCM {segment.value(1)} rejected code {segment.value(5)}")
        if reference:
            verdicts.append(PartnerAck(reference, accepted, details))
    return verdicts
