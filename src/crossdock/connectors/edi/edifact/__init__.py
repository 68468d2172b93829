"""UN/EDIFACT: interchanges read with pydifact's tokenizer; ORDERS, ORDRSP, DESADV, RECADV,
INVOIC and IFTSTA mappings; CONTRL."""

from crossdock.connectors.edi.edifact.codes import Action, SyntaxErrorCode
from crossdock.connectors.edi.edifact.contrl import build_contrl, contrl_body
from crossdock.connectors.edi.edifact.desadv import ship_notice_from_desadv, ship_notice_to_desadv
from crossdock.connectors.edi.edifact.errors import EdifactError, Place
from crossdock.connectors.edi.edifact.iftsta import milestones_from_iftsta, milestones_to_iftsta
from crossdock.connectors.edi.edifact.invoic import invoice_from_invoic, invoice_to_invoic
from crossdock.connectors.edi.edifact.model import (
    Interchange,
    InterchangeHeader,
    Message,
    MessageId,
    Party,
    RejectedMessage,
)
from crossdock.connectors.edi.edifact.orders import (
    PartnerDefaults,
    purchase_order_from_orders,
    purchase_order_to_orders,
)
from crossdock.connectors.edi.edifact.ordrsp import (
    acknowledgement_from_ordrsp,
    acknowledgement_to_ordrsp,
)
from crossdock.connectors.edi.edifact.reader import read_edifact
from crossdock.connectors.edi.edifact.recadv import (
    receipt_advice_from_recadv,
    receipt_advice_to_recadv,
)
from crossdock.connectors.edi.edifact.writer import (
    OutMessage,
    default_characters,
    write_interchange,
)

__all__ = [
    "Action",
    "EdifactError",
    "Interchange",
    "InterchangeHeader",
    "Message",
    "MessageId",
    "OutMessage",
    "PartnerDefaults",
    "Party",
    "Place",
    "RejectedMessage",
    "SyntaxErrorCode",
    "acknowledgement_from_ordrsp",
    "acknowledgement_to_ordrsp",
    "build_contrl",
    "contrl_body",
    "default_characters",
    "invoice_from_invoic",
    "invoice_to_invoic",
    "milestones_from_iftsta",
    "milestones_to_iftsta",
    "purchase_order_from_orders",
    "purchase_order_to_orders",
    "read_edifact",
    "receipt_advice_from_recadv",
    "receipt_advice_to_recadv",
    "ship_notice_from_desadv",
    "ship_notice_to_desadv",
    "write_interchange",
]
