"""CONTRL syntax acknowledgements built from what the reader found.

UCI answers the interchange (action 7 acknowledged, 4 rejected, UN/EDIFACT code list 0083:
https://www.gefeg.com/jswg/cl/v3/19a/cl15.htm); one UCM per message says accepted (7) or
rejected (4) with the 0085 syntax error code
(https://service.gefeg.com/jwg1/Current/cl/cl15.htm: 12 invalid value, 13 missing, 15 not
supported in this position, 16 too many constituents, 28 references do not match, 29
control count does not match); a UCS names the segment position and a UCD the element.
Every message is reported, not only rejected ones, so the sender can close each one.
"""

from __future__ import annotations

from datetime import datetime

from crossdock.connectors.edi.edifact.codes import Action, SyntaxErrorCode
from crossdock.connectors.edi.edifact.errors import EdifactError
from crossdock.connectors.edi.edifact.model import Interchange, MessageId
from crossdock.connectors.edi.edifact.syntax import OutSegment
from crossdock.connectors.edi.edifact.writer import OutMessage, write_interchange

CONTRL_SYNTAX_3 = MessageId("CONTRL", "D", "3", "UN")
"""CONTRL for syntax version 3, the version EANCOM D96A and D01B interchanges use."""


def _s009(identifier: MessageId | None) -> list[str]:
    if identifier is None:
        return []
    return [identifier.type, identifier.version, identifier.release, identifier.agency]


def _details(error: EdifactError) -> list[OutSegment]:
    if error.segment_position is None:
        return []
    code = error.code or SyntaxErrorCode.UNSPECIFIED
    out: list[OutSegment] = [["UCS", str(error.segment_position), code]]
    if error.element_position is not None:
        component = error.location.component_position
        position = [str(error.element_position), str(component) if component else ""]
        out.append(["UCD", code, position])
    return out


def contrl_body(interchange: Interchange) -> list[OutSegment]:
    """The CONTRL body (UCI, then UCM … per message) for one interchange as read."""
    header = interchange.header
    uci: list[str | list[str]] = [
        "UCI",
        header.reference,
        [header.sender.id, header.sender.qualifier],
        [header.recipient.id, header.recipient.qualifier],
    ]
    if interchange.errors:
        first = interchange.errors[0]
        out: list[OutSegment] = [[*uci, Action.REJECTED, first.code or SyntaxErrorCode.UNSPECIFIED]]
        for error in interchange.errors:
            out += _details(error)
    else:
        out = [[*uci, Action.ACKNOWLEDGED]]
    for message in interchange.messages:
        out.append(["UCM", message.reference, _s009(message.identifier), Action.ACKNOWLEDGED])
    for rejected in interchange.rejected:
        first = rejected.errors[0]
        out.append(
            [
                "UCM",
                rejected.reference,
                _s009(rejected.identifier),
                Action.REJECTED,
                first.code or SyntaxErrorCode.UNSPECIFIED,
            ]
        )
        for error in rejected.errors:
            out += _details(error)
    return out


def build_contrl(interchange: Interchange, *, reference: str, prepared: datetime) -> str:
    """A CONTRL interchange back to the sender: sender and recipient swap places."""
    header = interchange.header
    return write_interchange(
        [OutMessage(reference, CONTRL_SYNTAX_3, contrl_body(interchange))],
        sender=header.recipient,
        recipient=header.sender,
        reference=reference,
        prepared=prepared,
        syntax=(header.syntax_id or "UNOC", header.syntax_version or "3"),
    )
