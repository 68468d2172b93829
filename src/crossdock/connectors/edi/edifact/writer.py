"""Wraps message bodies in UNH/UNT and UNB/UNZ, counting segments so trailers always agree."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from pydifact.control.characters import Characters

from crossdock.connectors.edi.edifact.model import MessageId, Party
from crossdock.connectors.edi.edifact.syntax import OutSegment, serialize


@dataclass(frozen=True, slots=True)
class OutMessage:
    """A message to send: its reference, its S009 identifier and its body segments."""

    reference: str
    identifier: MessageId
    body: Sequence[OutSegment]


def default_characters() -> Characters:
    """The syntax 3 defaults with ``.`` as decimal mark, which every partner reads."""
    return Characters.from_str(":+.? '")


def write_interchange(
    messages: Sequence[OutMessage],
    *,
    sender: Party,
    recipient: Party,
    reference: str,
    prepared: datetime,
    syntax: tuple[str, str] = ("UNOC", "3"),
    characters: Characters | None = None,
    una: bool = True,
) -> str:
    """One interchange holding `messages`, with UNT and UNZ counts computed here."""
    chars = characters or default_characters()
    out: list[OutSegment] = [
        [
            "UNB",
            list(syntax),
            [sender.id, sender.qualifier],
            [recipient.id, recipient.qualifier],
            [prepared.strftime("%y%m%d"), prepared.strftime("%H%M")],
            reference,
        ]
    ]
    for message in messages:
        ident = message.identifier
        out.append(
            [
                "UNH",
                message.reference,
                [ident.type, ident.version, ident.release, ident.agency, ident.association],
            ]
        )
        out += message.body
        out.append(["UNT", str(len(message.body) + 2), message.reference])
    out.append(["UNZ", str(len(messages)), reference])
    return serialize(out, chars, una=una)
